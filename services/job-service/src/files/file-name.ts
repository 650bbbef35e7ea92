import { JobServiceError } from '../errors';

/**
 * A file's name is data shown to people, never a path: names with a directory part, control
 * characters or only dots are refused rather than "cleaned", so the uploader sees why.
 */
export function checkFileName(raw: string | undefined): string {
  const name = (raw ?? '').trim();
  const refuse = (why: string) => new JobServiceError('INVALID_FILE_NAME', `file name ${JSON.stringify(name.slice(0, 80))}: ${why}`);
  if (!name) throw refuse('a file name is required');
  if (name.length > 200) throw refuse('longer than 200 characters');
  if (/[/\\]/.test(name)) throw refuse('must not contain / or \\ (a name, not a path)');
  if (/^\.+$/.test(name)) throw refuse('not a file name');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw refuse('must not contain control characters');
  return name;
}
