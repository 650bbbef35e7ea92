import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics summaries, kept by SQLite itself (docs/job-service.md "Statistics").
 *
 * A job counts in the statistics once it has ended (finished, failed, cancelled, interrupted), at
 * its end time: `ended_at`, or `queued_at` for an ended job whose end was never recorded, in
 * whole seconds (`unixepoch`). Three tables hold the ended jobs summed by that time:
 * - `job_stats_printer_day` per printer and UTC day (jobs without a printer are not in it),
 * - `job_stats_user_day` per requesting user and UTC day,
 * - `job_stats_quarter` per quarter hour, all printers and users together (every UTC offset of
 *   the time zone database, and every change of one, falls on a quarter hour, so a day, week or
 *   month of any zone is a whole number of quarters).
 * Each row: jobs and outcomes, print time in milliseconds and filament in micrometres. Integers,
 * so adding and removing a job leaves exactly what a fresh aggregation gives (floating-point sums
 * would depend on the order). Rows never hold zero jobs: they are deleted when the last goes.
 *
 * Triggers on `jobs` keep them: after an insert, a delete, or an update of any column that
 * decides where and how a job counts, the job's old contribution is taken away and its new one
 * added (nothing when the job had not ended). Whatever writes the table (the service, a restore,
 * a hand edit in `sqlite3`) keeps the summaries right. A later migration that rebuilds `jobs`
 * (SQLite's 12-step ALTER) drops these triggers and must create them again.
 *
 * Indexes by end time serve what the summaries cannot: the partial days or quarters at the edges
 * of a range, statistics filtered by printer and user at once (or by file or state), and failures
 * by reason over a range. All are covering for the statistics' columns.
 *
 * `up` fills the summaries from the existing history in one statement each.
 */
export class StatsSummary1801440000000 implements MigrationInterface {
  name = 'StatsSummary1801440000000';

  async up(q: QueryRunner): Promise<void> {
    const counts = `jobs INTEGER NOT NULL, finished INTEGER NOT NULL, failed INTEGER NOT NULL, cancelled INTEGER NOT NULL, interrupted INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL, filament_um INTEGER NOT NULL`;
    await q.query(`CREATE TABLE job_stats_printer_day (printer_id TEXT NOT NULL, day INTEGER NOT NULL, ${counts}, PRIMARY KEY (printer_id, day)) WITHOUT ROWID`);
    await q.query(`CREATE TABLE job_stats_user_day (requested_by TEXT NOT NULL, day INTEGER NOT NULL, ${counts}, PRIMARY KEY (requested_by, day)) WITHOUT ROWID`);
    await q.query(`CREATE TABLE job_stats_quarter (quarter INTEGER PRIMARY KEY, ${counts})`);

    for (const t of TABLES) {
      const keys = t.keys.map((k) => k.column).join(', ');
      const groups = t.keys.map((k) => k.value('jobs')).join(', ');
      await q.query(
        `INSERT INTO ${t.name} (${keys}, ${COUNT_COLUMNS}) SELECT ${groups}, ${SUMS} FROM jobs
          WHERE state IN ${TERMINAL} AND ${endS('jobs')} IS NOT NULL${t.onlyWith ? ` AND ${t.onlyWith('jobs')}` : ''} GROUP BY ${groups}`,
      );
    }

    await q.query(`CREATE TRIGGER jobs_stats_insert AFTER INSERT ON jobs WHEN ${counted('NEW')} BEGIN ${TABLES.map((t) => add(t, 'NEW')).join(' ')} END`);
    await q.query(`CREATE TRIGGER jobs_stats_delete AFTER DELETE ON jobs WHEN ${counted('OLD')} BEGIN ${TABLES.map((t) => remove(t, 'OLD')).join(' ')} END`);
    await q.query(
      `CREATE TRIGGER jobs_stats_update AFTER UPDATE OF state, printer_id, requested_by, ended_at, queued_at, duration_s, filament_used_mm ON jobs
        WHEN ${counted('OLD')} OR ${counted('NEW')}
        BEGIN ${TABLES.map((t) => remove(t, 'OLD', counted('OLD'))).join(' ')} ${TABLES.map((t) => add(t, 'NEW', counted('NEW'))).join(' ')} END`,
    );

    const end = endS('jobs').replaceAll('jobs.', '');
    await q.query(`CREATE INDEX idx_jobs_end_stats ON jobs (${end}, state, printer_id, requested_by, duration_s, filament_used_mm)`);
    await q.query(`CREATE INDEX idx_jobs_printer_end ON jobs (printer_id, ${end}, state, requested_by, duration_s, filament_used_mm)`);
    await q.query(`CREATE INDEX idx_jobs_user_end ON jobs (requested_by, ${end}, state, printer_id, duration_s, filament_used_mm)`);
    await q.query(`CREATE INDEX idx_jobs_state_end ON jobs (state, ${end}, reason)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const trigger of ['jobs_stats_update', 'jobs_stats_delete', 'jobs_stats_insert']) await q.query(`DROP TRIGGER ${trigger}`);
    for (const index of ['idx_jobs_state_end', 'idx_jobs_user_end', 'idx_jobs_printer_end', 'idx_jobs_end_stats']) await q.query(`DROP INDEX ${index}`);
    for (const t of TABLES) await q.query(`DROP TABLE ${t.name}`);
  }
}

// Everything below is this migration's own: the service's queries (src/history) must agree with it,
// which test/stats-summary.spec.ts checks; a released migration never changes.

const TERMINAL = `('finished', 'failed', 'cancelled', 'interrupted')`;
const COUNT_COLUMNS = 'jobs, finished, failed, cancelled, interrupted, duration_ms, filament_um';
/** The end time in whole seconds, of the row `r` (NEW, OLD or the table). */
const endS = (r: string) => `unixepoch(COALESCE(${r}.ended_at, ${r}.queued_at))`;
const ms = (r: string) => `CAST(ROUND(COALESCE(${r}.duration_s, 0) * 1000) AS INTEGER)`;
const um = (r: string) => `CAST(ROUND(COALESCE(${r}.filament_used_mm, 0) * 1000) AS INTEGER)`;
const SUMS = `COUNT(*), SUM(state = 'finished'), SUM(state = 'failed'), SUM(state = 'cancelled'), SUM(state = 'interrupted'), SUM(${ms('jobs')}), SUM(${um('jobs')})`;
const counted = (r: string) => `(${r}.state IN ${TERMINAL} AND ${endS(r)} IS NOT NULL)`;
/** One job's contribution, column by column (the order of COUNT_COLUMNS). */
const one = (r: string) => [
  '1',
  `(${r}.state = 'finished')`,
  `(${r}.state = 'failed')`,
  `(${r}.state = 'cancelled')`,
  `(${r}.state = 'interrupted')`,
  ms(r),
  um(r),
];

interface Summary {
  name: string;
  keys: { column: string; value: (r: string) => string }[];
  /** A condition a job must meet to be in this table. */
  onlyWith?: (r: string) => string;
}

const TABLES: Summary[] = [
  {
    name: 'job_stats_printer_day',
    keys: [
      { column: 'printer_id', value: (r) => `${r}.printer_id` },
      { column: 'day', value: (r) => `${endS(r)} / 86400` },
    ],
    onlyWith: (r) => `${r}.printer_id IS NOT NULL`,
  },
  {
    name: 'job_stats_user_day',
    keys: [
      { column: 'requested_by', value: (r) => `${r}.requested_by` },
      { column: 'day', value: (r) => `${endS(r)} / 86400` },
    ],
  },
  { name: 'job_stats_quarter', keys: [{ column: 'quarter', value: (r) => `${endS(r)} / 900` }] },
];

const conditions = (t: Summary, r: string, when?: string) => [when, t.onlyWith?.(r)].filter(Boolean).join(' AND ') || '1';

/** Adds the job in row `r` to table `t` (an upsert; the WHERE also settles SQLite's ON CONFLICT parsing). */
function add(t: Summary, r: string, when?: string): string {
  const keys = t.keys.map((k) => k.column).join(', ');
  const columns = COUNT_COLUMNS.split(', ');
  return `INSERT INTO ${t.name} (${keys}, ${COUNT_COLUMNS}) SELECT ${t.keys.map((k) => k.value(r)).join(', ')}, ${one(r).join(', ')} WHERE ${conditions(t, r, when)}
    ON CONFLICT (${keys}) DO UPDATE SET ${columns.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`;
}

/** Takes the job in row `r` out of table `t`; the row goes when its last job does. */
function remove(t: Summary, r: string, when?: string): string {
  const match = `${t.keys.map((k) => `${k.column} = ${k.value(r)}`).join(' AND ')} AND ${conditions(t, r, when)}`;
  const columns = COUNT_COLUMNS.split(', ');
  const values = one(r);
  return `UPDATE ${t.name} SET ${columns.map((c, i) => `${c} = ${c} - ${values[i]}`).join(', ')} WHERE ${match};
    DELETE FROM ${t.name} WHERE ${match} AND jobs = 0;`;
}
