import { z } from 'zod';
import { ID_PATTERN, ID_RULE } from '../ids';

/** Upper bounds keep one bad publisher from filling memory or the UI. */
export const LIMITS = {
  shortText: 200,
  longText: 2000,
  gcodeLine: 256,
  gcodeLinesPerCommand: 100,
  scriptLines: 50,
} as const;

export const idSchema = z.string().regex(ID_PATTERN, ID_RULE);
export const shortText = z.string().min(1).max(LIMITS.shortText);
export const longText = z.string().max(LIMITS.longText);
/** ISO 8601 UTC instant, as `new Date().toISOString()` writes it. */
export const timestamp = z.iso.datetime();
export const percent = z.number().min(0).max(100);
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256');
/** Ids chosen by callers to match replies and make commands idempotent. */
export const commandIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'commandId is 1-64 characters: letters, digits, ".", "_", ":" or "-"');

/** One G-code line as a command or script carries it: no line break can smuggle a second one in. */
export const gcodeLineSchema = z
  .string()
  .min(1)
  .max(LIMITS.gcodeLine)
  .regex(/^[^\r\n]*$/, 'one G-code line per entry, without line breaks');
