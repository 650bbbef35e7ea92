import { Injectable } from '@nestjs/common';
import type { PrinterTelemetry } from '@printfleet/contracts';
import { Database } from '../database/database.repository';

export type Heaters = PrinterTelemetry['heaters'];

export interface TemperatureSample {
  ts: string;
  /** The job running when the sample was taken, if the service knows it. */
  jobId: string | null;
  heaters: Heaters;
}

export interface TemperatureQuery {
  printerId: string;
  from?: string;
  to?: string;
  jobId?: string;
  limit: number;
}

/** Rows deleted per statement when pruning, so the one connection is never held for long. */
const PRUNE_BATCH = 5000;

/** Downsampled heater readings (`temperature_samples`), per printer and tagged with the job. */
@Injectable()
export class TemperatureRepository {
  constructor(private readonly db: Database) {}

  /** A job id the database does not know (yet) is stored as null rather than refused. */
  async insert(printerId: string, sample: TemperatureSample): Promise<void> {
    await this.db.run(`INSERT INTO temperature_samples (printer_id, job_id, ts, heaters) VALUES (?, (SELECT id FROM jobs WHERE id = ?), ?, ?)`, [
      printerId,
      sample.jobId,
      sample.ts,
      JSON.stringify(sample.heaters),
    ]);
  }

  /** Oldest first; `limit + 1` rows are read to tell whether there were more. */
  async list(q: TemperatureQuery): Promise<{ items: TemperatureSample[]; truncated: boolean }> {
    const where = ['printer_id = ?'];
    const params: unknown[] = [q.printerId];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.jobId) add('job_id = ?', q.jobId);
    if (q.from) add('ts >= ?', q.from);
    if (q.to) add('ts < ?', q.to);
    const rows = await this.db.query<{ ts: string; job_id: string | null; heaters: string }>(
      `SELECT ts, job_id, heaters FROM temperature_samples WHERE ${where.join(' AND ')} ORDER BY ts, id LIMIT ?`,
      [...params, q.limit + 1],
    );
    const items = rows.slice(0, q.limit).map((r) => ({ ts: r.ts, jobId: r.job_id, heaters: JSON.parse(r.heaters) as Heaters }));
    return { items, truncated: rows.length > q.limit };
  }

  /** Deletes samples older than `cutoff`, in batches; returns how many. */
  async pruneBefore(cutoff: string): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.db.run(`DELETE FROM temperature_samples WHERE id IN (SELECT id FROM temperature_samples WHERE ts < ? LIMIT ?)`, [cutoff, PRUNE_BATCH]);
      total += n;
      if (n < PRUNE_BATCH) return total;
    }
  }
}
