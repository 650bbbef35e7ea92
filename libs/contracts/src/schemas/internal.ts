import { z } from 'zod';
import { gcodeLineSchema, idSchema, LIMITS, longText, percent, shortText, timestamp } from './common';

/**
 * Service-to-service payloads on `printfleet/internal/v1/...`: not part of the public contract
 * (no AsyncAPI entry), but validated the same way on both ends.
 */

/** The job-service's job lifecycle (`@printfleet/scheduling` keeps the transitions). */
export const JOB_STATE_NAMES = [
  'queued',
  'held',
  'dispatching',
  'printing',
  'paused',
  'finished',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export const jobStateNameSchema = z.enum(JOB_STATE_NAMES);
export type JobStateName = z.infer<typeof jobStateNameSchema>;

/**
 * One job's record changed (created, queued, dispatched, started, progressed, ended…), published
 * by the job-service after the commit on `jobChangedTopic()`, QoS 1, not retained. It carries the
 * job's state after the change, so a consumer (the gateway relaying to browsers) needs no reply;
 * the full record is `GET /jobs/{id}` on the job-service.
 */
export const jobChangeSchema = z.object({
  jobId: idSchema,
  state: jobStateNameSchema,
  /** The printer it runs or ran on; absent while it waits in the queue. */
  printerId: idSchema.optional(),
  /** Null when the file left the library (retention) or was never in it (a job an agent reported). */
  fileId: idSchema.nullable(),
  fileName: shortText,
  progress: percent.nullable().optional(),
  reason: longText.nullable().optional(),
  ts: timestamp,
});
export type JobChange = z.infer<typeof jobChangeSchema>;

/** A pause or cancel script: G-code lines run in order; a line may not be blank. */
export const printerScriptSchema = z
  .array(gcodeLineSchema.refine((line) => line.trim() !== '', 'a script line cannot be blank'))
  .min(1, 'a script has at least one line (send null for the default)')
  .max(LIMITS.scriptLines, `a script has at most ${LIMITS.scriptLines} lines`);

/**
 * What an admin set for one printer, published by the job-service (owner of printer profiles)
 * retained on `printerSettingsTopic(id)` after each change and each reconnect. The owning agent
 * applies it: the name goes into the printer's published state, the scripts run at the next
 * pause or cancel. `null` everywhere means "not set here": the agent's own configuration
 * (`PRINTFLEET_PAUSE_SCRIPT`, …) or built-in default applies.
 */
export const printerSettingsSchema = z.object({
  printerId: idSchema,
  displayName: shortText.nullable(),
  pauseScript: printerScriptSchema.nullable(),
  cancelScript: printerScriptSchema.nullable(),
  updatedAt: timestamp,
});
export type PrinterSettings = z.infer<typeof printerSettingsSchema>;
