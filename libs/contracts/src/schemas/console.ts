import { z } from 'zod';
import { idSchema, LIMITS, timestamp } from './common';

export const consoleLineSchema = z.object({
  printerId: idSchema,
  ts: timestamp,
  /** `tx`: host to printer; `rx`: printer to host. */
  direction: z.enum(['tx', 'rx']),
  line: z.string().max(LIMITS.longText),
});
export type ConsoleLine = z.infer<typeof consoleLineSchema>;
