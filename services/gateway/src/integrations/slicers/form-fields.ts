import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

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
