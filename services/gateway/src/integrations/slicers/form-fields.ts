import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { GatewayError, invalidInput } from '../../errors/gateway-error';

/** Values OctoPrint takes as "yes" for `print` and `select` (its `valid_boolean_trues`). */
const TRUES = new Set(['true', 'yes', 'y', '1']);
export const isTrue = (value: string | undefined): boolean => value !== undefined && TRUES.has(value.trim().toLowerCase());

export interface FieldSniffer {
  /** The small form fields (never the file), once the whole body went by or the client left. */
  done: Promise<Record<string, string>>;
}

/**
 * Reads the small fields of a multipart upload (`print`, `select`, `path`, `root`) while the
 * same bytes stream on to the job-service: a second reader of the request, which discards the
 * file part as it passes and keeps nothing but fields of at most 4 KiB. Slicers send some fields
 * after the file (Cura's `select` and `print`), so they are known only once the body has passed.
 * Must be attached in the same tick as the relay's pipe, before the request starts flowing.
 */
export function sniffFormFields(req: IncomingMessage): FieldSniffer {
  const fields: Record<string, string> = {};
  const done = new Promise<Record<string, string>>((resolve) => {
    const finish = () => resolve(fields);
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fields: 20, fieldSize: 4096, parts: 30 } });
    } catch {
      return finish(); // not multipart: the relay says why
    }
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (_name, stream) => stream.resume());
    bb.on('close', finish);
    bb.on('error', finish);
    req.on('close', finish);
    req.pipe(bb);
  });
  return { done };
}

/** How far `fieldsBeforeFile` reads at most: room for every small field a slicer sends first. */
export const HEAD_LIMIT = 128 * 1024;

/**
 * The fields a multipart upload sends before its file part (PrusaSlicer's `print` and `path`),
 * known before anything is relayed: reads the body up to where the file part starts (at most
 * `limit` bytes; a file that starts later gives the fields seen so far), then puts every byte
 * read back at the front of the request, paused, so that the relay and `sniffFormFields` read
 * the whole body from its first byte as if nothing had happened. busboy parses each chunk as it
 * is written, so the file part's start stops the reading in the very chunk it is in, before the
 * request can end (bytes cannot be put back after its end). Not multipart: no fields, nothing
 * read. Rejects with INVALID_INPUT for a body that ends without a file part, with UPLOAD_ABORTED
 * when the client goes away meanwhile.
 */
export function fieldsBeforeFile(req: IncomingMessage, limit = HEAD_LIMIT): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { fields: 20, fieldSize: 4096, parts: 30 } });
  } catch {
    return Promise.resolve(fields); // not multipart: the relay says why
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let stopped = false;
    const stop = (failure?: GatewayError) => {
      if (stopped) return;
      stopped = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      // Paused before the bytes go back, so they wait for the next reader instead of being emitted.
      req.pause();
      bb.removeAllListeners();
      bb.on('error', () => undefined);
      if (failure) return reject(failure);
      if (chunks.length > 0) req.unshift(Buffer.concat(chunks));
      resolve(fields);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // The file part's start (`file`) stops the reading in this call.
      bb.write(chunk);
      if (size >= limit) stop();
    };
    // Only a body without a file part gets here; an empty one is left to the relay (nothing read).
    const onEnd = () => stop(size > 0 ? invalidInput('multipart body has no field "file"') : undefined);
    const onClose = () => !req.complete && stop(new GatewayError('UPLOAD_ABORTED', 'the upload was cut off before it completed'));
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (_name, stream) => {
      stream.resume();
      stop();
    });
    bb.on('error', () => stop());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}
