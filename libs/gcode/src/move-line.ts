import { POW10, type ParsedLine } from './gcode-line';

const LF = 10;
const CR = 13;
const SPACE = 32;
const SEMI = 59;

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
  const c0 = buf[start]! | 0x20;
  const c1 = buf[start + 1]!;
  if (c0 !== 0x67 || (c1 !== 48 && c1 !== 49) || buf[start + 2] !== SPACE) return -1;
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
    // letter index: X 23, Y 24, Z 25, E 4, F 5 (upper or lower case)
    const idx = (c | 0x20) - 97;
    if (idx !== 23 && idx !== 24 && idx !== 25 && idx !== 4 && idx !== 5) return -1;
    // The number, as `readNumber` computes it (same arithmetic, so the same double), written
    // out here without its end checks: the LF that ends the line stops every digit loop.
    let j = i + 1;
    let b = buf[j]!;
    const neg = b === 45;
    if (neg || b === 43) b = buf[++j]!;
    let int = 0;
    let digits = 0;
    while (b >= 48 && b <= 57) {
      int = int * 10 + (b - 48);
      digits++;
      b = buf[++j]!;
    }
    let v = int;
    if (b === 46) {
      b = buf[++j]!;
      let frac = 0;
      let n = 0;
      while (b >= 48 && b <= 57) {
        if (n < 15) {
          frac = frac * 10 + (b - 48);
          n++;
        }
        digits++;
        b = buf[++j]!;
      }
      if (n > 0) v = int + frac / POW10[n]!;
    }
    if (digits === 0) return -1; // a letter without a number
    if (neg) v = -v;
    const next = j;
    values[idx] = v;
    mask |= 1 << idx;
    i = next;
  }
  let contentEnd = i;
  if (contentEnd > start && buf[contentEnd - 1] === CR) contentEnd--;
  if (contentEnd - start > maxLineBytes) return -1;
  out.letter = 71;
  out.code = c1 - 48;
  out.sub = -1;
  out.mask = mask;
  out.commentStart = -1;
  out.commentEnd = -1;
  return i;
}
