import { LineSplitter, type LineSink } from './line-splitter';
import { GcodeError } from './errors';

function split(chunks: (string | Buffer)[], max?: number): { lines: string[]; s: LineSplitter } {
  const lines: string[] = [];
  const sink: LineSink = { line: (b, s, e) => lines.push(b.toString('latin1', s, e)) };
  const s = new LineSplitter(sink, max);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return { lines, s };
}

describe('LineSplitter', () => {
  test('LF, CRLF and a last line without newline', () => {
    const { lines, s } = split(['G1 X1\r\nG1 X2\nG1 X3']);
    expect(lines).toEqual(['G1 X1', 'G1 X2', 'G1 X3']);
    expect(s.crlfLines).toBe(1);
    expect(s.lines).toBe(3);
  });

  test('lines cut across any chunk boundary, CR included', () => {
    const text = 'G1 X1\r\nM104 S200\r\n;comment\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { lines } = split([text.slice(0, cut), text.slice(cut)]);
      expect(lines).toEqual(['G1 X1', 'M104 S200', ';comment']);
    }
  });

  test('a huge line is truncated, memory stays bounded', () => {
    const huge = ';' + 'x'.repeat(100_000);
    const { lines, s } = split([huge.slice(0, 30_000), huge.slice(30_000), '\nG1 X1\n'], 1000);
    expect(lines[0]).toHaveLength(1000);
    expect(lines[1]).toBe('G1 X1');
    expect(s.truncatedLines).toBe(1);
  });

  test('NUL bytes are binary, invalid UTF-8 is refused, .bgcode recognised', () => {
    expect(() => split([Buffer.from([0x47, 0x31, 0x00, 0x0a])])).toThrow(expect.objectContaining({ code: 'BINARY' }));
    expect(() => split([Buffer.from([0x3b, 0xff, 0xfe, 0x0a])])).toThrow(expect.objectContaining({ code: 'INVALID_UTF8' }));
    expect(() => split([Buffer.from('GCDE\x01\x00\x00\x00')])).toThrow(GcodeError);
    try {
      split([Buffer.from('GCDE\x01\x00\x00\x00')]);
    } catch (e) {
      expect((e as GcodeError).code).toBe('BGCODE');
      expect((e as GcodeError).message).toMatch(/bgcode/);
    }
  });

  test('a multi-byte character split between chunks is valid UTF-8', () => {
    const b = Buffer.from('; température\nG1 X1\n');
    const { lines } = split([b.subarray(0, 7), b.subarray(7)]);
    expect(lines).toHaveLength(2);
  });
});
