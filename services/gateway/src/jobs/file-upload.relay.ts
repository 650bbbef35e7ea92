import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { GatewayError, invalidInput } from '../errors/gateway-error';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';
import { isOk, JobServiceClient, readAll } from './job-service-client';

/** Room for the multipart framing around the file (boundaries, part headers, small fields). */
export const MULTIPART_ALLOWANCE = 64 * 1024;

export interface UploadAnswer {
  status: number;
  body: unknown;
}

/**
 * `POST /api/files`: the request body is piped to the job-service's `POST /files` as it arrives,
 * never held whole (a 1 GiB file through a Pi). The size limit is checked twice: against
 * `Content-Length` before a byte is read (browsers always send it), and by counting while the
 * body streams (chunked uploads). A refusal or a client that goes away aborts the upstream
 * request, and the job-service deletes its partial file.
 */
@Injectable()
export class FileUploadRelay {
  private readonly log: Logger;

  constructor(
    private readonly client: JobServiceClient,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'file-upload' });
  }

  async relay(req: IncomingMessage, res: ServerResponse, actor: string, query: string): Promise<UploadAnswer> {
    const max = this.settings.jobService.maxUploadBytes;
    const allowance = max + MULTIPART_ALLOWANCE;
    const type = req.headers['content-type'] ?? '';
    const name = req.headers['x-file-name'];
    const multipart = type.toLowerCase().startsWith('multipart/form-data');
    // JSON and form bodies were already consumed by the body parser: not a file upload.
    if ((!multipart && typeof name !== 'string') || /^application\/(json|x-www-form-urlencoded)/i.test(type))
      throw invalidInput(
        'send the file as multipart/form-data in the field "file" (or as the raw body with an X-File-Name header)',
      );
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    const tooLarge = () =>
      new GatewayError('FILE_TOO_LARGE', `the file is larger than the limit of ${formatBytes(max)}`);
    if (Number.isFinite(declared) && declared > (multipart ? allowance : max)) {
      // Say no at once; the connection closes after the answer instead of reading the body.
      res.setHeader('Connection', 'close');
      throw tooLarge();
    }

    const headers: OutgoingHttpHeaders = { 'content-type': type || 'application/octet-stream' };
    if (Number.isFinite(declared)) headers['content-length'] = declared;
    if (typeof name === 'string') headers['x-file-name'] = name;
    const call = this.client.open('POST', `/files${query}`, actor, headers);

    return new Promise<UploadAnswer>((resolve, reject) => {
      let settled = false;
      let received = 0;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        req.off('data', count);
        req.off('close', onClose);
        fn();
      };
      let stopped = false;
      /** Stops feeding the job-service; the client's answer goes out and its connection closes. */
      const stopReading = () => {
        if (stopped) return;
        stopped = true;
        req.unpipe(call.request);
        if (req.complete) return;
        if (!res.headersSent) res.setHeader('Connection', 'close');
        req.resume();
      };
      const count = (chunk: Buffer) => {
        received += chunk.length;
        if (received <= (multipart ? allowance : max)) return;
        call.request.destroy();
        stopReading();
        // Reading on would let an endless chunked body run forever: cut it once answered.
        res.once('finish', () => req.destroy());
        settle(() => reject(tooLarge()));
      };
      const onClose = () => {
        if (req.complete) return;
        this.log.info({ actor, received }, 'upload aborted by the client');
        call.request.destroy();
        settle(() => reject(new GatewayError('UPLOAD_ABORTED', 'the upload was cut off before it completed')));
      };
      req.on('data', count);
      req.on('close', onClose);
      req.pipe(call.request);

      call.response.then(
        async (up) => {
          // The job-service may answer before the body is all sent (a refusal midway).
          stopReading();
          if (!isOk(up)) {
            const err = await this.client.refusal(up);
            return settle(() => reject(err));
          }
          const body = JSON.parse((await readAll(up, Number.POSITIVE_INFINITY)).toString('utf8')) as unknown;
          settle(() => resolve({ status: up.statusCode ?? 201, body }));
        },
        (err: Error) => {
          stopReading();
          settle(() => reject(err));
        },
      );
    });
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} bytes`;
}
