import { MetadataCollector, type SlicerMetadata } from './slicer-metadata';
import { ThumbnailCollector, type Thumbnail } from '../thumbnails/thumbnail-collector';

/** Metadata and thumbnails read from a file's comments. */
export interface FileMetadata {
  metadata: SlicerMetadata;
  thumbnails: Thumbnail[];
  warnings: string[];
}

/**
 * Reads comment lines from byte ranges (the head and the tail of a file). Only lines starting
 * with `;` become strings, so a head full of commands costs little.
 */
export class MetadataScanner {
  readonly meta = new MetadataCollector();
  readonly thumbs = new ThumbnailCollector();

  /** True while a thumbnail block is open: keep reading the head. */
  get needsMore(): boolean {
    return this.thumbs.open;
  }

  addLine(line: string): void {
    this.meta.add(line);
    this.thumbs.add(line);
  }

  /**
   * Scans buf[start, end); with `skipPartialFirst` the bytes before the first LF are dropped
   * (the range starts mid-line). Returns the offset after the last complete line.
   */
  addBytes(buf: Buffer, start = 0, end = buf.length, skipPartialFirst = false, final = true): number {
    let pos = start;
    if (skipPartialFirst) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= end) return end;
      pos = nl + 1;
    }
    while (pos < end) {
      let nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= end) {
        if (!final) return pos;
        nl = end;
      }
      let s = pos;
      while (s < nl && (buf[s] === 32 || buf[s] === 9)) s++;
      if (buf[s] === 59) {
        let e = nl;
        if (e > s && buf[e - 1] === 13) e--;
        this.addLine(buf.toString('utf8', s, e));
      }
      pos = nl + 1;
    }
    return end;
  }

  result(): FileMetadata {
    return { metadata: this.meta.result(), thumbnails: this.thumbs.sorted(), warnings: [...this.thumbs.errors] };
  }
}
