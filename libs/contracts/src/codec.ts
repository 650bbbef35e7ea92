import { z } from 'zod';

/** Hard cap on any payload we parse; the broker enforces the same figure on the wire. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses and validates one MQTT payload; never throws, the error says what was wrong. */
export function decodePayload<S extends z.ZodType>(schema: S, payload: Buffer | string): Decoded<z.infer<S>> {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_PAYLOAD_BYTES) return { ok: false, error: `payload of ${size} bytes exceeds ${MAX_PAYLOAD_BYTES}` };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch (err) {
    return { ok: false, error: `payload is not JSON: ${(err as Error).message}` };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: formatIssues(result.error) };
}

/** `file.sha256: a lower-case hex sha256; commandId: required` — one line a human can act on. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(payload)'}: ${issue.message}`)
    .join('; ');
}

/** Validates before encoding so a bug in a publisher never puts a bad message on the wire. */
export function encodePayload<S extends z.ZodType>(schema: S, value: z.infer<S>): string {
  return JSON.stringify(schema.parse(value));
}

/** Best effort: the commandId of a payload that failed validation, so the refusal can be matched. */
export function salvageCommandId(payload: Buffer | string): string | null {
  try {
    const id = (JSON.parse(payload.toString()) as { commandId?: unknown }).commandId;
    return typeof id === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}
