/**
 * Every refusal the gateway makes carries a stable code; `error-status.ts` maps codes to HTTP
 * statuses in one table, so controllers never pick a status themselves.
 */
export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'BAD_CREDENTIALS'
  | 'RATE_LIMITED'
  | 'CSRF_REJECTED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'PRINTER_UNREACHABLE'
  | 'COMMAND_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'FILE_TOO_LARGE'
  | 'UPLOAD_ABORTED'
  | 'JOB_SERVICE_UNAVAILABLE'
  | 'JOB_SERVICE_TIMEOUT';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    /** Seconds a client should wait before retrying (429), sent as `Retry-After`. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) =>
  new GatewayError('NOT_FOUND', `${what} ${id} not found`);
export const invalidInput = (message: string) => new GatewayError('INVALID_INPUT', message);
export const forbidden = (message: string) => new GatewayError('FORBIDDEN', message);

/**
 * A refusal the job-service made, relayed as it came: same status, code and message (its codes
 * and statuses are its own, documented in docs/job-service.md, and may grow without the gateway
 * having to learn each one).
 */
export class RelayedError extends Error {
  override readonly name = 'RelayedError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
