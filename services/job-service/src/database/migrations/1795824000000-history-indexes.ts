import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the history statistics and temperature pruning, sized by the 100,000-job bench
 * (docs/performance.md). The statistics read only index pages: per printer and per user the
 * grouped column comes first, then the state and the summed columns; a date range reads one
 * covering index by `queued_at`. Two single-column indexes of the first schema are the leading
 * column of a new one and go. Temperature samples get an index by time for the hourly pruning.
 */
export class HistoryIndexes1795824000000 implements MigrationInterface {
  name = 'HistoryIndexes1795824000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_jobs_stats_printer ON jobs (printer_id, state, duration_s, filament_used_mm)`);
    await q.query(`CREATE INDEX idx_jobs_stats_user ON jobs (requested_by, state, duration_s, filament_used_mm)`);
    await q.query(`CREATE INDEX idx_jobs_state_reason ON jobs (state, reason)`);
    await q.query(
      `CREATE INDEX idx_jobs_queued_stats ON jobs (queued_at, state, printer_id, requested_by, duration_s, filament_used_mm, reason)`,
    );
    await q.query(`DROP INDEX idx_jobs_state`);
    await q.query(`DROP INDEX idx_jobs_queued_at`);
    await q.query(`CREATE INDEX idx_temperature_ts ON temperature_samples (ts)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_temperature_ts`);
    await q.query(`CREATE INDEX idx_jobs_queued_at ON jobs (queued_at)`);
    await q.query(`CREATE INDEX idx_jobs_state ON jobs (state)`);
    for (const name of ['idx_jobs_queued_stats', 'idx_jobs_state_reason', 'idx_jobs_stats_user', 'idx_jobs_stats_printer']) await q.query(`DROP INDEX ${name}`);
  }
}
