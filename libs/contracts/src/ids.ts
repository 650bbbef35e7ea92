/**
 * Ids become MQTT topic levels, so they must never contain the separators or wildcards of
 * MQTT 3.1.1 §4.7 (`/`, `+`, `#`), must not start with `$` (§4.7.2, reserved for the broker),
 * and are kept to a safe, printable set so they also work as file-system and URL components.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_RULE =
  'an id is 1-64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit';

export class InvalidIdError extends Error {
  constructor(kind: string, value: unknown) {
    super(`invalid ${kind} ${JSON.stringify(value)}: ${ID_RULE}`);
    this.name = 'InvalidIdError';
  }
}

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function assertId(kind: string, value: unknown): string {
  if (!isValidId(value)) throw new InvalidIdError(kind, value);
  return value;
}

/**
 * Turns a free-form name (a USB serial number, a host name) into a valid id, or returns null
 * when nothing usable is left. Used where the outside world names things, never to "fix" ids
 * that arrive in messages: those are refused instead.
 */
export function slugifyId(raw: string): string | null {
  const slug = raw
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return isValidId(slug) ? slug : null;
}
