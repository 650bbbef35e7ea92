import { inflateSync } from 'node:zlib';
import { decodeQoi } from './qoi';
import { encodePng, pngSize } from './png';

/** A 2×2 QOI image written by hand: RGB op, a run, an index op. */
function tinyQoi(): Buffer {
  const header = Buffer.alloc(14);
  header.write('qoif', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(2, 8);
  header[12] = 4;
  const red = [0xfe, 255, 0, 0]; // QOI_OP_RGB
  const run = [0xc0 | 1]; // QOI_OP_RUN: 2 more pixels
  const diff = [0x40 | (1 << 4) | (2 << 2) | 3]; // dr -1, dg 0, db +1 → (254, 0, 1)
  return Buffer.concat([header, Buffer.from([...red, ...run, ...diff]), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])]);
}

test('QOI decodes and converts to a valid PNG of the same size', () => {
  const img = decodeQoi(tinyQoi());
  expect(img).toMatchObject({ width: 2, height: 2 });
  expect([...img.rgba]).toEqual([255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 254, 0, 1, 255]);
  const png = encodePng(img.width, img.height, img.rgba);
  expect(pngSize(png)).toEqual({ width: 2, height: 2 });
  const idat = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  expect(raw).toHaveLength(2 * (1 + 8));
});

test('truncated QOI data is an error, not a hang', () => {
  expect(() => decodeQoi(tinyQoi().subarray(0, 16))).toThrow();
});
