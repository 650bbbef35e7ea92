import { z } from 'zod';
import { idSchema, longText, percent, shortText, timestamp } from './common';

const base = { printerId: idSchema, ts: timestamp };
const job = { ...base, jobId: idSchema };

/** Job lifecycle and printer incidents, published once each on the `events` topic. */
export const printerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.started'), ...job, fileId: idSchema, fileName: shortText.optional() }),
  z.object({ type: z.literal('job.progress'), ...job, progress: percent, line: z.int().nonnegative() }),
  z.object({ type: z.literal('job.paused'), ...job, reason: longText.optional() }),
  z.object({ type: z.literal('job.resumed'), ...job }),
  z.object({ type: z.literal('job.finished'), ...job, durationS: z.number().nonnegative() }),
  z.object({ type: z.literal('job.failed'), ...job, reason: longText, line: z.int().nonnegative().optional() }),
  z.object({ type: z.literal('job.cancelled'), ...job, reason: longText.optional() }),
  z.object({
    type: z.literal('job.interrupted'),
    ...job,
    reason: longText,
    /** Last line the firmware acknowledged: where a resume can pick up. */
    lastConfirmedLine: z.int().nonnegative(),
  }),
  z.object({ type: z.literal('printer.error'), ...base, reason: longText }),
  z.object({ type: z.literal('printer.connected'), ...base, port: shortText.optional() }),
  z.object({ type: z.literal('printer.disconnected'), ...base, reason: longText.optional() }),
  z.object({ type: z.literal('printer.bed-cleared'), ...base, by: shortText.optional() }),
]);
export type PrinterEvent = z.infer<typeof printerEventSchema>;
export type PrinterEventType = PrinterEvent['type'];
