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
  | 'UPSTREAM_UNAVAILABLE';

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
