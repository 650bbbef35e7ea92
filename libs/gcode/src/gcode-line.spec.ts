import { ParsedLine, parseLine } from './gcode-line';

function parse(text: string): ParsedLine {
  const p = new ParsedLine();
  const buf = Buffer.from(text);
  parseLine(buf, 0, buf.length, p);
  return p;
}

describe('parseLine', () => {
  test.each([
    ['G1 X10 Y20.5 E-0.25 F1800', { X: 10, Y: 20.5, E: -0.25, F: 1800 }],
    ['G1X10Y20.5E.5', { X: 10, Y: 20.5, E: 0.5 }],
    ['g1 x 10 y -2', { X: 10, Y: -2 }],
    ['N123 G1 X5 Y6*71', { X: 5, Y: 6 }],
    ['G1\tX1\tY2 ; move (not parsed) X99', { X: 1, Y: 2 }],
    ['G1 (inline comment X99) X3', { X: 3 }],
    ['  G1 X+4', { X: 4 }],
  ])('%s', (line, params) => {
    const p = parse(line);
    expect(p.letter).toBe(71);
    expect(p.code).toBe(1);
    for (const [k, v] of Object.entries(params)) expect(p.get(k)).toBeCloseTo(v, 9);
    expect(p.has('Z')).toBe(false);
  });

  test('comment-only and blank lines have no command but keep the comment range', () => {
    const p = parse(';LAYER:3');
    expect(p.letter).toBe(0);
    expect(p.commentStart).toBe(1);
    expect(parse('   ').letter).toBe(0);
  });

  test('a letter without a number is present with NaN (G28 X)', () => {
    const p = parse('G28 X Y');
    expect(p.code).toBe(28);
    expect(p.has('X')).toBe(true);
    expect(Number.isNaN(p.get('X'))).toBe(true);
  });

  test('sub-codes and text commands', () => {
    expect(parse('G29.1').sub).toBe(1);
    const m = parse('M117 X marks the spot');
    expect(m.code).toBe(117);
    expect(m.mask).toBe(0);
  });
});
