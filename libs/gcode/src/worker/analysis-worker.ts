import { parentPort } from 'node:worker_threads';
import { analyzeFile } from '../file-analysis';
import { GcodeError } from '../errors';
import type { FromWorker, ToWorker } from './protocol';

/** Worker entry: one analysis per worker; `cancel` aborts between chunks. */
const port = parentPort;
if (port) {
  const controller = new AbortController();
  const send = (m: FromWorker) => port.postMessage(m);
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'cancel') {
      controller.abort();
      return;
    }
    analyzeFile(msg.path, { limits: msg.limits, signal: controller.signal, onProgress: (progress) => send({ type: 'progress', progress }) })
      .then((result) => send({ type: 'done', result }))
      .catch((e: unknown) => send({ type: 'error', code: e instanceof GcodeError ? e.code : null, message: (e as Error).message }));
  });
}
