import type { BoundingBox, JobConstraints, JobState } from '@printfleet/scheduling';

export interface JobRecord {
  id: string;
  fileId: string | null;
  fileName: string;
  fileSha256: string | null;
  fileSize: number | null;
  /** The printer it was sent to (null while it waits in the queue). */
  printerId: string | null;
  requestedBy: string;
  state: JobState;
  queuedAt: string;
  dispatchedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationS: number | null;
  reason: string | null;
  progress: number | null;
  filamentUsedMm: number | null;
  lastConfirmedLine: number | null;
  commandId: string | null;
  reprintOf: string | null;
  /** Present while the job is in the queue (queued, held, dispatching). */
  queue: { position: number; targetPrinterId: string | null; constraints: JobConstraints } | null;
}

/** What the dispatcher needs about one queued job. */
export interface QueuedJob extends JobRecord {
  queue: NonNullable<JobRecord['queue']>;
  fileAnalysis: 'pending' | 'done' | 'failed' | null;
  fileBbox: BoundingBox | null;
}

export interface NewJob {
  id: string;
  fileId: string;
  fileName: string;
  fileSha256: string;
  fileSize: number;
  requestedBy: string;
  state: 'queued' | 'held';
  targetPrinterId: string | null;
  constraints: JobConstraints;
  reprintOf: string | null;
}

/** Fields an event or the dispatcher may change. */
export type JobPatch = Partial<
  Pick<
    JobRecord,
    | 'state'
    | 'printerId'
    | 'dispatchedAt'
    | 'startedAt'
    | 'endedAt'
    | 'durationS'
    | 'reason'
    | 'progress'
    | 'filamentUsedMm'
    | 'lastConfirmedLine'
    | 'commandId'
  >
>;
