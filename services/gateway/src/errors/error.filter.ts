import { ArgumentsHost, Catch, HttpException, Inject, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { ERROR_STATUS } from './error-status';
import { GatewayError, RelayedError } from './gateway-error';

export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Every error leaves as `{"error": {"code", "message"}}` with a message a person can act on.
 * Nest's own HttpExceptions (unknown route, malformed JSON) get a code from their status; any
 * other throw is a bug: logged with its stack, answered with a plain 500.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.describe(err);
    // A streamed answer (a download) that failed midway cannot become JSON any more: cut it.
    if (res.headersSent) return void res.destroy();
    if (err instanceof GatewayError && err.retryAfterS !== undefined)
      res.setHeader('Retry-After', String(err.retryAfterS));
    res.status(status).json(body);
  }

  private describe(err: unknown): [number, ErrorBody] {
    if (err instanceof GatewayError)
      return [ERROR_STATUS[err.code], { error: { code: err.code, message: err.message } }];
    if (err instanceof RelayedError) return [err.status, { error: { code: err.code, message: err.message } }];
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const code =
        status === 404
          ? 'NOT_FOUND'
          : status === 400
            ? 'INVALID_INPUT'
            : status === 413
              ? 'TOO_LARGE'
              : `HTTP_${status}`;
      return [status, { error: { code, message: err.message } }];
    }
    this.logger.error(
      { err: (err as Error).message, stack: (err as Error).stack },
      'unhandled error in a request',
    );
    return [500, { error: { code: 'INTERNAL', message: 'internal error; the gateway log has the details' } }];
  }
}
