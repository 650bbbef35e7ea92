/** Why a file was refused or an analysis stopped. Codes are stable: services map them to HTTP/MQTT replies. */
export type GcodeErrorCode =
  | 'EMPTY' // zero bytes
  | 'BINARY' // NUL or other control bytes: not a text file
  | 'INVALID_UTF8' // text that is not UTF-8
  | 'BGCODE' // Prusa binary G-code (magic "GCDE")
  | 'NO_MOTION' // text, but no G0-G3 move at all
  | 'ABORTED' // cancelled through an AbortSignal
  | 'IO'; // the file could not be read

export class GcodeError extends Error {
  override readonly name = 'GcodeError';
  constructor(
    readonly code: GcodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isGcodeError(e: unknown): e is GcodeError {
  return e instanceof GcodeError;
}
