import { ParsedLine, parseLine } from '../src/gcode-line';

/** One line through the general parser. */
export function parsed(line: string): ParsedLine {
  const p = new ParsedLine();
  const buf = Buffer.from(line);
  parseLine(buf, 0, buf.length, p);
  return p;
}
