import { decodeQoi, qoiSize } from './qoi';
import { encodePng, pngSize } from './png';
import { jpegSize } from './jpeg';

export type ThumbnailFormat = 'PNG' | 'JPG' | 'QOI';

export interface Thumbnail {
  /** Size read from the image itself (checked against the block's begin line). */
  width: number;
  height: number;
  /** The format embedded in the file. */
  format: ThumbnailFormat;
  /** Size stated on the `begin` line. */
  declaredWidth: number;
  declaredHeight: number;
  /** Length of the base64 text (as declared on the begin line when given). */
  base64Chars: number;
  /** Image bytes a browser can show: PNG or JPEG (QOI is converted to PNG). */
  data: Buffer;
  mimeType: 'image/png' | 'image/jpeg';
}

/**
 * Begin lines of embedded images:
 *   `; thumbnail begin 220x124 15684`      PrusaSlicer (PNG), Cura, Orca, Bambu, SuperSlicer
 *   `; thumbnail_JPG begin 16x16 808`       PrusaSlicer 2.4+ with JPG
 *   `; thumbnail_QOI begin 313x173 14412`   PrusaSlicer 2.4+ with QOI
 *   `; png begin 300*300 12345 ...`         Creality / Flashforge style
 */
const BEGIN = /^;\s*(thumbnail(?:_(PNG|JPG|QOI))?|png|jpg)\s+begin\s+(\d+)\s*[x*]\s*(\d+)(?:\s+(\d+))?/i;
const END = /^;\s*(thumbnail(?:_(?:PNG|JPG|QOI))?|png|jpg)\s+end\b/i;

/** Feeds comment lines; decodes each block when it ends. */
export class ThumbnailCollector {
  readonly thumbnails: Thumbnail[] = [];
  readonly errors: string[] = [];
  private parts: string[] | null = null;
  private declared = { w: 0, h: 0, len: 0 };
  private seen = new Set<string>();

  /** True inside a block: the head must be read on until the block ends. */
  get open(): boolean {
    return this.parts !== null;
  }

  add(line: string): void {
    if (this.parts !== null) {
      if (END.test(line)) this.close();
      else this.parts.push(line.slice(1).trim());
      return;
    }
    const m = BEGIN.exec(line);
    if (m) {
      this.parts = [];
      this.declared = { w: Number(m[3]), h: Number(m[4]), len: m[5] ? Number(m[5]) : -1 };
    }
  }

  private close(): void {
    const b64 = this.parts!.join('');
    this.parts = null;
    const { w, h, len } = this.declared;
    // metadata printed twice (head and tail) must not give two copies of one image
    const key = `${w}x${h}:${b64.length}:${b64.slice(0, 64)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    try {
      const bytes = Buffer.from(b64, 'base64');
      let size = pngSize(bytes);
      let format: ThumbnailFormat = 'PNG';
      let data: Buffer = bytes;
      if (!size) {
        size = jpegSize(bytes);
        format = 'JPG';
      }
      if (!size && qoiSize(bytes)) {
        const img = decodeQoi(bytes);
        size = { width: img.width, height: img.height };
        format = 'QOI';
        data = encodePng(img.width, img.height, img.rgba);
      }
      if (!size) throw new Error('unknown image format');
      this.thumbnails.push({
        width: size.width,
        height: size.height,
        format,
        declaredWidth: w,
        declaredHeight: h,
        base64Chars: len >= 0 ? len : b64.length,
        data,
        mimeType: format === 'JPG' ? 'image/jpeg' : 'image/png',
      });
    } catch (e) {
      this.errors.push(`thumbnail ${w}x${h}: ${(e as Error).message}`);
    }
  }

  /** Largest first. */
  sorted(): Thumbnail[] {
    return [...this.thumbnails].sort((a, b) => b.width * b.height - a.width * a.height);
  }
}
