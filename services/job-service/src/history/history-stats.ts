import type { Tx } from '../database/database.repository';
import { escapeLike, type HistoryFilter } from './history-filter';
import { chooseBucket, isoDate, MAX_BUCKETS, zoneCalendar, type StatsBucket } from './stats-calendar';

/**
 * Statistics over ended jobs (docs/job-service.md "Statistics"), from the summaries that the
 * triggers of migration StatsSummary keep, and from the jobs themselves for what the summaries
 * cannot answer: the partial days or quarter hours at the edges of a range, and filters the
 * summaries have no column for. Both sides sum the same integers (milliseconds, micrometres), so
 * any mix of them gives exactly what a pass over the jobs would.
 */

export interface OutcomeCounts {
  jobs: number;
  finished: number;
  failed: number;
  cancelled: number;
  interrupted: number;
  printHours: number;
  filamentMm: number;
}

export interface StatsRow extends OutcomeCounts {
  key: string;
  successRate: number | null;
}

export interface SeriesItem extends OutcomeCounts {
  /** The local date the bucket starts on (its first day; the 1st for a month). */
  date: string;
  /** The counted span, ISO instants, end exclusive: the bucket's, cut to the range asked for. */
  start: string;
  end: string;
}

export interface Stats {
  printers: StatsRow[];
  users: StatsRow[];
  failuresByReason: { reason: string; count: number }[];
  series: { bucket: StatsBucket; timeZone: string; items: SeriesItem[] };
}

export interface SeriesOptions {
  /** Absent: by the length of the range (`chooseBucket`). */
  bucket?: StatsBucket;
  /** IANA zone whose days, weeks and months cut the series (answered as given); absent: the server's. */
  tz?: string;
  /** Epoch ms standing for "now" (the end of a series without `to`). */
  now?: number;
}

type Db = Pick<Tx, 'query'>;

const TERMINAL = `('finished', 'failed', 'cancelled', 'interrupted')`;
/**
 * A job's end time in whole seconds: `ended_at`, or `queued_at` for an ended job whose end was
 * never recorded. Written exactly as the end-time indexes of migration StatsSummary have it.
 */
export const END_S = 'unixepoch(COALESCE(j.ended_at, j.queued_at))';
/** Print time and filament as the summaries store them: integer milliseconds and micrometres. */
export const DURATION_MS = 'CAST(ROUND(COALESCE(j.duration_s, 0) * 1000) AS INTEGER)';
export const FILAMENT_UM = 'CAST(ROUND(COALESCE(j.filament_used_mm, 0) * 1000) AS INTEGER)';
/** Keeps SQLite from choosing a state index for a condition true of nearly every job in history. */
const ENDED = `+j.state IN ${TERMINAL}`;

const SUM_KEYS = ['jobs', 'finished', 'failed', 'cancelled', 'interrupted', 'ms', 'um'] as const;
/** The sums, in the order of SUM_KEYS: over jobs `j`, and over a summary table `t`. */
const RAW_SUM_EXPRS = [
  'COUNT(*)',
  `SUM(j.state = 'finished')`,
  `SUM(j.state = 'failed')`,
  `SUM(j.state = 'cancelled')`,
  `SUM(j.state = 'interrupted')`,
  `SUM(${DURATION_MS})`,
  `SUM(${FILAMENT_UM})`,
];
const summarySumExprs = (t: string) => ['jobs', 'finished', 'failed', 'cancelled', 'interrupted', 'duration_ms', 'filament_um'].map((c) => `SUM(${t}.${c})`);
const named = (exprs: string[]) => exprs.map((e, n) => `${e} AS ${SUM_KEYS[n]}`).join(', ');
const RAW_SUMS = named(RAW_SUM_EXPRS);
const summarySums = (t: string) => named(summarySumExprs(t));

interface Sums {
  jobs: number;
  finished: number;
  failed: number;
  cancelled: number;
  interrupted: number;
  ms: number;
  um: number;
}
const zero = (): Sums => ({ jobs: 0, finished: 0, failed: 0, cancelled: 0, interrupted: 0, ms: 0, um: 0 });
function addInto(into: Sums, row: Partial<Record<keyof Sums, number | null>>): void {
  for (const k of SUM_KEYS) into[k] += Number(row[k] ?? 0);
}
const counts = (s: Sums): OutcomeCounts => ({
  jobs: s.jobs,
  finished: s.finished,
  failed: s.failed,
  cancelled: s.cancelled,
  interrupted: s.interrupted,
  printHours: s.ms / 3_600_000,
  filamentMm: s.um / 1000,
});

/** A span of end times in epoch seconds, end exclusive; a missing bound is open. */
interface Range {
  from?: number;
  to?: number;
}

interface Sql {
  sql: string;
  params: unknown[];
}

/** Collects conditions and their parameters. */
function conditions() {
  const parts: string[] = [];
  const params: unknown[] = [];
  return {
    add(sql: string, ...values: unknown[]) {
      parts.push(sql);
      params.push(...values);
    },
    parts,
    params,
  };
}

const rangeSql = (r: Range): Sql => {
  const c = conditions();
  if (r.from !== undefined) c.add(`${END_S} >= ?`, r.from);
  if (r.to !== undefined) c.add(`${END_S} < ?`, r.to);
  // Without a bound, still only jobs whose end time can be read, as in the summaries.
  return { sql: c.parts.length ? c.parts.join(' AND ') : `${END_S} IS NOT NULL`, params: c.params };
};

/** The filters other than time, as conditions on `jobs j`. */
function keySql(f: HistoryFilter): Sql {
  const c = conditions();
  if (f.printerId) c.add('j.printer_id = ?', f.printerId);
  if (f.user) c.add('j.requested_by = ?', f.user);
  if (f.fileId) c.add('j.file_id = ?', f.fileId);
  if (f.fileName) c.add(`j.file_name LIKE ? ESCAPE '\\'`, `%${escapeLike(f.fileName)}%`);
  if (f.states?.length) c.add(`j.state IN (${f.states.map(() => '?').join(', ')})`, ...f.states);
  return { sql: c.parts.join(' AND '), params: c.params };
}

const and = (...parts: Sql[]): Sql => ({
  sql: parts.map((p) => p.sql).filter(Boolean).join(' AND ') || '1',
  params: parts.flatMap((p) => p.params),
});

/**
 * Splits a range into whole units of `unitS` seconds (summary rows, by index: `lo` ≤ unit < `hi`,
 * open where the range is) and the partial units at its edges (ranges to read from the jobs).
 */
function split(r: Range, unitS: number): { whole: { lo?: number; hi?: number } | null; edges: Range[] } {
  const lo = r.from === undefined ? undefined : Math.ceil(r.from / unitS);
  const hi = r.to === undefined ? undefined : Math.floor(r.to / unitS);
  if (lo !== undefined && hi !== undefined && lo >= hi) return { whole: null, edges: [r] };
  const edges: Range[] = [];
  if (r.from !== undefined && lo !== undefined && r.from < lo * unitS) edges.push({ from: r.from, to: lo * unitS });
  if (r.to !== undefined && hi !== undefined && hi * unitS < r.to) edges.push({ from: hi * unitS, to: r.to });
  return { whole: { lo, hi }, edges };
}

const DIMENSIONS = [
  { dim: 'printer', column: 'printer_id', table: 'job_stats_printer_day', filter: (f: HistoryFilter) => f.printerId, other: (f: HistoryFilter) => f.user },
  { dim: 'user', column: 'requested_by', table: 'job_stats_user_day', filter: (f: HistoryFilter) => f.user, other: (f: HistoryFilter) => f.printerId },
] as const;

/** Only printer and user filters (or none): what the summaries have columns for. */
const plain = (f: HistoryFilter) => !f.fileId && !f.fileName && !f.states?.length;

/** Per printer and per user: one statement, a grouped SELECT per source, added up here. */
async function totals(db: Db, f: HistoryFilter, range: Range): Promise<{ printers: StatsRow[]; users: StatsRow[] }> {
  const parts: Sql[] = [];
  const raw = (dim: string, column: string, where: Sql) =>
    parts.push({ sql: `SELECT '${dim}' AS dim, j.${column} AS key, ${RAW_SUMS} FROM jobs j WHERE ${where.sql} AND ${ENDED} GROUP BY j.${column}`, params: where.params });
  for (const d of DIMENSIONS) {
    if (!(plain(f) && !d.other(f))) {
      raw(d.dim, d.column, and(keySql(f), rangeSql(range)));
      continue;
    }
    const own: Sql = d.filter(f) ? { sql: `${d.column} = ?`, params: [d.filter(f)] } : { sql: '', params: [] };
    const { whole, edges } = split(range, 86_400);
    if (whole) {
      const where = and(
        own,
        { sql: whole.lo === undefined ? '' : 's.day >= ?', params: whole.lo === undefined ? [] : [whole.lo] },
        { sql: whole.hi === undefined ? '' : 's.day < ?', params: whole.hi === undefined ? [] : [whole.hi] },
      );
      parts.push({ sql: `SELECT '${d.dim}' AS dim, s.${d.column} AS key, ${summarySums('s')} FROM ${d.table} s WHERE ${where.sql} GROUP BY s.${d.column}`, params: where.params });
    }
    for (const edge of edges) raw(d.dim, d.column, and(keySql(f), rangeSql(edge)));
  }
  const rows = await db.query<{ dim: string; key: string | null } & Sums>(parts.map((p) => p.sql).join(' UNION ALL '), parts.flatMap((p) => p.params));
  const by = { printer: new Map<string, Sums>(), user: new Map<string, Sums>() };
  for (const r of rows) {
    if (r.key === null) continue; // jobs that never reached a printer
    const map = by[r.dim as 'printer' | 'user'];
    const sums = map.get(r.key) ?? zero();
    addInto(sums, r);
    map.set(r.key, sums);
  }
  const list = (m: Map<string, Sums>): StatsRow[] =>
    [...m.entries()]
      .filter(([, s]) => s.jobs > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, s]) => {
        const c = counts(s);
        // The fields in the order the API has always had them.
        return { key, jobs: c.jobs, finished: c.finished, failed: c.failed, cancelled: c.cancelled, interrupted: c.interrupted, successRate: s.jobs ? s.finished / s.jobs : null, printHours: c.printHours, filamentMm: c.filamentMm };
      });
  return { printers: list(by.printer), users: list(by.user) };
}

async function failures(db: Db, f: HistoryFilter, range: Range): Promise<{ reason: string; count: number }[]> {
  const where = and(keySql(f), rangeSql(range));
  return db.query<{ reason: string; count: number }>(
    `SELECT COALESCE(j.reason, '(none)') AS reason, COUNT(*) AS count FROM jobs j WHERE ${where.sql} AND j.state IN ('failed', 'interrupted')
      GROUP BY 1 ORDER BY count DESC, reason LIMIT 50`,
    where.params,
  );
}

/** The earliest and latest end time (epoch seconds) of the jobs the series counts, or null when there are none. */
async function extent(db: Db, f: HistoryFilter, summary: boolean): Promise<{ first: number; last: number } | null> {
  if (summary) {
    const [r] = await db.query<{ lo: number | null; hi: number | null }>(
      `SELECT (SELECT MIN(quarter) FROM job_stats_quarter) AS lo, (SELECT MAX(quarter) FROM job_stats_quarter) AS hi`,
    );
    return r?.lo == null || r.hi == null ? null : { first: r.lo * 900, last: r.hi * 900 + 899 };
  }
  const where = and(keySql(f), rangeSql({}));
  const [r] = await db.query<{ lo: number | null; hi: number | null }>(`SELECT MIN(${END_S}) AS lo, MAX(${END_S}) AS hi FROM jobs j WHERE ${where.sql} AND ${ENDED}`, where.params);
  return r?.lo == null || r.hi == null ? null : { first: r.lo, last: r.hi };
}

/**
 * The series: the buckets from the one holding `from` (or the first ended job) to the one holding
 * `to` (or now, or the last ended job if later), each counting the jobs that ended in it and in
 * the range. Empty buckets are there, as zeros. Without filters it reads the quarter-hour summary
 * (and the jobs of the partial quarters at the range's edges); with filters, the jobs by end time.
 */
async function series(db: Db, f: HistoryFilter, range: Range, o: SeriesOptions): Promise<Stats['series']> {
  const calendar = zoneCalendar(o.tz);
  const summary = plain(f) && !f.printerId && !f.user;
  const known = range.from === undefined || range.to === undefined ? await extent(db, f, summary) : null;
  const firstS = range.from ?? known?.first;
  const lastS = range.to !== undefined ? range.to - 1 : Math.max(Math.floor((o.now ?? Date.now()) / 1000), known?.last ?? Number.NEGATIVE_INFINITY);
  // The zone as the caller spelled it (ICU may know it by an older name: Asia/Kolkata as Asia/Calcutta).
  const timeZone = o.tz ?? calendar.zone;
  if (firstS === undefined || firstS > lastS) return { bucket: o.bucket ?? 'day', timeZone, items: [] };
  const bucket = o.bucket ?? chooseBucket((lastS - firstS) * 1000);
  const cut = calendar.buckets(bucket, firstS * 1000, lastS * 1000 + 999, o.bucket ? MAX_BUCKETS : undefined).map((b, i, all) => ({
    date: b.date,
    from: i === 0 && range.from !== undefined ? range.from : Math.floor(b.start / 1000),
    to: i === all.length - 1 && range.to !== undefined ? range.to : Math.floor(b.end / 1000),
  }));

  const quarters: [number, number, number][] = [];
  const raw: [number, number, number][] = [];
  cut.forEach((b, i) => {
    if (!summary) return void raw.push([i, b.from, b.to]);
    const { whole, edges } = split(b, 900);
    if (whole) quarters.push([i, whole.lo!, whole.hi!]);
    for (const e of edges) raw.push([i, e.from!, e.to!]);
  });
  // One sub-select per piece, each summing its own range: no grouping, so no sort of the rows read.
  const arms: Sql[] = [];
  const pieces = (name: string, list: [number, number, number][]) => ({
    sql: `${name}(i, lo, hi) AS (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))`,
    params: [JSON.stringify(list)],
  });
  if (quarters.length)
    arms.push({ sql: `SELECT s.i AS i, (SELECT json_array(${summarySumExprs('q').join(', ')}) FROM job_stats_quarter q WHERE q.quarter >= s.lo AND q.quarter < s.hi) AS sums FROM s`, params: [] });
  if (raw.length) {
    const where = keySql(f);
    arms.push({
      sql: `SELECT r.i AS i, (SELECT json_array(${RAW_SUM_EXPRS.join(', ')}) FROM jobs j WHERE ${END_S} >= r.lo AND ${END_S} < r.hi AND ${and(where).sql} AND ${ENDED}) AS sums FROM r`,
      params: where.params,
    });
  }
  const sums = cut.map(zero);
  if (arms.length) {
    const ctes = [pieces('s', quarters), pieces('r', raw)];
    const rows = await db.query<{ i: number; sums: string }>(
      `WITH ${ctes.map((c) => c.sql).join(', ')} ${arms.map((a) => a.sql).join(' UNION ALL ')}`,
      [...ctes.flatMap((c) => c.params), ...arms.flatMap((a) => a.params)],
    );
    for (const r of rows) {
      const values = JSON.parse(r.sums) as (number | null)[];
      addInto(sums[r.i]!, Object.fromEntries(SUM_KEYS.map((k, n) => [k, values[n]])));
    }
  }
  return {
    bucket,
    timeZone,
    items: cut.map((b, i) => ({
      date: isoDate(b.date),
      start: new Date(b.from * 1000).toISOString(),
      end: new Date(b.to * 1000).toISOString(),
      ...counts(sums[i]!),
    })),
  };
}

/**
 * Everything `GET /stats` answers. `f.from`/`f.to` bound the jobs' end times (to the second);
 * the series' zone and bucket are checked before any query runs.
 */
export async function readStats(db: Db, f: HistoryFilter, o: SeriesOptions = {}): Promise<Stats> {
  zoneCalendar(o.tz); // refuses an unknown zone first
  const seconds = (iso?: string) => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));
  const range: Range = { from: seconds(f.from), to: seconds(f.to) };
  // The Database runs statements one at a time anyway; in sequence, a failure stops the rest.
  const { printers, users } = await totals(db, f, range);
  const failuresByReason = await failures(db, f, range);
  return { printers, users, failuresByReason, series: await series(db, f, range, o) };
}

/**
 * What the summary tables must hold, computed from the jobs now: the test of the triggers
 * (test/stats-summary.spec.ts) compares them row by row.
 */
export const FRESH_SUMMARIES = {
  job_stats_printer_day: `SELECT j.printer_id AS printer_id, ${END_S} / 86400 AS day, ${RAW_SUMS} FROM jobs j
    WHERE ${ENDED} AND ${END_S} IS NOT NULL AND j.printer_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  job_stats_user_day: `SELECT j.requested_by AS requested_by, ${END_S} / 86400 AS day, ${RAW_SUMS} FROM jobs j
    WHERE ${ENDED} AND ${END_S} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  job_stats_quarter: `SELECT ${END_S} / 900 AS quarter, ${RAW_SUMS} FROM jobs j WHERE ${ENDED} AND ${END_S} IS NOT NULL GROUP BY 1 ORDER BY 1`,
} as const;

/** The summary tables as stored, in the shape and order of FRESH_SUMMARIES. */
export const STORED_SUMMARIES = {
  job_stats_printer_day: `SELECT printer_id, day, jobs, finished, failed, cancelled, interrupted, duration_ms AS ms, filament_um AS um FROM job_stats_printer_day ORDER BY 1, 2`,
  job_stats_user_day: `SELECT requested_by, day, jobs, finished, failed, cancelled, interrupted, duration_ms AS ms, filament_um AS um FROM job_stats_user_day ORDER BY 1, 2`,
  job_stats_quarter: `SELECT quarter, jobs, finished, failed, cancelled, interrupted, duration_ms AS ms, filament_um AS um FROM job_stats_quarter ORDER BY 1`,
} as const;
