import { isUtf8 } from 'node:buffer';
import { GcodeError } from './errors';

/** Receives each line as a byte range of a buffer; `end` excludes the LF and a CR before it. */
export interface LineSink {
  line(buf: Buffer, start: number, end: number, lineNo: number): void;
  /**
   * Optional: takes a run of whole lines at once, buf[start, end) with a LF at end - 1, the first
   * one numbered `firstLineNo`, so that the sink can find line ends while it parses instead of
   * the splitter calling `indexOf` per line. It must behave as `line` called on each line
   * (truncating lines longer than `maxLineBytes` included), count lines ending in CRLF into
   * `counts.crlfLines` and over-long lines into `counts.truncatedLines`, and return the number
   * of lines.
   */
  lines?(buf: Buffer, start: number, end: number, firstLineNo: number, maxLineBytes: number, counts: LineCounts): number;
}

/** Line statistics kept by the splitter (and by a sink's `lines`). */
export interface LineCounts {
  crlfLines: number;
  truncatedLines: number;
}

const LF = 10;
const CR = 13;

/**
 * Splits a stream of byte chunks into lines without copying, except for the one line that
 * straddles two chunks. A line longer than `maxLineBytes` is truncated (the rest is dropped) so
 * memory stays bounded whatever the input; truncations are counted.
 * Validation happens here, on whole line-aligned ranges: NUL bytes mean binary data, and the
 * UTF-8 check is done by Node's native `isUtf8` (an LF byte never occurs inside a multi-byte
 * sequence, so line-aligned ranges are safe to check on their own).
 */
export class LineSplitter implements LineCounts {
  lines = 0;
  crlfLines = 0;
  lfLines = 0;
  bytes = 0;
  truncatedLines = 0;
  private carry: Buffer;
  private carryLen = 0;
  private carryTruncated = false;
  private first = true;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = 1 << 16,
    private readonly checkUtf8 = true,
  ) {
    this.carry = Buffer.allocUnsafe(Math.min(4096, maxLineBytes));
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.first) {
      this.first = false;
      checkMagic(chunk);
    }
    if (chunk.indexOf(0) !== -1) throw new GcodeError('BINARY', 'binary data (NUL bytes) found: not a G-code text file');
    this.bytes += chunk.length;
    let pos = 0;
    const len = chunk.length;
    if (this.carryLen > 0 || this.carryTruncated) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.appendCarry(chunk, 0, len);
        return;
      }
      this.appendCarry(chunk, 0, nl);
      this.emitCarry(true);
      pos = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(LF);
    if (lastNl >= pos) {
      if (this.checkUtf8 && !isUtf8(chunk.subarray(pos, lastNl))) throw invalidUtf8();
      const sink = this.sink;
      if (sink.lines !== undefined) {
        const crlfBefore = this.crlfLines;
        const n = sink.lines(chunk, pos, lastNl + 1, this.lines + 1, this.maxLineBytes, this);
        this.lines += n;
        this.lfLines += n - (this.crlfLines - crlfBefore);
        pos = lastNl + 1;
        if (pos < len) this.appendCarry(chunk, pos, len);
        return;
      }
      let lineNo = this.lines;
      while (pos <= lastNl) {
        const nl = chunk.indexOf(LF, pos);
        let end = nl;
        if (end > pos && chunk[end - 1] === CR) {
          end--;
          this.crlfLines++;
        } else this.lfLines++;
        lineNo++;
        if (end - pos > this.maxLineBytes) {
          this.truncatedLines++;
          end = pos + this.maxLineBytes;
        }
        sink.line(chunk, pos, end, lineNo);
        pos = nl + 1;
      }
      this.lines = lineNo;
    }
    if (pos < len) this.appendCarry(chunk, pos, len);
  }

  /** Flushes a last line that has no terminating LF. */
  end(): void {
    if (this.carryLen > 0 || this.carryTruncated) this.emitCarry(false);
  }

  private appendCarry(src: Buffer, from: number, to: number): void {
    const room = this.maxLineBytes + 1 - this.carryLen; // keep one byte for a trailing CR
    let n = to - from;
    if (n > room) {
      n = room;
      this.carryTruncated = true;
    }
    if (this.carryLen + n > this.carry.length) {
      const bigger = Buffer.allocUnsafe(Math.min(this.maxLineBytes + 1, Math.max(this.carry.length * 2, this.carryLen + n)));
      this.carry.copy(bigger, 0, 0, this.carryLen);
      this.carry = bigger;
    }
    src.copy(this.carry, this.carryLen, from, from + n);
    this.carryLen += n;
  }

  private emitCarry(terminated: boolean): void {
    let end = this.carryLen;
    if (terminated && end > 0 && this.carry[end - 1] === CR) {
      end--;
      this.crlfLines++;
    } else if (terminated) this.lfLines++;
    if (end > this.maxLineBytes) end = this.maxLineBytes;
    if (this.carryTruncated) this.truncatedLines++;
    if (this.checkUtf8 && !this.carryTruncated && !isUtf8(this.carry.subarray(0, end))) throw invalidUtf8();
    this.lines++;
    this.sink.line(this.carry, 0, end, this.lines);
    this.carryLen = 0;
    this.carryTruncated = false;
  }
}

function invalidUtf8(): GcodeError {
  return new GcodeError('INVALID_UTF8', 'the file is not valid UTF-8 text: not a G-code file (or a legacy encoding)');
}

/** Recognises files that are obviously not text G-code from their first bytes. */
export function checkMagic(head: Buffer): void {
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'GCDE')
    throw new GcodeError('BGCODE', 'binary G-code (.bgcode) is not supported yet: export plain text G-code from the slicer');
}
