import type { GatewayErrorCode } from './gateway-error';

/** The one table from error code to HTTP status. */
export const ERROR_STATUS: Record<GatewayErrorCode, number> = {
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  RATE_LIMITED: 429,
  CSRF_REJECTED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  PRINTER_UNREACHABLE: 503,
  COMMAND_TIMEOUT: 504,
  UPSTREAM_UNAVAILABLE: 502,
};
