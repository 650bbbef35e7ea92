/**
 * Every refusal the job-service makes, with a stable code. The HTTP layer maps codes to statuses
 * (one table, `http/error-status.ts`); the gateway relays code and message unchanged.
 */
export type JobServiceErrorCode =
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'INVALID_FILE_NAME'
  | 'FILE_TOO_LARGE'
  | 'FILE_EMPTY'
  | 'FILE_BINARY'
  | 'FILE_BGCODE'
  | 'FILE_NOT_PRINTABLE'
  | 'UPLOAD_ABORTED'
  | 'INVALID_STATE';

export class JobServiceError extends Error {
  override readonly name = 'JobServiceError';
  constructor(
    readonly code: JobServiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new JobServiceError('NOT_FOUND', `${what} ${id} not found`);
export const invalid = (message: string) => new JobServiceError('INVALID_INPUT', message);
