/**
 * A QOI decoder (https://qoiformat.org/qoi-specification.pdf): PrusaSlicer writes QOI thumbnails
 * for Prusa's newer printers; browsers cannot show them, so they are converted to PNG.
 */
export interface DecodedImage {
  width: number;
  height: number;
  /** 8-bit RGBA, row-major. */
  rgba: Uint8Array;
}

export function isQoi(b: Uint8Array): boolean {
  return b.length >= 14 && b[0] === 0x71 && b[1] === 0x6f && b[2] === 0x69 && b[3] === 0x66;
}

export function qoiSize(b: Buffer): { width: number; height: number } | null {
  return isQoi(b) ? { width: b.readUInt32BE(4), height: b.readUInt32BE(8) } : null;
}

const MAX_PIXELS = 16_000_000;

export function decodeQoi(b: Buffer): DecodedImage {
  if (!isQoi(b)) throw new Error('not a QOI image');
  const width = b.readUInt32BE(4);
  const height = b.readUInt32BE(8);
  const pixels = width * height;
  if (width === 0 || height === 0 || pixels > MAX_PIXELS) throw new Error(`bad QOI size ${width}x${height}`);
  const out = new Uint8Array(pixels * 4);
  const index = new Uint8Array(64 * 4);
  let r = 0;
  let g = 0;
  let bl = 0;
  let a = 255;
  let run = 0;
  let p = 14;
  const end = b.length - 8; // 7 zero bytes and a 1 end the stream
  for (let px = 0; px < pixels; px++) {
    if (run > 0) run--;
    else if (p < end) {
      const b1 = b[p++]!;
      if (b1 === 0xfe) {
        r = b[p++]!;
        g = b[p++]!;
        bl = b[p++]!;
      } else if (b1 === 0xff) {
        r = b[p++]!;
        g = b[p++]!;
        bl = b[p++]!;
        a = b[p++]!;
      } else {
        const tag = b1 & 0xc0;
        if (tag === 0x00) {
          const i = (b1 & 0x3f) * 4;
          r = index[i]!;
          g = index[i + 1]!;
          bl = index[i + 2]!;
          a = index[i + 3]!;
        } else if (tag === 0x40) {
          r = (r + ((b1 >> 4) & 3) - 2) & 0xff;
          g = (g + ((b1 >> 2) & 3) - 2) & 0xff;
          bl = (bl + (b1 & 3) - 2) & 0xff;
        } else if (tag === 0x80) {
          const b2 = b[p++]!;
          const dg = (b1 & 0x3f) - 32;
          r = (r + dg - 8 + ((b2 >> 4) & 0x0f)) & 0xff;
          g = (g + dg) & 0xff;
          bl = (bl + dg - 8 + (b2 & 0x0f)) & 0xff;
        } else run = b1 & 0x3f;
      }
      const h = ((r * 3 + g * 5 + bl * 7 + a * 11) % 64) * 4;
      index[h] = r;
      index[h + 1] = g;
      index[h + 2] = bl;
      index[h + 3] = a;
    } else throw new Error('truncated QOI data');
    const o = px * 4;
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = bl;
    out[o + 3] = a;
  }
  return { width, height, rgba: out };
}
