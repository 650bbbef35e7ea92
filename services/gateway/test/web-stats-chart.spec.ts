import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { Database } from '../../job-service/src/database/database.repository';
import { launchChromium, logInThroughPage } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';
import { phoneProblems } from './support/phone-fit';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');
const GCODE = resolve(__dirname, '../../../../shared/gcode');
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';
/** India: UTC+05:30 all year, so a local midnight is not on a UTC hour; the page must send its zone. */
const ZONE = 'Asia/Kolkata';
const OFFSET_MS = 5.5 * 3600_000;

type SeriesItem = { date: string; jobs: number; finished: number; failed: number; cancelled: number; interrupted: number; printHours: number; filamentMm: number };
type Stats = { series: { bucket: string; timeZone: string; items: SeriesItem[] }; users: { key: string; jobs: number }[] };

/** Local midnight `back` days before today in Kolkata, as epoch ms, and its date. */
function kolkataDay(back: number): { start: number; date: string } {
  const local = new Date(Date.now() + OFFSET_MS); // the wall clock there, read as UTC
  const start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - back) - OFFSET_MS;
  return { start, date: new Date(start + OFFSET_MS).toISOString().slice(0, 10) };
}

/** A table row as the page shows it: date, jobs, finished, failed, interrupted, cancelled, print hours, filament (m). */
const asShown = (i: SeriesItem) => [i.date, String(i.jobs), String(i.finished), String(i.failed), String(i.interrupted), String(i.cancelled), i.printHours.toFixed(1), (i.filamentMm / 1000).toFixed(2)];

/**
 * The statistics page's chart over time, in Chromium against the gateway and the REAL job-service
 * (history written into its SQLite; one job ended through MQTT as an agent reports it). The
 * browser runs in Asia/Kolkata. Waits are for the page's responses, attributes and text.
 */
describe('statistics over time in Chromium', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const pageErrors: string[] = [];
  const today = kolkataDay(0);

  /** The page's next `GET /api/stats` answer after `act`, with the query it sent. */
  async function statsAfter(p: Page, act: () => Promise<unknown>): Promise<{ url: URL; body: Stats }> {
    const [response] = await Promise.all([p.waitForResponse((r: Response) => new URL(r.url()).pathname === '/api/stats'), act()]);
    expect(response.status()).toBe(200);
    return { url: new URL(response.url()), body: (await response.json()) as Stats };
  }

  /** The rows of the numbers table (typed loosely: this file is type-checked without the DOM library). */
  type Row = { getAttribute(name: string): string | null; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
  const shownRows = (p: Page) =>
    p.$$eval('#stats-series-table tbody tr', (rows) =>
      (rows as unknown as Row[]).map((r) => [r.getAttribute('data-bucket-date'), ...Array.from(r.querySelectorAll('td')).map((c) => c.textContent)]),
    );

  async function timezone(p: Page) {
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: ZONE });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startGateway({}, { jobService: {} });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-b'));
    await h.addUser('olga', 'operator');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    await agent.online();
    await agent.state('mk3-b', 'ready');

    // The history, by Kolkata day: 6 days ago … today. 4 days ago and yesterday have none.
    const db = h.jobs!.app.get(Database);
    let n = 0;
    const ended = async (back: number, minutes: number, state: string, printer: string | null, user: string, durationS: number | null, filamentMm: number | null) => {
      const end = kolkataDay(back).start + minutes * 60_000;
      await db.run(
        `INSERT INTO jobs (id, file_name, printer_id, requested_by, state, queued_at, started_at, ended_at, duration_s, filament_used_mm, reason) VALUES (?, 'part.gcode', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [`hist-${++n}`, printer, user, state, new Date(end - 3 * 3600_000).toISOString(), new Date(end - 2 * 3600_000).toISOString(), new Date(end).toISOString(), durationS, filamentMm, state === 'finished' ? null : 'test'],
      );
    };
    await ended(8, 600, 'finished', 'mk3-a', 'admin', 3600, 1000); // before the 7 days
    await ended(6, 600, 'finished', 'mk3-a', 'admin', 7200, 2000);
    await ended(5, 10, 'failed', 'mk3-a', 'olga', 1800, 300); // 00:10 there: still 6 days ago in UTC
    await ended(3, 480, 'finished', 'mk3-b', 'admin', 5400, 1500.5);
    await ended(3, 720, 'finished', 'mk3-a', 'olga', 3600, 800);
    await ended(3, 900, 'cancelled', null, 'olga', null, null);
    await ended(2, 1000, 'interrupted', 'mk3-b', 'admin', 900, 120);
    await ended(0, 0, 'finished', 'mk3-a', 'admin', 1800, 400); // today at 00:00

    chrome = await launchChromium();
    page = await chrome.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await timezone(page);
    await logInThroughPage(page, h.base, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  it('draws the last 7 days as 7 buckets in the browser’s zone, and the numbers for screen readers are the API’s', async () => {
    await statsAfter(page, () => page.getByRole('link', { name: 'Statistics' }).click());
    const { url, body } = await statsAfter(page, () => page.getByLabel('Period').selectOption('7'));
    // Chromium's ICU may call the zone by its older name.
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect([ZONE, 'Asia/Calcutta']).toContain(zone);
    expect(Object.fromEntries(url.searchParams)).toEqual({ tz: zone, bucket: 'day', from: new Date(kolkataDay(6).start).toISOString() });
    expect(body.series).toMatchObject({ bucket: 'day', timeZone: zone });

    const chart = page.getByTestId('stats-chart');
    await page.locator('[data-testid="stats-chart"][data-drawn="7"]').waitFor();
    expect(await chart.getAttribute('data-buckets')).toBe('7');
    const canvas = await chart.locator('canvas').first().boundingBox();
    expect(canvas!.width).toBeGreaterThan(500);

    // What the page holds for screen readers is what the API said…
    expect(await shownRows(page)).toEqual(body.series.items.map(asShown));
    // …and that is the history written above, day by day (zeros where nothing ended).
    const day = (back: number) => kolkataDay(back).date;
    expect((await shownRows(page)).map((r) => r.slice(0, 7))).toEqual([
      [day(6), '1', '1', '0', '0', '0', '2.0'],
      [day(5), '1', '0', '1', '0', '0', '0.5'],
      [day(4), '0', '0', '0', '0', '0', '0.0'],
      [day(3), '3', '2', '0', '0', '1', '2.5'],
      [day(2), '1', '0', '0', '1', '0', '0.3'],
      [day(1), '0', '0', '0', '0', '0', '0.0'],
      [day(0), '1', '1', '0', '0', '0', '0.5'],
    ]);
    const table = page.getByRole('table', { name: 'Jobs ended and print hours per day' });
    expect(await table.count()).toBe(1);
    const described = await page.getByRole('img', { name: /^Jobs per day from / }).getAttribute('aria-label');
    expect(described).toContain(': 7 jobs ended, 4 finished, 1 failed, 1 interrupted, 1 cancelled; 5.8 print hours.');
    await untilText(page, '#stats-summary', '7 ended jobs, 4 finished (57 %)', 'summary sums the same jobs');

    // Hidden from view (in a 1 px clipped box) until asked for, then shown.
    const box = page.locator('#stats-series-table');
    expect((await box.boundingBox())!.height).toBeLessThanOrEqual(1);
    await page.getByRole('button', { name: 'Show the numbers' }).click();
    expect((await box.boundingBox())!.height).toBeGreaterThan(100);
    await page.screenshot({ path: join(SHOTS, 'statistics-chart.png'), fullPage: true });
    await page.getByRole('button', { name: 'Hide the numbers' }).click();
  });

  it('narrows the chart to a printer and a user', async () => {
    const byPrinter = await statsAfter(page, () => page.getByLabel('Printer').selectOption('mk3-b'));
    expect(byPrinter.url.searchParams.get('printerId')).toBe('mk3-b');
    await untilText(page, '#stats-chart-note', `Days in ${byPrinter.url.searchParams.get('tz')}`, 'note');
    expect((await shownRows(page)).map((r) => r[1])).toEqual(['0', '0', '0', '1', '1', '0', '0']);
    expect(await shownRows(page)).toEqual(byPrinter.body.series.items.map(asShown));

    await statsAfter(page, () => page.getByLabel('Printer').selectOption(''));
    const byUser = await statsAfter(page, () => page.getByLabel('User').selectOption('olga'));
    expect(byUser.url.searchParams.get('user')).toBe('olga');
    expect((await shownRows(page)).map((r) => r[1])).toEqual(['0', '1', '0', '2', '0', '0', '0']);
    await statsAfter(page, () => page.getByLabel('User').selectOption(''));
  });

  it('counts a job that ends while the page is open, in today’s bucket', async () => {
    const upload = await admin.upload(MINICUBE, readFileSync(join(GCODE, MINICUBE)));
    const fileId = upload.body.file.id as string;
    const created = await admin.post('/api/jobs', { fileId, printerId: 'mk3-b' });
    expect(created.status).toBe(201);
    const jobId = created.body.jobs[0].id as string;
    await agent.acceptStart('mk3-b', await agent.nextStart('mk3-b', jobId));
    const refreshed = statsAfter(page, async () => {
      await agent.event({ type: 'job.finished', printerId: 'mk3-b', jobId, durationS: 2700, ts: new Date().toISOString() });
      await agent.state('mk3-b', 'finished', { job: { id: jobId, progress: 100 } });
    });
    const { body } = await refreshed;
    // The job ended just now, in Kolkata's today (or tomorrow, if midnight passed there meanwhile).
    const last = body.series.items.at(-1)!;
    expect(last.date >= today.date).toBe(true);
    await untilText(page, `#stats-series-table tr[data-bucket-date="${last.date}"] td`, new RegExp(`^${last.jobs}$`), 'the new job in its bucket');
    expect(body.series.items.reduce((s, i) => s + i.jobs, 0)).toBe(8);
    expect(await shownRows(page)).toEqual(body.series.items.map(asShown));
    expect(pageErrors).toEqual([]);
  });

  it('fits a 360 px phone, chart included', async () => {
    const phone = await launchChromium({ width: 360, height: 740 }, { isMobile: true, hasTouch: true });
    try {
      const p = await phone.context.newPage();
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await timezone(p);
      await logInThroughPage(p, h.base, 'admin', ADMIN_PASSWORD);
      await p.goto(`${h.base}/#/stats`);
      await p.locator('[data-testid="stats-chart"][data-drawn="30"]').waitFor();
      const canvas = (await p.getByTestId('stats-chart').locator('canvas').first().boundingBox())!;
      expect(canvas.x).toBeGreaterThanOrEqual(0);
      expect(canvas.x + canvas.width).toBeLessThanOrEqual(360);
      expect(canvas.width).toBeGreaterThan(240);
      expect(await phoneProblems(p)).toEqual([]);
      await p.getByTestId('stats-chart').screenshot({ path: join(SHOTS, 'statistics-chart-phone.png') });
      await p.getByRole('button', { name: 'Show the numbers' }).tap();
      expect(await phoneProblems(p)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
