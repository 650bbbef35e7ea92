import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.repository';
import { JOB_SELECT, toJobRecord, type JobRow } from '../jobs/job.repository';
import type { JobRecord } from '../jobs/job.types';

export interface HistoryFilter {
  printerId?: string;
  user?: string;
  fileId?: string;
  /** Matches the file name (substring). */
  fileName?: string;
  states?: string[];
  /** ISO instants; compared with the time the job was queued. */
  from?: string;
  to?: string;
}

export interface PrinterStats {
  printerId: string;
  jobs: number;
  finished: number;
  failed: number;
  cancelled: number;
  interrupted: number;
  successRate: number | null;
  printHours: number;
  filamentMm: number;
}

function where(f: HistoryFilter): { clause: string; params: unknown[] } {
  const w: string[] = [];
  const p: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    w.push(sql);
    p.push(...values);
  };
  if (f.printerId) add('j.printer_id = ?', f.printerId);
  if (f.user) add('j.requested_by = ?', f.user);
  if (f.fileId) add('j.file_id = ?', f.fileId);
  if (f.fileName) add(`j.file_name LIKE ? ESCAPE '\\'`, `%${escapeLike(f.fileName)}%`);
  if (f.states?.length) add(`j.state IN (${f.states.map(() => '?').join(', ')})`, ...f.states);
  if (f.from) add('j.queued_at >= ?', f.from);
  if (f.to) add('j.queued_at < ?', f.to);
  return { clause: w.length ? `WHERE ${w.join(' AND ')}` : '', params: p };
}

/** LIKE treats % and _ as wildcards: a searched name is matched literally. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const TERMINAL = `('finished', 'failed', 'cancelled', 'interrupted')`;

/**
 * `+j.state` keeps SQLite from choosing the state index for a condition that selects most of
 * the table (nearly every job in history has ended): the statistics then read the covering
 * index of the grouped column, or of `queued_at` for a date range (migration HistoryIndexes).
 */
const UNSELECTIVE_STATE = '+j.state';

/** Read side of the jobs table: search, statistics, export. Indexed on the filtered columns. */
@Injectable()
export class HistoryRepository {
  constructor(private readonly db: Database) {}

  async search(f: HistoryFilter, limit: number, offset: number): Promise<{ items: JobRecord[]; total: number }> {
    const { clause, params } = where(f);
    const rows = await this.db.query<JobRow>(`${JOB_SELECT} ${clause} ORDER BY j.queued_at DESC, j.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
    const [count] = await this.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs j ${clause}`, params);
    return { items: rows.map(toJobRecord), total: count?.n ?? 0 };
  }

  /** Pages through all matching jobs, oldest first, for the CSV export (never the whole table at once). */
  async *scan(f: HistoryFilter, pageSize = 500): AsyncGenerator<JobRecord> {
    const { clause, params } = where(f);
    for (let offset = 0; ; offset += pageSize) {
      const rows = await this.db.query<JobRow>(`${JOB_SELECT} ${clause} ORDER BY j.queued_at, j.id LIMIT ? OFFSET ?`, [...params, pageSize, offset]);
      for (const r of rows) yield toJobRecord(r);
      if (rows.length < pageSize) return;
    }
  }

  async statsBy(column: 'printer_id' | 'requested_by', f: HistoryFilter): Promise<(Omit<PrinterStats, 'printerId'> & { key: string })[]> {
    const { clause, params } = where(f);
    const rows = await this.db.query<{ key: string | null; jobs: number; finished: number; failed: number; cancelled: number; interrupted: number; seconds: number | null; filament: number | null }>(
      `SELECT j.${column} AS key, COUNT(*) AS jobs,
              SUM(j.state = 'finished') AS finished, SUM(j.state = 'failed') AS failed,
              SUM(j.state = 'cancelled') AS cancelled, SUM(j.state = 'interrupted') AS interrupted,
              SUM(CASE WHEN j.state IN ${TERMINAL} THEN j.duration_s END) AS seconds,
              SUM(j.filament_used_mm) AS filament
         FROM jobs j ${clause ? `${clause} AND` : 'WHERE'} ${UNSELECTIVE_STATE} IN ${TERMINAL}
        GROUP BY j.${column} ORDER BY key`,
      params,
    );
    return rows
      .filter((r) => r.key !== null)
      .map((r) => ({
        key: r.key!,
        jobs: r.jobs,
        finished: r.finished,
        failed: r.failed,
        cancelled: r.cancelled,
        interrupted: r.interrupted,
        successRate: r.jobs ? r.finished / r.jobs : null,
        printHours: (r.seconds ?? 0) / 3600,
        filamentMm: r.filament ?? 0,
      }));
  }

  async failuresByReason(f: HistoryFilter): Promise<{ reason: string; count: number }[]> {
    const { clause, params } = where(f);
    // Failures are few: alone, their state is the best index; with another filter, that one is.
    const state = clause ? UNSELECTIVE_STATE : 'j.state';
    return this.db.query<{ reason: string; count: number }>(
      `SELECT COALESCE(j.reason, '(none)') AS reason, COUNT(*) AS count FROM jobs j ${clause ? `${clause} AND` : 'WHERE'} ${state} IN ('failed', 'interrupted')
        GROUP BY reason ORDER BY count DESC LIMIT 50`,
      params,
    );
  }
}
