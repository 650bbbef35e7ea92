import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.repository';
import { JOB_SELECT, toJobRecord, type JobRow } from '../jobs/job.repository';
import type { JobRecord } from '../jobs/job.types';
import { escapeLike, type HistoryFilter } from './history-filter';
import { readStats, type SeriesOptions, type Stats } from './history-stats';

export { escapeLike, type HistoryFilter } from './history-filter';

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

/** Read side of the jobs table: search, export, statistics. Indexed on the filtered columns; statistics also read summaries. */
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

  /** `GET /stats`: per printer, per user, failures by reason, and the series over time (history-stats.ts). */
  stats(f: HistoryFilter, series: SeriesOptions = {}): Promise<Stats> {
    return readStats(this.db, f, series);
  }
}
