import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTempDir } from '@printfleet/testing';
import { databaseFile, openDatabase } from '../src/database/data-source';
import { MIGRATIONS } from '../src/database/migrations';
import { FRESH_SUMMARIES, readStats, STORED_SUMMARIES } from '../src/history/history-stats';
import type { HistoryFilter } from '../src/history/history-filter';

const TABLES = Object.keys(FRESH_SUMMARIES) as (keyof typeof FRESH_SUMMARIES)[];
const STATES = ['queued', 'held', 'printing', 'paused', 'finished', 'failed', 'cancelled', 'interrupted'] as const;
const ENDED = ['finished', 'failed', 'cancelled', 'interrupted'];
const PRINTERS = ['mk3-a', 'mk3-b', 'mini-c', null] as const;
const USERS = ['alice', 'bob', 'carol'];
const DAY = 86_400_000;
/** Ten days around a DST change in Europe and America, to second precision (odd seconds: edges of quarters). */
const T0 = Date.parse('2026-10-22T00:00:00.000Z');

/** A small deterministic PRNG (mulberry32): the same history on every run, failures reproducible. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function summariesOf(ds: DataSource) {
  const out: Record<string, { stored: unknown[]; fresh: unknown[] }> = {};
  for (const t of TABLES) out[t] = { stored: await ds.query(STORED_SUMMARIES[t]), fresh: await ds.query(FRESH_SUMMARIES[t]) };
  return out;
}

/** Every summary equals a fresh aggregation of the jobs, row by row (and is not trivially empty). */
async function expectSummariesExact(ds: DataSource, what: string) {
  for (const [table, { stored, fresh }] of Object.entries(await summariesOf(ds))) {
    if (JSON.stringify(stored) !== JSON.stringify(fresh)) throw new Error(`${what}: ${table} differs from a fresh aggregation\nstored ${JSON.stringify(stored)}\nfresh  ${JSON.stringify(fresh)}`);
  }
}

describe('statistics summaries (migration StatsSummary, kept by triggers)', () => {
  it('are built from the existing history by the migration, exactly as a fresh aggregation, and dropped by its down', async () => {
    const dir = createTempDir();
    mkdirSync(join(dir.path, 'db'), { recursive: true });
    // The database as the previous release left it, with a history in it.
    const old = new DataSource({ type: 'sqlite', database: databaseFile(dir.path), migrations: MIGRATIONS.slice(0, -1), enableWAL: true });
    await old.initialize();
    await old.runMigrations();
    const insert = (id: string, printer: string | null, user: string, state: string, queued: string, ended: string | null, duration: number | null, filament: number | null) =>
      old.query(`INSERT INTO jobs (id, file_name, printer_id, requested_by, state, queued_at, ended_at, duration_s, filament_used_mm) VALUES (?, 'a.gcode', ?, ?, ?, ?, ?, ?, ?)`, [
        id,
        printer,
        user,
        state,
        queued,
        ended,
        duration,
        filament,
      ]);
    await insert('j1', 'p1', 'alice', 'finished', '2026-01-01T10:00:00.000Z', '2026-01-01T23:59:59.999Z', 3600.0004, 1234.5678);
    await insert('j2', 'p1', 'alice', 'failed', '2026-01-01T11:00:00.000Z', '2026-01-02T00:00:00.000Z', 60.5, 0.1);
    await insert('j3', null, 'bob', 'cancelled', '2026-01-01T12:00:00.000Z', '2026-01-01T12:14:59.000Z', null, null);
    await insert('j4', 'p2', 'bob', 'interrupted', '2026-01-01T12:00:00.000Z', '2026-01-01T12:15:00.000Z', 0.0006, 99.9996);
    await insert('j5', 'p2', 'bob', 'finished', '2026-01-03', null, 10, 20); // an old row: ended, no end recorded
    await insert('j6', 'p2', 'alice', 'printing', '2026-01-03T00:00:00.000Z', null, null, null); // not ended: not counted
    await old.destroy();

    const { dataSource, applied } = await openDatabase(dir.path);
    expect(applied).toEqual(['StatsSummary1801440000000']);
    await expectSummariesExact(dataSource, 'after the migration');
    // The values themselves: whole milliseconds and micrometres; a day and a quarter hour end exclusive.
    const day = (iso: string) => Math.floor(Date.parse(iso) / DAY);
    expect(await dataSource.query(STORED_SUMMARIES.job_stats_printer_day)).toEqual([
      { printer_id: 'p1', day: day('2026-01-01'), jobs: 1, finished: 1, failed: 0, cancelled: 0, interrupted: 0, ms: 3600000, um: 1234568 },
      { printer_id: 'p1', day: day('2026-01-02'), jobs: 1, finished: 0, failed: 1, cancelled: 0, interrupted: 0, ms: 60500, um: 100 },
      { printer_id: 'p2', day: day('2026-01-01'), jobs: 1, finished: 0, failed: 0, cancelled: 0, interrupted: 1, ms: 1, um: 100000 },
      { printer_id: 'p2', day: day('2026-01-03'), jobs: 1, finished: 1, failed: 0, cancelled: 0, interrupted: 0, ms: 10000, um: 20000 },
    ]);
    const quarter = (iso: string) => Math.floor(Date.parse(iso) / 900_000);
    expect((await dataSource.query(STORED_SUMMARIES.job_stats_quarter)).map((r: { quarter: number; jobs: number }) => [r.quarter, r.jobs])).toEqual([
      [quarter('2026-01-01T12:00:00Z'), 1], // j3 at 12:14:59
      [quarter('2026-01-01T12:15:00Z'), 1], // j4 at 12:15:00
      [quarter('2026-01-01T23:45:00Z'), 1],
      [quarter('2026-01-02T00:00:00Z'), 1],
      [quarter('2026-01-03T00:00:00Z'), 1],
    ]);

    await dataSource.undoLastMigration();
    const ours = ['job_stats_printer_day', 'job_stats_user_day', 'job_stats_quarter', 'jobs_stats_insert', 'jobs_stats_update', 'jobs_stats_delete'];
    const indexes = ['idx_jobs_end_stats', 'idx_jobs_printer_end', 'idx_jobs_user_end', 'idx_jobs_state_end'];
    const left = (await dataSource.query(`SELECT name FROM sqlite_master WHERE name IN (${[...ours, ...indexes].map(() => '?').join(', ')})`, [...ours, ...indexes])) as { name: string }[];
    expect(left).toEqual([]);
    // And up again: rebuilt from the jobs as they are now.
    await dataSource.query(`UPDATE jobs SET state = 'finished', ended_at = '2026-01-04T00:00:00.000Z' WHERE id = 'j6'`);
    expect((await dataSource.runMigrations()).map((m) => m.name)).toEqual(['StatsSummary1801440000000']);
    await expectSummariesExact(dataSource, 'after down and up');
    expect(await dataSource.query(`SELECT SUM(jobs) AS n FROM job_stats_user_day`)).toEqual([{ n: 6 }]);
    await dataSource.destroy();
    dir.remove();
  });

  describe('on a changing history', () => {
    let dir: { path: string; remove(): void };
    let ds: DataSource;
    const random = prng(20261122);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const at = () => new Date(T0 + Math.floor(random() * 10 * DAY)).toISOString();
    let ids: string[] = [];

    beforeAll(async () => {
      dir = createTempDir();
      ({ dataSource: ds } = await openDatabase(dir.path));
    });
    afterAll(async () => {
      await ds.destroy();
      dir.remove();
    });

    /** One write of the kinds the service (or a person with sqlite3) makes; printers may print one job at a time, so printing/paused go to no printer. */
    async function change(n: number) {
      const kind = ids.length < 20 || random() < 0.4 ? 0 : 1 + Math.floor(random() * 8);
      const id = ids.length ? pick(ids) : '';
      const state = pick(STATES);
      const active = state === 'printing' || state === 'paused';
      switch (kind) {
        case 0: {
          const jid = `job-${n}`;
          const ended = ENDED.includes(state) && random() < 0.95 ? at() : null;
          await ds.query(
            `INSERT INTO jobs (id, file_name, printer_id, requested_by, state, queued_at, ended_at, duration_s, filament_used_mm, reason) VALUES (?, 'x.gcode', ?, ?, ?, ?, ?, ?, ?, ?)`,
            [jid, active ? null : pick(PRINTERS), pick(USERS), state, at(), ended, random() < 0.8 ? random() * 20_000 : null, random() < 0.8 ? random() * 9_000 : null, pick(['clog', 'runout', null])],
          );
          ids.push(jid);
          return;
        }
        case 1: // a job moves on (or back: an inferred failure gives way to the agent's report)
          return ds.query(`UPDATE jobs SET state = ?, printer_id = CASE WHEN ? THEN NULL ELSE printer_id END, ended_at = COALESCE(ended_at, ?) WHERE id = ?`, [state, active ? 1 : 0, at(), id]);
        case 2:
          return ds.query(`UPDATE jobs SET printer_id = ? WHERE id = ? AND state NOT IN ('printing', 'paused')`, [pick(PRINTERS), id]);
        case 3:
          return ds.query(`UPDATE jobs SET requested_by = ? WHERE id = ?`, [pick(USERS), id]);
        case 4: // across a quarter, a day, or into a missing end
          return ds.query(`UPDATE jobs SET ended_at = ? WHERE id = ?`, [random() < 0.1 ? null : at(), id]);
        case 5:
          return ds.query(`UPDATE jobs SET duration_s = ? WHERE id = ?`, [random() < 0.1 ? null : random() * 20_000, id]);
        case 6:
          return ds.query(`UPDATE jobs SET filament_used_mm = ? WHERE id = ?`, [random() < 0.1 ? null : random() * 9_000, id]);
        case 7: // columns that do not count: the triggers must not care
          return ds.query(`UPDATE jobs SET progress = ?, reason = ? WHERE id = ?`, [random() * 100, pick(['clog', null]), id]);
        default:
          ids = ids.filter((x) => x !== id);
          return ds.query(`DELETE FROM jobs WHERE id = ?`, [id]);
      }
    }

    it('stay exactly equal to a fresh aggregation through inserts, updates of every counted column, and deletes', async () => {
      for (let n = 0; n < 600; n++) {
        await change(n);
        if (n % 25 === 24) await expectSummariesExact(ds, `after ${n + 1} changes`);
      }
      // Several statements in one transaction, as JobRepository.transition writes them.
      await ds.transaction(async (m) => {
        for (const id of ids.slice(0, 30)) await m.query(`UPDATE jobs SET state = 'failed', ended_at = ?, duration_s = 12.3456 WHERE id = ?`, [at(), id]);
      });
      await expectSummariesExact(ds, 'after a transaction');
      const [ended] = (await ds.query(`SELECT SUM(jobs) AS n FROM job_stats_quarter`)) as { n: number }[];
      expect(ended?.n).toBeGreaterThan(100);
    });

    it('give the same statistics as a pass over the jobs alone, for any range, zone and bucket', async () => {
      const db = { query: <T>(sql: string, params: unknown[] = []) => ds.query(sql, params) as Promise<T[]> };
      // A state filter naming every end state changes nothing counted, but the summaries cannot
      // answer it: the same question answered from the jobs alone.
      const fromJobsAlone = (f: HistoryFilter): HistoryFilter => ({ ...f, states: ['finished', 'failed', 'cancelled', 'interrupted'] });
      const zones = ['Europe/Berlin', 'Asia/Kolkata', 'America/New_York', 'UTC', 'Australia/Lord_Howe'];
      const odd = () => new Date(T0 - DAY + Math.floor(random() * 12 * DAY) + Math.floor(random() * 1000)).toISOString();
      let compared = 0;
      for (let n = 0; n < 60; n++) {
        const a = odd();
        const b = odd();
        const f: HistoryFilter = {
          printerId: n % 5 === 1 ? 'mk3-a' : undefined,
          user: n % 7 === 2 ? 'bob' : undefined,
          from: n % 6 === 0 ? undefined : a < b ? a : b,
          to: n % 4 === 0 ? undefined : a < b ? b : a,
        };
        if (f.from && f.to && f.from >= f.to) continue;
        const o = { tz: zones[n % zones.length], bucket: n % 3 === 0 ? undefined : pick(['day', 'week'] as const), now: T0 + 11 * DAY };
        const summarised = await readStats(db, f, o);
        const alone = await readStats(db, fromJobsAlone(f), o);
        expect(summarised).toEqual(alone);
        // And the series adds up to the totals (users: every job; printers: those with a printer).
        const sum = (k: 'jobs' | 'failed') => summarised.series.items.reduce((s, i) => s + i[k], 0);
        expect(sum('jobs')).toBe(summarised.users.reduce((s, u) => s + u.jobs, 0));
        expect(sum('failed')).toBe(summarised.users.reduce((s, u) => s + u.failed, 0));
        compared += summarised.series.items.length;
      }
      expect(compared).toBeGreaterThan(200);
    });
  });
});
