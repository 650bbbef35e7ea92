import type { IncomingMessage } from 'node:http';
import { invalid } from '../errors';

const MAX_JSON_BYTES = 64 * 1024;

/** A small JSON request body (queue operations); anything larger or malformed is refused. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw invalid(`JSON body over ${MAX_JSON_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw invalid('body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body must be a JSON object');
  return body as Record<string, unknown>;
}
