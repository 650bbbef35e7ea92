import { z } from 'zod';
import { idSchema, longText, percent, shortText, timestamp } from './common';

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
