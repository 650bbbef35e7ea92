import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyzeBuffer, analyzeFile, type PlannerWorkerFactory } from '../src';
import { CORPUS_DIR } from './corpus';

/** Starts the TypeScript planner worker directly: swc compiles it on require (no build needed). */
const tsPlannerWorker: PlannerWorkerFactory = (workerData, transferList) => {
  const swc = require.resolve('@swc/core');
  const entry = path.resolve(__dirname, '../src/planner/planner-worker.ts');
  const code = `
    const fs = require('fs');
    const { transformSync } = require(${JSON.stringify(swc)});
    require.extensions['.ts'] = (m, filename) => {
      const out = transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
      });
      m._compile(out.code, filename);
    };
    require(${JSON.stringify(entry)});`;
  return new Worker(code, { eval: true, workerData, transferList });
};

describe('planning on a worker thread gives exactly the in-thread results', () => {
  test.each([
    'prusaslicer-2.6.1-benchy-png.gcode', // jerk, M204 before every feature, > 1 ring of moves
    'prusaslicer-2.7.4-screw-arcs-png.gcode', // arcs
    'cura-master-part.gcode', // junction deviation, ;LAYER: markers
    'simplify3d-4.0.1-benchy-dual.gcode', // tool changes, dwell
    'slic3r-1.3.0-ring-fwretract.gcode', // firmware retraction, no markers (layers by Z)
  ])('%s', async (file) => {
    const f = path.join(CORPUS_DIR, file);
    const local = await analyzeFile(f, { plannerThread: false });
    const remote = await analyzeFile(f, { plannerThread: tsPlannerWorker });
    expect(remote).toEqual(local);
  });

  test('M201–M205 in the file reach the worker', () => {
    const g = ['M201 X100 Y100', 'M203 X20', 'M204 P50 T80', 'M205 X1 Y1', 'G1 F1200 X10 E1', 'M204 P500', 'G1 Y10 E2', 'M205 J0.02', 'G1 X0 E3'];
    const text = g.join('\n') + '\n';
    expect(analyzeBuffer(text, { plannerThread: tsPlannerWorker })).toEqual(analyzeBuffer(text));
  });

  test('an analysis that fails midway stops its worker', async () => {
    const workers: Worker[] = [];
    const factory: PlannerWorkerFactory = (data, list) => {
      const w = tsPlannerWorker(data, list);
      workers.push(w);
      return w;
    };
    const data = Buffer.concat([Buffer.from('G1 X1 E1 F600\n'.repeat(1000)), Buffer.from([0x47, 0x00, 0x0a])]);
    expect(() => analyzeBuffer(data, { plannerThread: factory })).toThrow(expect.objectContaining({ code: 'BINARY' }));
    expect(workers).toHaveLength(1);
    await new Promise((resolve) => workers[0]!.once('exit', resolve));
  });
});
