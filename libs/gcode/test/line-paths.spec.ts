import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineSplitter, Simulator, marlinDefaults } from '../src';
import { CORPUS_DIR, corpusFiles } from './corpus';

/**
 * The simulator takes whole runs of lines (`Simulator.lines`, with the G0/G1 fast path) when the
 * splitter offers them, and single lines (`Simulator.line`) otherwise. Both must give the same
 * totals, layers and line counts, whatever the chunking, line endings and truncation.
 */
function run(data: Buffer, perLine: boolean, chunk: number, maxLineBytes = 1 << 16) {
  const sim = new Simulator(marlinDefaults());
  const sink = perLine ? { line: sim.line.bind(sim) } : sim;
  const sp = new LineSplitter(sink, maxLineBytes);
  for (let i = 0; i < data.length; i += chunk) sp.push(data.subarray(i, i + chunk));
  sp.end();
  return {
    totals: sim.finish(),
    markerLayers: sim.markerLayers.toLayers(),
    zLayers: sim.zLayers.toLayers(),
    counts: { lines: sp.lines, crlf: sp.crlfLines, lf: sp.lfLines, truncated: sp.truncatedLines },
  };
}

describe('block path (Simulator.lines) = per-line path (Simulator.line)', () => {
  test.each(corpusFiles())('%s', (file) => {
    const data = fs.readFileSync(path.join(CORPUS_DIR, file));
    expect(run(data, false, 64 * 1024)).toEqual(run(data, true, 64 * 1024));
  });

  test('CRLF, odd chunk sizes, truncated lines, comments and tricky moves', () => {
    const text = [
      '; header',
      'G21',
      'M83',
      'G1 X1 Y2 E.5 F1200',
      'g1 x3 y4 e.5',
      'G1 X5Y6E.5',
      'G1 X 7 Y 8 E .5',
      'N10 G1 X9 Y10 E.5*33',
      'G1 X11 Y12 E.5 ; ' + 'c'.repeat(80),
      ';LAYER_CHANGE',
      'G1 Z.4',
      'G1\tX12 Y12 E.5',
      'G1 X1e1 Y3',
      '',
      '   ',
      'G4 P100',
      'G1 X0 Y0 E1',
    ].join('\r\n');
    const data = Buffer.from(text + '\r\n');
    for (const chunk of [7, 64, 1 << 16])
      for (const max of [40, 1 << 16]) expect(run(data, false, chunk, max)).toEqual(run(data, true, chunk, max));
    expect(run(data, false, 1 << 16, 40).counts).toMatchObject({ crlf: 17, lf: 0, truncated: 1 });
  });

  test('object markers of every kind (comments, Klipper and M486 commands, Simplify3D bare names)', () => {
    const text = [
      'M83',
      'G1 Z0.2 F600',
      'G1 X0 Y1 E5',
      '; layer 1, Z = 0.2',
      '; skirt',
      'G1 X30 Y30 E1',
      '  ; outer perimeter',
      'G1 X40 Y40 E1',
      '; printing object a',
      'G1 X50 Y40 E1',
      '; stop printing object a',
      'G1 X90 Y90 E1',
      'exclude_object_start NAME=b',
      'G1 X45 Y45 E1',
      'EXCLUDE_OBJECT_END NAME=b',
      'M486 S0',
      'G1 X46 Y41 E1',
      'M486 AStage3 S-1',
      'G1 X47 Y42 E1',
      'M486 S-1',
      ';MESH:c.stl',
      'G1 X48 Y43 E1',
      ';TIME_ELAPSED:3.5',
      'G1 X100 Y100 E1',
    ].join('\r\n');
    const data = Buffer.from(text + '\r\n');
    for (const chunk of [6, 64, 1 << 16]) expect(run(data, false, chunk)).toEqual(run(data, true, chunk));
    expect(run(data, false, 1 << 16).totals).toMatchObject({
      objectsBboxFrom: 'object-markers',
      objectsBbox: { minX: 40, minY: 40, minZ: 0.2, maxX: 90, maxY: 90, maxZ: 0.2 },
    });
  });

  test('arcs (the fast path takes G2/G3 with I, J, R), degenerate ones included', () => {
    const text = [
      'M83',
      'G1 X0 Y0 F1200',
      'G2 X20 Y0 I10 J0 E1',
      'g3 x0 y0 r10 e1',
      'G2 X0 Y0 I5 J0 E.5 ; a full circle',
      'G3 X5 Y5 Z.4 R-5 E.2',
      'G2 X1 Y1 I1 K0 E.1',
      'G2 X9 Y9 R.1 E.1',
      'G3 X10 Y10 I0 J0 E1',
      'G20',
      'G2 X1 Y0 I.5 J0 E.01',
    ].join('\r\n');
    const data = Buffer.from(text + '\r\n');
    for (const chunk of [5, 64, 1 << 16]) expect(run(data, false, chunk)).toEqual(run(data, true, chunk));
    expect(run(data, false, 1 << 16).totals).toMatchObject({ arcs: 6, motionCommands: 9 });
  });
});
