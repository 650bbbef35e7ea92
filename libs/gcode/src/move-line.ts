import { POW10, type ParsedLine } from './gcode-line';

const LF = 10;
const CR = 13;
const SPACE = 32;
const SEMI = 59;
const DOT = 46;
/** Bits of the words a G0/G1 fast-path line may have: E, F, X, Y, Z. */
const MOVE_WORDS = (1 << 4) | (1 << 5) | (1 << 23) | (1 << 24) | (1 << 25);
/** …and with arcs: I, J (centre offset) and R (radius) too. */
const ARC_WORDS = MOVE_WORDS | (1 << 8) | (1 << 9) | (1 << 17);
/** `POW10` as a typed array of this module's own (no module-object load per number). */
const POW10_F = Float64Array.from(POW10);

/**
 * The fast path for the lines that make up most of a print: `G0`/`G1` followed by a space and
 * only X, Y, Z, E, F words (either case) with plain numbers, optionally ending in a `;` comment.
 * Parses buf[start…] in place into `out` (letter, code, mask, values; the comment range is not
 * filled in: a command line's comment is never used) and returns the index of the line's LF.
 *
 * Returns -1, having changed nothing but `out.values`, for any other line (another command, a
 * tab, `N`/`*`, `( )` comments, a lone CR, a letter without a number, a line longer than
 * `maxLineBytes`…): the caller then runs the general `parseLine`, which gives the same result for
 * every line accepted here. The caller guarantees a LF at or after `start` within the buffer.
 */
export function parseMoveLine(buf: Uint8Array, start: number, maxLineBytes: number, out: ParsedLine): number {
  return parseFastLine(buf, start, maxLineBytes, out, 1, MOVE_WORDS);
}

/**
 * `parseMoveLine` that also takes arcs: `G0` to `G3`, with I, J and R words besides X, Y, Z, E
 * and F. Arc-fitted files (PrusaSlicer's arc fitting, ArcWelder) are a third G2/G3 lines.
 */
export function parseMoveOrArcLine(buf: Uint8Array, start: number, maxLineBytes: number, out: ParsedLine): number {
  return parseFastLine(buf, start, maxLineBytes, out, 3, ARC_WORDS);
}

/** `G<0…lastCode> ` followed by `words` only (see `parseMoveLine`). */
function parseFastLine(buf: Uint8Array, start: number, maxLineBytes: number, out: ParsedLine, lastCode: number, words: number): number {
  if ((buf[start]! | 0x20) !== 0x67) return -1;
  const code = buf[start + 1]! - 48;
  if (code >>> 0 > lastCode || buf[start + 2] !== SPACE) return -1;
  const values = out.values;
  let mask = 0;
  let i = start + 3;
  for (;;) {
    const c = buf[i]!;
    if (c === SPACE) {
      i++;
      continue;
    }
    if (c === LF) break;
    if (c === CR) {
      if (buf[i + 1] !== LF) return -1;
      i++;
      break;
    }
    if (c === SEMI) {
      // the comment of a command line is not used: only find the end of the line
      i++;
      while (buf[i] !== LF) i++;
      break;
    }
    // letter index (either case), one of `words`
    const idx = (c | 0x20) - 97;
    if (idx >>> 0 > 25 || ((1 << idx) & words) === 0) return -1;
    // The number, as `readNumber` computes it (same arithmetic, so the same double), written
    // out here without its end checks: the LF that ends the line stops every digit loop.
    // `d >>> 0 < 10` is the digit test in one unsigned comparison.
    let j = i + 1;
    let b = buf[j]!;
    const neg = b === 45;
    if (neg || b === 43) b = buf[++j]!;
    const intStart = j;
    let int = 0;
    let d = b - 48;
    while (d >>> 0 < 10) {
      int = int * 10 + d;
      d = buf[++j]! - 48;
    }
    let v = int;
    let found = j !== intStart;
    if (d === DOT - 48) {
      const fracStart = ++j;
      let frac = 0;
      d = buf[j]! - 48;
      while (d >>> 0 < 10) {
        frac = frac * 10 + d;
        d = buf[++j]! - 48;
        if (j - fracStart === 15) {
          // digits past the 15th are below a double's precision: skipped
          while (d >>> 0 < 10) d = buf[++j]! - 48;
          break;
        }
      }
      const n = j - fracStart < 15 ? j - fracStart : 15;
      if (n > 0) {
        v = int + frac / POW10_F[n]!;
        found = true;
      }
    }
    if (!found) return -1; // a letter without a number
    values[idx] = neg ? -v : v;
    mask |= 1 << idx;
    i = j;
  }
  let contentEnd = i;
  if (contentEnd > start && buf[contentEnd - 1] === CR) contentEnd--;
  if (contentEnd - start > maxLineBytes) return -1;
  out.letter = 71;
  out.code = code;
  out.sub = -1;
  out.mask = mask;
  out.commentStart = -1;
  out.commentEnd = -1;
  return i;
}
