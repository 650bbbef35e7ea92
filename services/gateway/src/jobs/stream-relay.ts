import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { JobServiceClient } from './job-service-client';

/**
 * Streams a job-service answer (file content, a thumbnail, the CSV export) to the browser
 * without holding it: only the named headers pass, plus `extra`. A refusal before the first
 * byte becomes the usual JSON error; a client that goes away stops the upstream read.
 */
export async function relayStream(
  client: JobServiceClient,
  path: string,
  actor: string,
  res: Response,
  pass: readonly string[],
  extra: Record<string, string> = {},
): Promise<void> {
  const call = client.open('GET', path, actor);
  call.request.end();
  const up: IncomingMessage = await call.response;
  if ((up.statusCode ?? 0) !== 200) throw await client.refusal(up);
  res.status(200);
  for (const name of pass) {
    const value = up.headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  try {
    await pipeline(up, res);
  } catch {
    // The browser left, or the job-service stopped midway; either way the socket is closed.
  }
}
