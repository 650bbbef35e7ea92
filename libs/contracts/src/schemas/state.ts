import { z } from 'zod';
import { idSchema, longText, percent, shortText, timestamp } from './common';

/** DESIGN.md "Printer state machine"; the agent owns it, everyone else renders it. */
export const PRINTER_STATES = [
  'offline', // no connection to the printer (unplugged, port closed)
  'connecting', // port open, waiting for the firmware to answer
  'ready', // connected, idle, bed known to be clear: a job may start
  'printing', // streaming a job
  'paused', // job held; resumable
  'finished', // job done; waits for an operator to confirm the bed is cleared
  'cancelled', // job stopped by a user; waits for bed-cleared confirmation
  'failed', // job stopped by an error; waits for bed-cleared confirmation
  'error', // firmware halted or link lost; needs attention
  'interrupted', // a print cut off by a disconnect or crash; resumable from its last confirmed line
] as const;
export const printerStateNameSchema = z.enum(PRINTER_STATES);
export type PrinterStateName = z.infer<typeof printerStateNameSchema>;

export const firmwareInfoSchema = z.object({
  name: shortText,
  version: shortText.optional(),
  capabilities: z.array(shortText).max(64).optional(),
});

export const stateJobSchema = z.object({
  id: idSchema,
  progress: percent,
  fileName: shortText.optional(),
  line: z.int().nonnegative().optional(),
  startedAt: timestamp.optional(),
});

export const printerStateSchema = z.object({
  printerId: idSchema,
  agentId: idSchema,
  state: printerStateNameSchema,
  /** Grows by one with every published change, so a reader can drop stale or replayed states. */
  seq: z.int().nonnegative(),
  ts: timestamp,
  reason: longText.optional(),
  displayName: shortText.optional(),
  firmware: firmwareInfoSchema.optional(),
  job: stateJobSchema.optional(),
});
export type PrinterState = z.infer<typeof printerStateSchema>;
