/**
 * One G-code line parsed in place from bytes: no string is allocated for a command line.
 * Handles `N123 ... *71` line numbers and checksums, `;` and `( )` comments, parameters with or
 * without spaces (`G1X10 Y 20`), lower case, and tabs.
 */
export class ParsedLine {
  /** Upper-case command letter code (71 'G', 77 'M', 84 'T'), or 0 for a line with no command. */
  letter = 0;
  /** Integer part of the command number (`G1` → 1); -1 when absent. */
  code = -1;
  /** Sub-code after a dot (`G29.1` → 1), else -1. */
  sub = -1;
  /** Bit i set when parameter letter 'A'+i is present. */
  mask = 0;
  /** Parameter values indexed by letter - 'A'; NaN for a letter given without a number. */
  readonly values = new Float64Array(26);
  /** Byte offsets of the first comment's text (after `;` or `(`), or -1. */
  commentStart = -1;
  commentEnd = -1;

  has(letter: string): boolean {
    return (this.mask & (1 << (letter.charCodeAt(0) - 65))) !== 0;
  }
  get(letter: string): number | undefined {
    const i = letter.charCodeAt(0) - 65;
    return (this.mask & (1 << i)) !== 0 ? this.values[i] : undefined;
  }
}

export const BIT = (letter: string): number => 1 << (letter.charCodeAt(0) - 65);

const SPACE = 32;
const TAB = 9;
const SEMI = 59;
const PAREN = 40;
const STAR = 42;

/** Set by `readNumber`: index just after the number, or the start index when no number was read. */
let numEnd = 0;

/** Where the last `readNumber` stopped (its start index when it found no number). */
export function readNumberEnd(): number {
  return numEnd;
}

/** Powers of ten for the fraction digits of a number (at most 15 are used). */
export const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Reads `[+-]digits[.digits]` at i (`-.5`, `+1`, `5.` too). Returns NaN (and numEnd = i) when
 * there is no number. G-code has no exponents: in `X1e3` the `e` is the extruder word, so the
 * number stops before it. Fraction digits beyond 15 are ignored (below a double's precision).
 */
export function readNumber(buf: Uint8Array, i: number, end: number): number {
  const begin = i;
  let neg = false;
  let c = buf[i];
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  let int = 0;
  let digits = 0;
  while (i < end) {
    c = buf[i]! - 48;
    if (c < 0 || c > 9) break;
    int = int * 10 + c;
    digits++;
    i++;
  }
  let value = int;
  if (i < end && buf[i] === 46) {
    i++;
    let frac = 0;
    let n = 0;
    while (i < end) {
      c = buf[i]! - 48;
      if (c < 0 || c > 9) break;
      if (n < 15) {
        frac = frac * 10 + c;
        n++;
      }
      digits++;
      i++;
    }
    if (n > 0) value = int + frac / POW10[n]!;
  }
  if (digits === 0) {
    numEnd = begin;
    return NaN;
  }
  numEnd = i;
  return neg ? -value : value;
}

/** Commands whose parameters are free text (messages, file names): parameters are not parsed. */
function isTextCommand(letter: number, code: number): boolean {
  return letter === 77 && (code === 117 || code === 118 || code === 23 || code === 28 || code === 30 || code === 32 || code === 16 || code === 0 || code === 1);
}

/**
 * Parses buf[start, end) into `out`. Returns false for a line without a command (blank or
 * comment only); the comment range is still filled in.
 */
export function parseLine(buf: Uint8Array, start: number, end: number, out: ParsedLine): boolean {
  out.letter = 0;
  out.code = -1;
  out.sub = -1;
  out.mask = 0;
  out.commentStart = -1;
  out.commentEnd = -1;
  let i = start;
  let c = 0;
  // skip blanks and an N word
  while (i < end) {
    c = buf[i]!;
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === 78 || c === 110) {
      i++;
      readNumber(buf, i, end);
      i = numEnd;
      continue;
    }
    break;
  }
  if (i >= end) return false;
  if (c === SEMI || c === PAREN) {
    findComment(buf, i, end, out);
    return false;
  }
  if (c >= 97 && c <= 122) c -= 32;
  if (c !== 71 && c !== 77 && c !== 84) {
    findComment(buf, i, end, out);
    return false;
  }
  i++;
  while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
  const code = readNumber(buf, i, end);
  if (numEnd === i) {
    findComment(buf, i, end, out);
    return false;
  }
  i = numEnd;
  out.letter = c;
  const intCode = Math.trunc(code);
  out.code = intCode;
  if (code !== intCode) out.sub = Math.round((code - intCode) * 10);
  if (isTextCommand(c, intCode)) {
    findComment(buf, i, end, out);
    return true;
  }
  const values = out.values;
  let mask = 0;
  while (i < end) {
    c = buf[i]!;
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === SEMI || c === STAR) break;
    if (c === PAREN) {
      const close = indexOfByte(buf, 41, i + 1, end);
      if (out.commentStart < 0) {
        out.commentStart = i + 1;
        out.commentEnd = close < 0 ? end : close;
      }
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (c >= 97 && c <= 122) c -= 32;
    i++;
    if (c < 65 || c > 90) continue;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    const v = readNumber(buf, i, end);
    i = numEnd;
    const idx = c - 65;
    mask |= 1 << idx;
    values[idx] = v;
  }
  out.mask = mask;
  if (i < end && buf[i] === SEMI && out.commentStart < 0) {
    out.commentStart = i + 1;
    out.commentEnd = end;
  }
  return true;
}

function findComment(buf: Uint8Array, i: number, end: number, out: ParsedLine): void {
  for (; i < end; i++) {
    const c = buf[i];
    if (c === SEMI) {
      out.commentStart = i + 1;
      out.commentEnd = end;
      return;
    }
    if (c === PAREN) {
      const close = indexOfByte(buf, 41, i + 1, end);
      out.commentStart = i + 1;
      out.commentEnd = close < 0 ? end : close;
      return;
    }
  }
}

function indexOfByte(buf: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === byte) return i;
  return -1;
}
