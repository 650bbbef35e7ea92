import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { GcodeError, type GcodeErrorCode } from '../errors';
import type { AnalysisProgress } from '../analyzer';
import type { AnalysisResult } from '../result';
import type { MachineLimitsInput } from '../planner/machine-limits';
import type { FromWorker, ToWorker } from './protocol';

export interface WorkerAnalyzeOptions {
  limits?: MachineLimitsInput;
  onProgress?: (p: AnalysisProgress) => void;
  signal?: AbortSignal;
  /** Starts the worker; the default runs the compiled `analysis-worker.js` beside this file. */
  createWorker?: (options: WorkerOptions) => Worker;
}

export const defaultWorkerPath = (): string => path.join(__dirname, 'analysis-worker.js');

/** Runs `analyzeFile` off the main thread, with progress and cancellation. */
export function analyzeInWorker(file: string, opts: WorkerAnalyzeOptions = {}): Promise<AnalysisResult> {
  if (opts.signal?.aborted) return Promise.reject(new GcodeError('ABORTED', 'analysis cancelled'));
  const worker = opts.createWorker ? opts.createWorker({}) : new Worker(defaultWorkerPath());
  return new Promise<AnalysisResult>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      finish(() => reject(new GcodeError('ABORTED', 'analysis cancelled')));
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(m.code ? new GcodeError(m.code as GcodeErrorCode, m.message) : new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`analysis worker exited with code ${code}`))));
    worker.postMessage({ type: 'analyze', path: file, limits: opts.limits } satisfies ToWorker);
  });
}
