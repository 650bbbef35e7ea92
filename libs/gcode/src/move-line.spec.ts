import { ParsedLine, parseLine, readNumber, readNumberEnd } from './gcode-line';
import { parseMoveLine, parseMoveOrArcLine } from './move-line';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The words parseLine found, as { X: 1, … } (NaN for a letter without a number). */
function words(p: ParsedLine): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < 26; i++) if ((p.mask & (1 << i)) !== 0) out[LETTERS[i]!] = p.values[i]!;
  return out;
}

function general(line: string): ParsedLine {
  const p = new ParsedLine();
  const text = line.replace(/\r?\n$/, '');
  const buf = Buffer.from(text);
  parseLine(buf, 0, buf.length, p);
  return p;
}

/** Runs the fast path on `line` (which must end in LF); null when it declines. */
function fast(line: string, maxLineBytes = 1 << 16): { p: ParsedLine; lf: number } | null {
  const p = new ParsedLine();
  const buf = Buffer.from(line);
  const lf = parseMoveLine(buf, 0, maxLineBytes, p);
  return lf < 0 ? null : { p, lf };
}

describe('readNumber (bytes → number)', () => {
  const read = (s: string): [number, number] => {
    const b = Buffer.from(s);
    const v = readNumber(b, 0, b.length);
    return [v, readNumberEnd()];
  };

  test.each([
    ['12', 12, 2],
    ['-.5', -0.5, 3],
    ['+1', 1, 2],
    ['5.', 5, 2],
    ['.25X', 0.25, 3],
    ['-0.0001', -0.0001, 7],
    ['123.456789', 123.456789, 10],
    ['1e3', 1, 1], // no exponents in G-code: `e` is the extruder word
    ['3Y4', 3, 1],
    ['12*71', 12, 2],
  ])('%s', (text, value, end) => {
    const [v, e] = read(text);
    expect(v).toBeCloseTo(value, 12);
    expect(e).toBe(end);
  });

  test('no digits: NaN and the end stays at the start', () => {
    for (const s of ['', '-', '+', '.', '-.', 'X', ' 1']) {
      const [v, e] = read(s);
      expect(Number.isNaN(v)).toBe(true);
      expect(e).toBe(0);
    }
  });

  test('the same double as a decimal literal for typical slicer output', () => {
    for (const s of ['65.039', '84.315', '.02222', '1.56551', '-3.2', '9000', '0.2', '210.5']) expect(read(s)[0]).toBe(Number(s));
  });
});

describe('parseMoveLine (the G0/G1 fast path)', () => {
  test.each([
    'G1 X10 Y20.5 E-0.25 F1800\n',
    'G1 X65.039 Y84.315 E.0046\n',
    'G0 X1 Y2 Z.3\n',
    'g1 x1 y2 e3 f4\n',
    'G1 X1.2Y3E4\n',
    'G1 X1e3\n',
    'G1 X+4 Y-.5\n',
    'G1 F3600\n',
    'G1 Z.6 F720 ; lift\n',
    'G1 X1 ;X99\r\n',
    'G1 X1 Y2\r\n',
    'G1 X1 X2\n',
    'G1  X1   Y2  \n',
  ])('%j agrees with parseLine', (line) => {
    const f = fast(line);
    expect(f).not.toBeNull();
    const g = general(line);
    expect(f!.p.letter).toBe(g.letter);
    expect(f!.p.code).toBe(g.code);
    expect(f!.p.sub).toBe(g.sub);
    expect(words(f!.p)).toEqual(words(g));
    expect(f!.lf).toBe(line.length - 1);
  });

  test.each([
    'N123 G1 X5 Y6*71\n', // line numbers and checksums
    'G1 X5 Y6*71\n',
    'G1\tX1\n',
    'G1 X 10\n', // space between letter and number
    'G1 X Y\n', // letters without numbers
    'G1 (inline) X3\n',
    'G1 I1 J2\n',
    'G2 X1 Y1 I1\n',
    'G10\n',
    'G1\n',
    'G1X1\n',
    'G92 E0\n',
    'M104 S200\n',
    ' G1 X1\n',
    ';G1 X1\n',
    'G1 X1\rY2\n', // a lone CR
  ])('%j goes to the general parser', (line) => {
    expect(fast(line)).toBeNull();
  });

  test('a line longer than maxLineBytes goes to the general parser (which truncates it)', () => {
    expect(fast('G1 X1 Y2 ; a long comment\n', 10)).toBeNull();
    expect(fast('G1 X1 Y2\n', 10)).not.toBeNull();
  });
});

describe('parseMoveOrArcLine (the fast path with arcs: G0 to G3, I/J/R words too)', () => {
  const fastArc = (line: string): { p: ParsedLine; lf: number } | null => {
    const p = new ParsedLine();
    const buf = Buffer.from(line);
    const lf = parseMoveOrArcLine(buf, 0, 1 << 16, p);
    return lf < 0 ? null : { p, lf };
  };

  test.each([
    'G2 X10 Y0 I5 J0 E.5\n',
    'G3 X20 Y0 R10 F1200\n',
    'g3 x1 y1 i-.5 j.5 e.01\n',
    'G2 X1 Y1 R-3 E.2 ; arc\r\n',
    'G1 X10 Y20.5 E-0.25 F1800\n',
    'G0 X1 Y2 Z.3\n',
    'G1 I1 J2\n',
  ])('%j agrees with parseLine', (line) => {
    const summary = (p: ParsedLine) => ({ command: [p.letter, p.code, p.sub], words: words(p) });
    const f = fastArc(line);
    expect(f && summary(f.p)).toEqual(summary(general(line)));
    expect(f!.lf).toBe(line.length - 1);
  });

  test.each(['G2 X1 Y1 I1 K1\n', 'G2 X1 Y1 P2 I1\n', 'G2 X1 I\n', 'G4 P100\n', 'G28 X0\n', 'G21\n', 'G20 X1\n', 'G3\tX1 R1\n', 'M2 X1\n'])(
    '%j goes to the general parser',
    (line) => {
      expect(fastArc(line)).toBeNull();
    },
  );

  test('G0/G1 lines are parsed as by parseMoveLine', () => {
    for (const line of ['G1 X65.039 Y84.315 E.0046\n', 'G1 X1.2Y3E4\n', 'G1 X1.1234567890123456789 Y-0.00000000000000000001\n']) {
      const a = fastArc(line)!;
      const b = fast(line)!;
      expect(a.lf).toBe(b.lf);
      expect(words(a.p)).toEqual(words(b.p));
    }
  });
});
