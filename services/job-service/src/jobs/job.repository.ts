import { Injectable } from '@nestjs/common';
import { QUEUED_JOB_STATES, type JobState } from '@printfleet/scheduling';
import { nowIso } from '../clock';
import { Database, type Tx } from '../database/database.repository';
import { JobChanges } from './job-changes';
import type { JobPatch, JobRecord, NewJob, QueuedJob } from './job.types';

export interface JobRow {
  id: string;
  file_id: string | null;
  file_name: string;
  file_sha256: string | null;
  file_size: number | null;
  printer_id: string | null;
  requested_by: string;
  state: JobState;
  queued_at: string;
  dispatched_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_s: number | null;
  reason: string | null;
  progress: number | null;
  filament_used_mm: number | null;
  last_confirmed_line: number | null;
  command_id: string | null;
  reprint_of: string | null;
  position: number | null;
  target_printer_id: string | null;
  constraints: string | null;
  analysis_state?: 'pending' | 'done' | 'failed' | null;
  bbox?: string | null;
}

export const JOB_SELECT = `SELECT j.*, q.position, q.target_printer_id, q.constraints FROM jobs j LEFT JOIN queue_entries q ON q.job_id = j.id`;

export const toJobRecord = (r: JobRow): JobRecord => ({
  id: r.id,
  fileId: r.file_id,
  fileName: r.file_name,
  fileSha256: r.file_sha256,
  fileSize: r.file_size,
  printerId: r.printer_id,
  requestedBy: r.requested_by,
  state: r.state,
  queuedAt: r.queued_at,
  dispatchedAt: r.dispatched_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationS: r.duration_s,
  reason: r.reason,
  progress: r.progress,
  filamentUsedMm: r.filament_used_mm,
  lastConfirmedLine: r.last_confirmed_line,
  commandId: r.command_id,
  reprintOf: r.reprint_of,
  queue:
    r.position === null
      ? null
      : { position: r.position, targetPrinterId: r.target_printer_id, constraints: JSON.parse(r.constraints ?? '{}') as QueuedJob['queue']['constraints'] },
});

const PATCH_COLUMNS: Record<keyof JobPatch, string> = {
  state: 'state',
  printerId: 'printer_id',
  dispatchedAt: 'dispatched_at',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  durationS: 'duration_s',
  reason: 'reason',
  progress: 'progress',
  filamentUsedMm: 'filament_used_mm',
  lastConfirmedLine: 'last_confirmed_line',
  commandId: 'command_id',
};

@Injectable()
export class JobRepository {
  constructor(
    private readonly db: Database,
    private readonly changes: JobChanges,
  ) {}

  /** Adds jobs at the end of the queue, in the order given, in one transaction. */
  async enqueue(jobs: NewJob[]): Promise<void> {
    const now = nowIso();
    await this.db.transaction(async (tx) => {
      const [{ last } = { last: 0 }] = await tx.query<{ last: number | null }>(`SELECT MAX(position) AS last FROM queue_entries`);
      let position = last ?? 0;
      for (const j of jobs) {
        await tx.run(
          `INSERT INTO jobs (id, file_id, file_name, file_sha256, file_size, requested_by, state, queued_at, reprint_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [j.id, j.fileId, j.fileName, j.fileSha256, j.fileSize, j.requestedBy, j.state, now, j.reprintOf],
        );
        await tx.run(`INSERT INTO queue_entries (job_id, position, target_printer_id, constraints, created_at) VALUES (?, ?, ?, ?, ?)`, [
          j.id,
          ++position,
          j.targetPrinterId,
          JSON.stringify(j.constraints),
          now,
        ]);
      }
    });
    for (const j of jobs) this.changes.changed(j.id);
  }

  /** A job the agent reported but the service never queued (recorded, not dropped). */
  async insertObserved(j: { id: string; fileId: string | null; fileName: string; printerId: string; state: JobState; at: string }): Promise<void> {
    await this.db.run(
      `INSERT INTO jobs (id, file_id, file_name, printer_id, requested_by, state, queued_at, started_at) VALUES (?, ?, ?, ?, 'agent', ?, ?, ?)`,
      [j.id, j.fileId, j.fileName, j.printerId, j.state, j.at, j.at],
    );
    this.changes.changed(j.id);
  }

  async get(id: string): Promise<JobRecord | null> {
    const rows = await this.db.query<JobRow>(`${JOB_SELECT} WHERE j.id = ?`, [id]);
    return rows[0] ? toJobRecord(rows[0]) : null;
  }

  async byCommandId(commandId: string): Promise<JobRecord | null> {
    const rows = await this.db.query<JobRow>(`${JOB_SELECT} WHERE j.command_id = ?`, [commandId]);
    return rows[0] ? toJobRecord(rows[0]) : null;
  }

  /** The queue in order, with what the dispatcher needs to know about each file. */
  async queue(): Promise<QueuedJob[]> {
    const rows = await this.db.query<JobRow>(
      `SELECT j.*, q.position, q.target_printer_id, q.constraints, f.analysis_state, f.bbox
         FROM queue_entries q JOIN jobs j ON j.id = q.job_id LEFT JOIN files f ON f.id = j.file_id
        ORDER BY q.position`,
    );
    return rows.map((r) => ({
      ...(toJobRecord(r) as QueuedJob),
      fileAnalysis: r.analysis_state ?? null,
      fileBbox: r.bbox ? (JSON.parse(r.bbox) as QueuedJob['fileBbox']) : null,
    }));
  }

  async inStates(states: readonly JobState[]): Promise<JobRecord[]> {
    const rows = await this.db.query<JobRow>(`${JOB_SELECT} WHERE j.state IN (${states.map(() => '?').join(', ')})`, [...states]);
    return rows.map(toJobRecord);
  }

  /**
   * Changes a job only if it is still in `expected` (compare-and-set: a late event or a second
   * dispatcher pass cannot overwrite a newer state). Leaving the queued states drops the queue
   * entry in the same transaction. Returns false when the guard did not match.
   */
  async transition(id: string, expected: readonly JobState[], patch: JobPatch, extra?: (tx: Tx) => Promise<void>): Promise<boolean> {
    const moved = await this.db.transaction(async (tx) => {
      const keys = Object.keys(patch) as (keyof JobPatch)[];
      const sets = keys.map((k) => `${PATCH_COLUMNS[k]} = ?`);
      const changed = await tx.run(
        `UPDATE jobs SET ${sets.length ? sets.join(', ') : 'id = id'} WHERE id = ? AND state IN (${expected.map(() => '?').join(', ')})`,
        [...keys.map((k) => patch[k] ?? null), id, ...expected],
      );
      if (changed === 0) return false;
      if (patch.state && !QUEUED_JOB_STATES.includes(patch.state)) await tx.run(`DELETE FROM queue_entries WHERE job_id = ?`, [id]);
      if (extra) await extra(tx);
      return true;
    });
    if (moved) this.changes.changed(id);
    return moved;
  }

  /** Renumbers the queue 1..n in the given order (ids not in the queue are ignored). */
  async setQueueOrder(ids: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) await tx.run(`UPDATE queue_entries SET position = ? WHERE job_id = ?`, [i + 1, id]);
    });
  }
}
