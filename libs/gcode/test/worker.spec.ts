import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyzeInWorker, analyzeFile, CachedAnalyzer, LruAnalysisStore, GcodeError, sha256File } from '../src';
import { CORPUS_DIR } from './corpus';

/** Runs the TypeScript worker entry directly: swc compiles it on require (no build needed). */
function tsWorker(): Worker {
  const swc = require.resolve('@swc/core');
  const entry = path.resolve(__dirname, '../src/worker/analysis-worker.ts');
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
  return new Worker(code, { eval: true });
}

const file = path.join(CORPUS_DIR, 'prusaslicer-2.6.1-benchy-png.gcode');

test('analysis in a worker thread gives the same result, with progress', async () => {
  const progress: number[] = [];
  const r = await analyzeInWorker(file, { createWorker: tsWorker, onProgress: (p) => progress.push(p.fraction ?? -1) });
  const direct = await analyzeFile(file);
  expect(r.estimateS).toBe(direct.estimateS);
  expect(r.layers).toBe(direct.layers);
  expect(Buffer.from(r.images[0]!.data).subarray(1, 4).toString()).toBe('PNG');
  expect(progress.length).toBeGreaterThan(0);
  expect(progress[progress.length - 1]).toBe(1);
});

test('a cancelled analysis rejects with ABORTED', async () => {
  const ac = new AbortController();
  const p = analyzeInWorker(file, { createWorker: tsWorker, signal: ac.signal });
  ac.abort();
  await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
});

test('errors keep their code across the thread boundary', async () => {
  await expect(analyzeInWorker(path.join(CORPUS_DIR, 'expected.json'), { createWorker: tsWorker })).rejects.toBeInstanceOf(GcodeError);
});

test('results are cached by sha256; concurrent requests share one run', async () => {
  let runs = 0;
  const store = new LruAnalysisStore(2);
  const cache = new CachedAnalyzer(async (p) => {
    runs++;
    return analyzeFile(p);
  }, store);
  const [a, b] = await Promise.all([cache.analyzeFile(file), cache.analyzeFile(file)]);
  expect(a).toBe(b);
  const again = await cache.analyzeFile(file, await sha256File(file));
  expect(again).toBe(a);
  expect(runs).toBe(1);
  expect(store.size).toBe(1);
});
