import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { launchChromium, logInThroughPage } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';
import { phoneProblems } from './support/phone-fit';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');
const GCODE = resolve(__dirname, '../../../../shared/gcode');
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';
const PHONE = { width: 360, height: 740 };

/**
 * The admin pages and the history, statistics, queue and files pages on a 360 × 740 phone (touch,
 * meta viewport), in Chromium against the gateway, the REAL job-service and a real broker, with a
 * fake agent and enough data that every table has rows and every row its buttons. On each page:
 * no sideways scrolling of the page, every control visible, tappable and inside the screen's
 * width, tables fitting or scrolling in their own container (support/phone-fit.ts).
 */
describe('admin, history, statistics, queue and files pages on a 360 px phone', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let fileId: string;
  const pageErrors: string[] = [];

  /** Asks `probe` again every 50 ms until it returns a value (the job-service does not announce these). */
  async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Opens `hash`, waits for `ready`, and expects nothing that would bother a person on a phone. */
  async function fitsThePhone(hash: string, ready: string, shot?: string) {
    await page.goto(`${h.base}/${hash}`);
    await page.locator(ready).first().waitFor();
    expect(await phoneProblems(page)).toEqual([]);
    if (shot) await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startGateway({}, { jobService: {} });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    await h.addUser('olga-with-a-rather-long-name', 'operator');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    await agent.online();
    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    await agent.state('voron-2-4-350-enclosure-left', 'ready', { displayName: 'Voron 2.4 350 in the enclosure on the left' });
    await eventually('both printers registered', async () => (await admin.get('/api/printer-profiles')).body.items.length === 2);

    // A file, a finished and a failed print (history, statistics), and two held jobs (queue).
    const upload = await admin.upload(MINICUBE, readFileSync(join(GCODE, MINICUBE)));
    fileId = upload.body.file.id as string;
    await eventually('analysis done', async () => (await admin.get(`/api/files/${fileId}`)).body.analysisState === 'done');
    for (const ending of ['finished', 'failed'] as const) {
      const created = await admin.post('/api/jobs', { fileId, printerId: 'mk3-a' });
      expect(created.status).toBe(201);
      const jobId = created.body.jobs[0].id as string;
      await agent.acceptStart('mk3-a', await agent.nextStart('mk3-a', jobId), { displayName: 'Prusa MK3 A' });
      const ts = new Date().toISOString();
      if (ending === 'finished') await agent.event({ type: 'job.finished', printerId: 'mk3-a', jobId, durationS: 225, ts });
      else await agent.event({ type: 'job.failed', printerId: 'mk3-a', jobId, reason: 'thermal runaway on the hotend heater', ts });
      await agent.state('mk3-a', ending, { displayName: 'Prusa MK3 A', job: { id: jobId, progress: ending === 'finished' ? 100 : 40 } });
      await eventually(`job ${ending}`, async () => (await admin.get(`/api/jobs/${jobId}`)).body.state === ending);
      await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    }
    for (let i = 0; i < 2; i++) expect((await admin.post('/api/jobs', { fileId, held: true })).status).toBe(201);
    // Rows for the admin tables.
    expect((await admin.post('/api/apikeys', { label: 'PrusaSlicer on the workshop laptop by the door', user: 'olga-with-a-rather-long-name' })).status).toBe(201);
    expect((await admin.post('/api/mqtt-users', { name: 'home-assistant', role: 'observer' })).status).toBe(201);

    chrome = await launchChromium(PHONE, { isMobile: true, hasTouch: true });
    page = await chrome.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await logInThroughPage(page, h.base, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  it('runs as a phone: 360 px wide, touch', async () => {
    const phone = await page.evaluate(() => {
      const w = globalThis as unknown as { innerWidth: number; ontouchstart?: unknown };
      return { width: w.innerWidth, touch: 'ontouchstart' in w };
    });
    expect(phone).toEqual({ width: 360, touch: true });
  });

  it('users: the list, the add form and a password shown once fit', async () => {
    await fitsThePhone('#/admin/users', '[data-user="olga-with-a-rather-long-name"]');
    await page.getByLabel('User name').fill('nina');
    await page.getByRole('button', { name: 'Add user' }).tap();
    await untilText(page, '#users-status', 'nina was added as maker.', 'added from the phone');
    await page.getByTestId('secret').waitFor();
    expect(await phoneProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'admin-users-phone.png'), fullPage: true });
  });

  it('API keys: the list, the form and a new key shown once fit', async () => {
    await fitsThePhone('#/admin/apikeys', '[data-key]');
    await page.getByLabel('Label').fill('OrcaSlicer');
    await page.getByRole('button', { name: 'Create key' }).tap();
    await untilText(page, '#keys-status', '“OrcaSlicer” was created.', 'key from the phone');
    expect(await phoneProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'admin-apikeys-phone.png'), fullPage: true });
  });

  it('MQTT accounts fit', async () => {
    await fitsThePhone('#/admin/mqtt', '[data-mqtt-user="home-assistant"]', 'admin-mqtt-phone.png');
  });

  it('printers: names, profiles and the pause and cancel scripts fit', async () => {
    // A long script line: the box scrolls inside itself, the page does not.
    const pause = ['M83', 'G1 E-2 F2400', 'G91', 'G1 Z10 F600', 'G90', `M117 Paused: ${'check the print before resuming '.repeat(4).trim()}`];
    expect((await admin.request('PUT', '/api/printers/mk3-a/profile', { pauseScript: pause, location: 'Workshop, bench 3' })).status).toBe(200);
    await fitsThePhone('#/admin/printers', 'form[data-printer="mk3-a"] textarea');
    expect(await page.getByRole('form', { name: 'Profile of mk3-a' }).getByLabel('Pause script (G-code)').inputValue()).toBe(pause.join('\n'));
    await page.screenshot({ path: join(SHOTS, 'admin-printers-phone.png'), fullPage: true });
  });

  it('history fits', async () => {
    await fitsThePhone('#/history', '#history-table [data-job]', 'history-phone-360.png');
  });

  it('statistics fit', async () => {
    await fitsThePhone('#/stats', '#stats-failures li', 'statistics-phone.png');
  });

  it('the queue fits, with its buttons', async () => {
    await fitsThePhone('#/queue', '#queue-list [data-job] button', 'queue-phone.png');
  });

  it('system: version, disk and the settings table fit', async () => {
    await fitsThePhone('#/admin/system', '[data-setting="PRINTFLEET_HTTP_PORT"]', 'admin-system-phone.png');
  });

  it('files fit', async () => {
    await fitsThePhone('#/files', `[data-file="${fileId}"]`, 'files-phone-360.png');
  });
});
