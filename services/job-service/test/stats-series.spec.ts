import { startTestBroker, createTempDir, type TestBroker } from '@printfleet/testing';
import { Database } from '../src/database/database.repository';
import { FRESH_SUMMARIES, STORED_SUMMARIES, type Stats } from '../src/history/history-stats';
import { FakeAgent } from './fake-agent';
import { squareGcode } from './gcode-fixtures';
import { startJobService, type RunningJobService } from './harness';

type Item = Stats['series']['items'][number];
/** The parts of a series item a test states: date, jobs, finished, failed, cancelled, interrupted, print hours, filament mm. */
const brief = (i: Item) => [i.date, i.jobs, i.finished, i.failed, i.cancelled, i.interrupted, i.printHours, i.filamentMm];
const zeros = (date: string) => [date, 0, 0, 0, 0, 0, 0, 0];

/**
 * `GET /stats` over HTTP on the real service and SQLite, with a history written into the jobs
 * table (the summaries follow through their triggers) and one job ended through MQTT as an agent
 * reports it. November 2026: Europe/Berlin is UTC+1, America/New_York leaves summer time on 1 Nov.
 */
describe('GET /stats: statistics over time', () => {
  let broker: TestBroker;
  let dir: { path: string; remove(): void };
  let svc: RunningJobService;

  const stats = async (query: string) => {
    const res = await svc.json<Stats>(`/stats?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    broker = await startTestBroker();
    dir = createTempDir();
    svc = await startJobService(broker, dir.path);
    const db = svc.app.get(Database);
    const job = (id: string, state: string, printer: string | null, user: string, queued: string, ended: string | null, durationS: number | null, filamentMm: number | null, reason: string | null = null) =>
      db.run(
        `INSERT INTO jobs (id, file_name, printer_id, requested_by, state, queued_at, started_at, ended_at, duration_s, filament_used_mm, reason) VALUES (?, 'part.gcode', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, printer, user, state, queued, ended === null ? null : queued, ended, durationS, filamentMm, reason],
      );
    await job('G-before', 'finished', 'mk3-a', 'bob', '2026-10-30T08:00:00.000Z', '2026-10-30T10:00:00.000Z', 600, 100);
    await job('A', 'finished', 'mk3-a', 'alice', '2026-11-02T08:00:00.000Z', '2026-11-02T09:00:00.000Z', 3600, 1000);
    // 23:30 UTC on 2 Nov is 00:30 on 3 Nov in Berlin.
    await job('B', 'failed', 'mk3-a', 'bob', '2026-11-02T22:00:00.000Z', '2026-11-02T23:30:00.000Z', 5400, 400.25, 'thermal runaway');
    // Printed across midnight: queued and started on 3 Nov, ended on 4 Nov (Berlin and UTC).
    await job('C', 'finished', 'mini-b', 'alice', '2026-11-03T21:50:00.000Z', '2026-11-04T01:00:00.000Z', 10800, 2500);
    // 5 Nov: nothing. 6 Nov: cancelled in the queue (no printer), and an interruption.
    await job('D', 'cancelled', null, 'bob', '2026-11-06T11:00:00.000Z', '2026-11-06T12:00:00.000Z', null, null, 'not needed');
    await job('E', 'interrupted', 'mk3-a', 'alice', '2026-11-06T14:00:00.000Z', '2026-11-06T15:00:00.000Z', 1800, 250.5, 'USB disconnect');
    await job('P', 'printing', 'mini-b', 'alice', '2026-11-06T16:00:00.000Z', null, null, null); // not ended: never counted
    await job('H-after', 'finished', 'mini-b', 'bob', '2026-11-09T08:00:00.000Z', '2026-11-09T10:00:00.000Z', 600, 100);
  });
  afterAll(async () => {
    await svc?.stop();
    await broker?.close();
    dir?.remove();
  });

  const berlinWeek = 'from=2026-11-01T23:00:00.000Z&to=2026-11-07T23:00:00.000Z&tz=Europe/Berlin';

  it('gives per local day the jobs ended, by outcome, print hours and filament; a day without jobs as zeros; a job by the day it ended', async () => {
    const s = await stats(`${berlinWeek}&bucket=day`);
    expect(s.series.bucket).toBe('day');
    expect(s.series.timeZone).toBe('Europe/Berlin');
    expect(s.series.items.map(brief)).toEqual([
      ['2026-11-02', 1, 1, 0, 0, 0, 1, 1000],
      ['2026-11-03', 1, 0, 1, 0, 0, 1.5, 400.25], // B: 00:30 local
      ['2026-11-04', 1, 1, 0, 0, 0, 3, 2500], // C: started the day before
      zeros('2026-11-05'),
      ['2026-11-06', 2, 0, 0, 1, 1, 0.5, 250.5],
      zeros('2026-11-07'),
    ]);
    expect(s.series.items.map((i) => [i.start, i.end])[1]).toEqual(['2026-11-02T23:00:00.000Z', '2026-11-03T23:00:00.000Z']);
    // The totals count the same jobs (printers: those that reached one).
    expect(s.printers).toEqual([
      { key: 'mini-b', jobs: 1, finished: 1, failed: 0, cancelled: 0, interrupted: 0, printHours: 3, filamentMm: 2500, successRate: 1 },
      { key: 'mk3-a', jobs: 3, finished: 1, failed: 1, cancelled: 0, interrupted: 1, printHours: 3, filamentMm: 1650.75, successRate: 1 / 3 },
    ]);
    expect(s.users.map((u) => [u.key, u.jobs, u.finished, u.printHours, u.filamentMm])).toEqual([
      ['alice', 3, 2, 4.5, 3750.5],
      ['bob', 2, 0, 1.5, 400.25],
    ]);
    expect(s.failuresByReason).toEqual([
      { reason: 'USB disconnect', count: 1 },
      { reason: 'thermal runaway', count: 1 },
    ]);
  });

  it('cuts days in the zone asked for: in UTC the late failure is on 2 Nov', async () => {
    const s = await stats('from=2026-11-02T00:00:00.000Z&to=2026-11-05T00:00:00.000Z&tz=UTC&bucket=day');
    expect(s.series.items.map((i) => [i.date, i.jobs, i.failed])).toEqual([
      ['2026-11-02', 2, 1],
      ['2026-11-03', 0, 0],
      ['2026-11-04', 1, 0],
    ]);
    // New York's 1 November has 25 hours (summer time ends).
    const ny = await stats('from=2026-11-01T04:00:00.000Z&to=2026-11-03T05:00:00.000Z&tz=America/New_York&bucket=day');
    expect(ny.series.items.map((i) => [i.date, i.start, i.end, i.jobs])).toEqual([
      ['2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 0],
      ['2026-11-02', '2026-11-02T05:00:00.000Z', '2026-11-03T05:00:00.000Z', 2], // A (04:00 local) and B (18:30 local)
    ]);
  });

  it('filters by printer, by user, by both and by state, the series and the totals alike', async () => {
    const jobsPerDay = async (filter: string) => (await stats(`${berlinWeek}&bucket=day&${filter}`)).series.items.map((i) => i.jobs);
    expect(await jobsPerDay('printerId=mk3-a')).toEqual([1, 1, 0, 0, 1, 0]);
    expect(await jobsPerDay('user=alice')).toEqual([1, 0, 1, 0, 1, 0]);
    expect(await jobsPerDay('printerId=mk3-a&user=alice')).toEqual([1, 0, 0, 0, 1, 0]);
    expect(await jobsPerDay('state=failed,cancelled')).toEqual([0, 1, 0, 0, 1, 0]);
    const mk3 = await stats(`${berlinWeek}&printerId=mk3-a`);
    expect(mk3.printers.map((p) => p.key)).toEqual(['mk3-a']);
    expect(mk3.users.map((u) => [u.key, u.jobs])).toEqual([
      ['alice', 2],
      ['bob', 1],
    ]);
  });

  it('bounds the range to the second: from included, to excluded, at any instant', async () => {
    const count = async (from: string, to: string) => (await stats(`from=${from}&to=${to}&tz=UTC`)).users.reduce((n, u) => n + u.jobs, 0);
    expect(await count('2026-11-02T09:00:00.000Z', '2026-11-04T01:00:00.000Z')).toBe(2); // A, B; C ends at `to`
    expect(await count('2026-11-02T09:00:01.000Z', '2026-11-04T01:00:01.000Z')).toBe(2); // B, C
    expect(await count('2026-11-02T08:59:59.000Z', '2026-11-02T09:00:01.000Z')).toBe(1); // A alone, inside one quarter hour
  });

  it('cuts by week and month, chooses the bucket from the range when none is asked for, and runs from the first ended job without `from`', async () => {
    const weeks = await stats('to=2026-11-16T23:00:00.000Z&tz=Europe/Berlin&bucket=week');
    expect(weeks.series.items.map((i) => [i.date, i.jobs])).toEqual([
      ['2026-10-26', 1],
      ['2026-11-02', 5],
      ['2026-11-09', 1],
      ['2026-11-16', 0],
    ]);
    expect(weeks.series.items[0]!.start).toBe('2026-10-25T23:00:00.000Z'); // Monday 26 Oct, 00:00 CET
    expect(weeks.series.items.at(-1)!.end).toBe('2026-11-16T23:00:00.000Z');
    const months = await stats('from=2026-10-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z&tz=UTC&bucket=month');
    expect(months.series.items.map((i) => [i.date, i.jobs])).toEqual([
      ['2026-10-01', 1],
      ['2026-11-01', 6],
    ]);
    expect((await stats(`${berlinWeek}`)).series.bucket).toBe('day');
    expect((await stats('from=2026-06-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z&tz=UTC')).series.bucket).toBe('week');
    const twoYears = await stats('from=2025-01-01T00:00:00.000Z&to=2027-01-01T00:00:00.000Z&tz=UTC');
    expect(twoYears.series.bucket).toBe('month');
    expect(twoYears.series.items).toHaveLength(24);
    expect(twoYears.series.items.reduce((n, i) => n + i.jobs, 0)).toBe(7);
  });

  it('refuses an unknown zone or bucket, a reversed range, and a chosen bucket that would make too many', async () => {
    for (const [query, message] of [
      ['tz=Mars/Olympus_Mons', /tz: an IANA time zone/],
      ['bucket=hour', /bucket/],
      ['from=2026-11-05T00:00:00.000Z&to=2026-11-01T00:00:00.000Z', /from must be before to/],
      ['from=2020-01-01T00:00:00.000Z&to=2026-01-01T00:00:00.000Z&bucket=day', /more than 1000 buckets/],
    ] as const) {
      const res = await svc.json<{ error: { code: string; message: string } }>(`/stats?${query}`);
      expect({ query, status: res.status, code: res.body.error.code }).toEqual({ query, status: 400, code: 'INVALID_INPUT' });
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('counts a job ended through MQTT in the bucket of the day it ended, and the summaries stay exact', async () => {
    const agent = await FakeAgent.connect(broker, 'pi-1');
    try {
      const form = new FormData();
      form.append('file', new Blob([squareGcode(20, 'stats')]), 'stats.gcode');
      const file = (await (await svc.api('/files', { method: 'POST', body: form })).json()) as { file: { id: string } };
      await svc.settle();
      await agent.state('mk3-z', 'ready');
      const since = new Date(Date.now() - 1000).toISOString();
      const created = await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId: file.file.id, printerId: 'mk3-z' } });
      const jobId = created.body.jobs[0]!.id;
      await agent.acceptStart('mk3-z', await agent.nextStart('mk3-z'));
      await agent.finish('mk3-z', jobId, 1800);
      const ended = await svc.waitForJob(jobId, (j) => j.state === 'finished');

      // The bucket of the day it ended (the range starts just before it was queued, so it may span midnight).
      const s = await stats(`from=${since}&tz=UTC&printerId=mk3-z`);
      const counted = s.series.items.filter((i) => i.jobs > 0);
      expect(counted.map((i) => [i.date, i.jobs, i.finished, i.printHours])).toEqual([[ended.endedAt!.slice(0, 10), 1, 1, 0.5]]);
      const until = new Date(Date.parse(ended.endedAt!) + 1000).toISOString();
      const all = await stats(`from=${since}&to=${until}&tz=UTC`); // from the summaries, and the jobs of the partial quarter hours
      expect(all.series.items.reduce((n, i) => n + i.jobs, 0)).toBe(1);
      const db = svc.app.get(Database);
      for (const table of Object.keys(FRESH_SUMMARIES) as (keyof typeof FRESH_SUMMARIES)[])
        expect({ table, rows: await db.query(STORED_SUMMARIES[table]) }).toEqual({ table, rows: await db.query(FRESH_SUMMARIES[table]) });
    } finally {
      await agent.close();
    }
  });
});
