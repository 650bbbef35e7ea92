import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { GatewayError, RelayedError } from '../errors/gateway-error';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';

/** A call on its way: the request (to stream a body into or abort) and its answer. */
export interface OpenCall {
  request: ClientRequest;
  response: Promise<IncomingMessage>;
}

/** The longest error body read from the job-service; its errors are a line of JSON. */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The gateway's door to the job-service's internal HTTP API (docs/job-service.md). Every call
 * carries the shared bearer token (read from the data dir when first needed, re-read once when
 * refused, so a job-service that generated it after the gateway started is still reached) and the
 * acting user in `X-Requested-By`. Refusals come back as `RelayedError` with the job-service's
 * status, code and message; a job-service that cannot be reached is a 503 that says so.
 */
@Injectable()
export class JobServiceClient {
  private token: string | null = null;
  private readonly log: Logger;

  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'job-service-client' });
  }

  get baseUrl(): string {
    return this.settings.jobService.url;
  }

  /** A JSON call; resolves with the 2xx answer, throws the job-service's refusal otherwise. */
  async json<T = unknown>(
    method: string,
    path: string,
    actor: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: OutgoingHttpHeaders = payload
      ? { 'content-type': 'application/json', 'content-length': payload.length }
      : {};
    for (let attempt = 0; ; attempt++) {
      const call = this.open(method, path, actor, headers, this.settings.jobService.timeoutMs);
      call.request.end(payload);
      const res = await call.response;
      if (res.statusCode === 401 && attempt === 0) {
        res.resume();
        this.token = null; // rotated or created after we read it: read it again, once
        continue;
      }
      if (!isOk(res)) throw await this.refusal(res);
      const text = (await readAll(res, Number.POSITIVE_INFINITY)).toString('utf8');
      return { status: res.statusCode ?? 200, body: (text ? JSON.parse(text) : null) as T };
    }
  }

  /**
   * Starts a call whose body the caller writes (or pipes) into `request` and ends. `timeoutMs`
   * 0: none (uploads and downloads of large files take as long as they take).
   * @throws GatewayError JOB_SERVICE_UNAVAILABLE when there is no token yet
   */
  open(
    method: string,
    path: string,
    actor: string,
    headers: OutgoingHttpHeaders = {},
    timeoutMs = 0,
  ): OpenCall {
    const url = new URL(`${this.baseUrl}${path}`);
    const token = this.readToken(); // throws a 503 when the job-service never ran
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method,
      headers: {
        ...headers,
        authorization: `Bearer ${token}`,
        // Names are ASCII-safe here (the gateway's user names), but be strict anyway.
        'x-requested-by': encodeHeader(actor),
      },
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', resolve);
      request.once('error', (err: NodeJS.ErrnoException) => reject(this.unreachable(err)));
      if (timeoutMs > 0)
        request.setTimeout(timeoutMs, () => {
          reject(
            new GatewayError(
              'JOB_SERVICE_TIMEOUT',
              `the job-service did not answer within ${timeoutMs / 1000} s; try again in a moment`,
            ),
          );
          request.destroy();
        });
    });
    // An error after the answer (the job-service closing an upload it refused) is expected.
    response.catch(() => undefined);
    return { request, response };
  }

  /** Turns a non-2xx answer into the error the gateway's client should see. */
  async refusal(res: IncomingMessage): Promise<Error> {
    const status = res.statusCode ?? 502;
    let code = `HTTP_${status}`;
    let message = res.statusMessage ?? 'refused';
    try {
      const parsed = JSON.parse((await readAll(res, MAX_ERROR_BODY)).toString('utf8')) as {
        error?: { code?: unknown; message?: unknown };
      };
      if (typeof parsed.error?.code === 'string') code = parsed.error.code;
      if (typeof parsed.error?.message === 'string') message = parsed.error.message;
    } catch {
      // not JSON: keep the status line
    }
    if (status === 401) {
      this.token = null;
      return new GatewayError(
        'JOB_SERVICE_UNAVAILABLE',
        'the job-service refused the gateway’s internal token; both must use the same PRINTFLEET_DATA_DIR (or the job-service was reset): try again, then ask an admin',
      );
    }
    if (status >= 500) {
      this.log.warn({ status, code, message }, 'job-service failed a request');
      return new RelayedError(502, 'JOB_SERVICE_ERROR', `the job-service failed: ${message}`);
    }
    return new RelayedError(status, code, message);
  }

  private readToken(): string {
    if (this.token) return this.token;
    let text = '';
    try {
      text = readFileSync(this.settings.jobService.tokenFile, 'utf8').trim();
    } catch {
      // handled below
    }
    if (!text)
      throw new GatewayError(
        'JOB_SERVICE_UNAVAILABLE',
        'the job-service has not started yet (no internal token in the data dir); files, jobs and the queue are unavailable until it runs',
      );
    this.token = text;
    return text;
  }

  private unreachable(err: NodeJS.ErrnoException): GatewayError {
    if (err instanceof GatewayError) return err;
    this.log.warn({ url: this.baseUrl, err: err.message }, 'job-service unreachable');
    return new GatewayError(
      'JOB_SERVICE_UNAVAILABLE',
      `the job-service cannot be reached at ${this.baseUrl} (${err.code ?? err.message}); files, jobs and the queue are unavailable until it is back`,
    );
  }
}

export const isOk = (res: IncomingMessage) => (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;

/** Reads a whole (small) answer; more than `limit` bytes is cut off. */
export async function readAll(stream: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const encodeHeader = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : encodeURIComponent(s));
