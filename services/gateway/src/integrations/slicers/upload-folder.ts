import { invalidInput } from '../../errors/gateway-error';

/** The job-service's limit for a file's folder. */
export const MAX_FOLDER_LENGTH = 200;
export const MAX_FOLDER_DEPTH = 8;
const MAX_SEGMENT_LENGTH = 100;
/** Letters and digits of any script, space and a few signs people put in folder names. */
const SEGMENT = /^[\p{L}\p{M}\p{N} _.,()+&@'-]+$/u;

/**
 * OctoPrint's upload folder (`path`, "prints/pla") as the library folder of the uploaded file.
 * The library's folder is a label stored with the file, never a filesystem path (files are kept
 * under their content hash), but it is still checked, and refused rather than "cleaned", so the
 * slicer shows why: relative (no leading `/`, no drive letter), segments of letters, digits,
 * space and `_ . , ( ) + & @ ' -`, none empty or starting with a dot (so no `.` or `..`), at most
 * 8 levels and 200 characters. Backslashes count as `/` (PrusaSlicer on Windows sends the folder
 * as typed), a trailing `/` is dropped. Empty or absent: the library's root (null).
 */
export function folderFromOctoPrintPath(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  const refuse = (why: string) => invalidInput(`path ${JSON.stringify(raw.slice(0, 80))}: ${why}`);
  const path = raw.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    throw refuse('must be a folder in the library such as "prints/pla", not an absolute path');
  const folder = path.endsWith('/') ? path.slice(0, -1) : path;
  if (folder.length > MAX_FOLDER_LENGTH) throw refuse(`longer than ${MAX_FOLDER_LENGTH} characters`);
  const segments = folder.split('/');
  if (segments.length > MAX_FOLDER_DEPTH) throw refuse(`more than ${MAX_FOLDER_DEPTH} levels`);
  for (const s of segments) {
    if (s === '') throw refuse('has an empty folder name (//)');
    if (s.startsWith('.')) throw refuse('a folder name must not start with a dot (no . or ..)');
    if (s.length > MAX_SEGMENT_LENGTH) throw refuse(`a folder name is longer than ${MAX_SEGMENT_LENGTH} characters`);
    if (s.trim() !== s) throw refuse('a folder name must not start or end with a space');
    if (!SEGMENT.test(s)) throw refuse("folder names may hold letters, digits, spaces and _ . , ( ) + & @ ' - only");
  }
  return segments.join('/');
}

/** `folder/name` as OctoPrint names a file in its storage; the name alone at the root. */
export const octoPrintPath = (folder: string | null, name: string): string => (folder ? `${folder}/${name}` : name);

/** The path in a URL: each segment encoded, the slashes kept (as OctoPrint's `refs.resource`). */
export const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');
