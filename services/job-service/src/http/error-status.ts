import type { JobServiceErrorCode } from '../errors';

/** The one table from error codes to HTTP statuses. */
export const ERROR_STATUS: Record<JobServiceErrorCode, number> = {
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  INVALID_FILE_NAME: 400,
  FILE_TOO_LARGE: 413,
  FILE_EMPTY: 422,
  FILE_BINARY: 415,
  FILE_BGCODE: 415,
  FILE_NOT_PRINTABLE: 422,
  UPLOAD_ABORTED: 400,
  INVALID_STATE: 409,
};
