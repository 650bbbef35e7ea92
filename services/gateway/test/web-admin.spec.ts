import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { printerCommandReplyTopic, printerCommandTopic, printerConsoleTopic, printerTelemetryTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import { launchChromium, logInThroughPage } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { LiveProbe } from './support/live-probe';
import { untilText } from './support/page-text';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');
const GCODE = resolve(__dirname, '../../../../shared/gcode');
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';

/**
 * Admin pages, the printer page's temperature chart and console, and statistics, in a real
 * Chromium against the gateway, the REAL job-service (temperature history, statistics) and a
 * real broker, with a fake agent. Waits are for the page, MQTT or the live socket; where the
 * job-service records something without announcing it (temperature samples, analyses), the test
 * asks its API again until it is there.
 */
describe('admin pages, temperature chart, console and statistics in Chromium', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
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

  async function logIn(p: Page, name: string, password: string) {
    await logInThroughPage(p, h.base, name, password);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startGateway({}, { jobService: {} });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    await h.addUser('olga', 'operator');
    await h.addUser('vic', 'viewer');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    await agent.online();
    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    chrome = await launchChromium();
    page = await chrome.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await logIn(page, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  it('lets an admin add a user, change the role, reset the password and remove the user', async () => {
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.locator('[data-user="admin"]').waitFor();
    await page.getByLabel('User name').fill('nina');
    await page.getByLabel('Role', { exact: true }).selectOption('operator');
    await page.getByRole('button', { name: 'Add user' }).click();
    await untilText(page, '#users-status', 'nina was added as operator.', 'added');
    const generated = (await page.getByTestId('secret').textContent())!;
    expect(generated.length).toBeGreaterThanOrEqual(12);
    await untilText(page, '[data-user="nina"]', /nina.*operator/, 'new row');
    await page.screenshot({ path: join(SHOTS, 'admin-users.png'), fullPage: true });
    // The password shown once works.
    expect((await ApiClient.login(h.base, 'nina', generated)).cookie).toMatch(/^pf_session=/);

    await page.getByLabel('Role of nina').selectOption('viewer');
    await untilText(page, '#users-status', 'nina is now viewer.', 'role changed');
    expect((await admin.get('/api/users')).body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'nina', role: 'viewer' })]));

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Reset password of nina' }).click();
    await untilText(page, '#users-status', 'nina has a new password', 'reset');
    const fresh = (await page.getByTestId('secret').textContent())!;
    expect(fresh).not.toBe(generated);
    expect((await ApiClient.login(h.base, 'nina', fresh)).cookie).toMatch(/^pf_session=/);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove nina' }).click();
    await untilText(page, '#users-status', 'nina was removed.', 'removed');
    await page.locator('[data-user="nina"]').waitFor({ state: 'detached' });
    expect((await admin.get('/api/users')).body.map((u: { name: string }) => u.name)).not.toContain('nina');
  });

  it('creates an API key shown once, lists it and revokes it', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await untilText(page, '#keys-table', 'No API keys yet.', 'empty list');
    await page.getByLabel('Label').fill('PrusaSlicer <room 2>');
    await page.getByLabel('For user').fill('olga');
    await page.getByRole('button', { name: 'Create key' }).click();
    await untilText(page, '#keys-status', '“PrusaSlicer <room 2>” was created.', 'created');
    const key = (await page.getByTestId('secret').textContent())!;
    expect(key).toMatch(/^pfk_/);
    await untilText(page, '#keys-table', /PrusaSlicer <room 2>.*olga.*never.*active/, 'listed, label as text');
    const me = await fetch(`${h.base}/api/auth/me`, { headers: { 'x-api-key': key } });
    expect(((await me.json()) as { user: { name: string } }).user.name).toBe('olga');
    await page.screenshot({ path: join(SHOTS, 'admin-apikeys.png'), fullPage: true });

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke PrusaSlicer <room 2>' }).click();
    await untilText(page, '#keys-table', /PrusaSlicer <room 2>.*olga.*revoked/, 'revoked');
    expect((await fetch(`${h.base}/api/auth/me`, { headers: { 'x-api-key': key } })).status).toBe(401);
  });

  it('shows the system page: version, free disk, and each setting with its source, secrets hidden', async () => {
    const saved = { ...process.env };
    process.env.PRINTFLEET_WEBHOOK_SECRET = 'never-on-a-page-secret';
    process.env.PRINTFLEET_WEBHOOKS = 'https://hooks.example.org/T0KEN/path';
    try {
      await page.goto(`${h.base}/#/admin/users`);
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'System' }).click();
      await untilText(page, '#system-facts', /Version.*printfleet \d+\.\d+\.\d+ on Node v\d+/s, 'version');
      await untilText(page, '[data-testid=free-disk]', /\d.* of \d/, 'free disk');
      await untilText(page, '[data-setting="PRINTFLEET_SESSION_TTL_HOURS"]', /168.*default/s, 'a default');
      await untilText(page, '[data-setting="PRINTFLEET_WEBHOOK_SECRET"]', /\(set, hidden\).*environment/s, 'a secret, hidden');
      await untilText(page, '[data-setting="PRINTFLEET_WEBHOOKS"]', 'https://hooks.example.org/…', 'a URL, by host');
      const text = (await page.locator('main').textContent())!;
      expect(text).not.toContain('never-on-a-page-secret');
      expect(text).not.toContain('T0KEN');
      await page.screenshot({ path: join(SHOTS, 'admin-system.png'), fullPage: true });
    } finally {
      process.env = saved;
    }
  });

  it('never shows a viewer the admin navigation, pages or console', async () => {
    const other = await launchChromium();
    try {
      const v = await other.context.newPage();
      await logIn(v, 'vic', 'vic-password-123');
      await untilText(v, '#mainnav', /Fleet.*Files.*Queue.*History.*Statistics/s, 'viewer navigation');
      expect(await v.locator('#mainnav').textContent()).not.toMatch(/Admin/);
      expect(await v.locator('[data-nav="admin"], a[href^="#/admin"]').count()).toBe(0);
      // Typing the address gives the fleet, and the API refuses anyway.
      await v.goto(`${h.base}/#/admin/users`);
      await v.locator('#fleet').waitFor();
      expect(await v.locator('#users-table').count()).toBe(0);
      expect((await v.request.get(`${h.base}/api/users`)).status()).toBe(403);
      // The printer page: chart yes, console no.
      await v.goto(`${h.base}/#/printers/mk3-a`);
      await v.getByTestId('temp-chart').waitFor();
      await untilText(v, '#printer-title', 'Prusa MK3 A', 'printer page');
      expect(await v.locator('#console').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('charts the temperature history from the job-service, then follows live telemetry', async () => {
    const reading = async (minutesAgo: number, tool: number, bed: number) =>
      h.agent.client.publishAsync(
        printerTelemetryTopic('mk3-a'),
        JSON.stringify({
          printerId: 'mk3-a',
          ts: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
          heaters: { tool0: { actual: tool, target: 215 }, bed: { actual: bed, target: 60 } },
        }),
        { qos: 1 },
      );
    await reading(20, 120, 45);
    await reading(10, 200, 58);
    await reading(5, 214.5, 60);
    const history = await eventually('three samples recorded', async () => {
      const r = await admin.get(`/api/printers/mk3-a/temperatures?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`);
      return r.status === 200 && r.body.items.length === 3 && r.body;
    });
    expect(history).toMatchObject({ printerId: 'mk3-a', items: [{ heaters: { tool0: { actual: 120 } } }, {}, { heaters: { bed: { actual: 60 } } }] });
    expect((await admin.get('/api/printers/ghost%2F1/temperatures')).status).toBeGreaterThanOrEqual(400);

    await page.goto(`${h.base}/#/printers/mk3-a`);
    const chart = page.getByTestId('temp-chart');
    await page.locator('[data-testid="temp-chart"][data-history="3"]').waitFor();
    // The live view's telemetry is the 5-minutes-ago reading: the same point as the last sample.
    await page.locator('[data-testid="temp-chart"][data-points="3"] canvas').waitFor();
    await agent.telemetry('mk3-a', [214.9, 215], [60.1, 60]);
    await page.locator('[data-testid="temp-chart"][data-points="4"]').waitFor();
    await agent.telemetry('mk3-a', [215.2, 215], [60, 60]);
    await page.locator('[data-testid="temp-chart"][data-points="5"]').waitFor();
    await untilText(page, '[data-testid="temp-chart"] .u-legend', /Nozzle.*Nozzle target.*Bed.*Bed target/s, 'legend');
    expect(await chart.locator('canvas').count()).toBe(1);
    // uPlot drew: its canvas got a size (it throws in a microtask, not here, when data and series disagree).
    expect(await chart.locator('canvas').evaluate((c) => (c as unknown as { width: number }).width)).toBeGreaterThan(200);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'printer-chart.png'), fullPage: true });
  });

  it('lets an admin send G-code and read the console, which only admins receive', async () => {
    const adminLive = await LiveProbe.connect(h.base, admin.cookie);
    const olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
    const operatorLive = await LiveProbe.connect(h.base, olga.cookie);
    try {
      await adminLive.waitFor((m) => m.type === 'snapshot');
      await operatorLive.waitFor((m) => m.type === 'snapshot');
      await page.locator('#console').waitFor();
      await page.getByLabel('G-code', { exact: true }).fill('M105');
      await page.getByRole('button', { name: 'Send' }).click();
      const cmd = await h.agent.waitFor(printerCommandTopic('mk3-a', 'gcode'));
      const sent = cmd.json<{ commandId: string; lines: string[]; requestedBy: string }>();
      expect(sent).toMatchObject({ lines: ['M105'], requestedBy: 'admin' });
      await h.agent.client.publishAsync(printerCommandReplyTopic('mk3-a', 'gcode'), JSON.stringify({ commandId: sent.commandId, accepted: true }), { qos: 1 });
      await untilText(page, '#gcode-status', 'M105: accepted by the printer.', 'reply');

      const line = (direction: 'tx' | 'rx', text: string) =>
        h.agent.client.publishAsync(printerConsoleTopic('mk3-a'), JSON.stringify({ printerId: 'mk3-a', ts: new Date().toISOString(), direction, line: text }), { qos: 1 });
      await line('tx', 'M105');
      await line('rx', 'ok T:214.8 /215.0 B:60.1 /60.0 <img src=x>');
      await untilText(page, '#console-log', /→ M105.*← ok T:214\.8 \/215\.0 B:60\.1 \/60\.0 <img src=x>/s, 'console lines');
      expect(await page.locator('#console-log img').count()).toBe(0);
      await adminLive.waitFor((m) => m.type === 'console' && m.line.direction === 'rx', 'console line for the admin');
      // Something after the console lines reaches the operator; the console lines never do.
      await agent.event({ type: 'printer.error', printerId: 'mk3-a', reason: 'marker', ts: new Date().toISOString() });
      await operatorLive.waitFor((m) => m.type === 'event' && m.event.reason === 'marker', 'the later event');
      expect(operatorLive.messages.filter((m) => m.type === 'console')).toHaveLength(0);
      await page.screenshot({ path: join(SHOTS, 'printer-console.png'), fullPage: true });
    } finally {
      adminLive.close();
      operatorLive.close();
    }
  });

  it('shows statistics per printer and user, with failures by reason', async () => {
    const upload = await admin.upload(MINICUBE, readFileSync(join(GCODE, MINICUBE)));
    const fileId = upload.body.file.id as string;
    await eventually('analysis done', async () => (await admin.get(`/api/files/${fileId}`)).body.analysisState === 'done');
    const print = async (end: (jobId: string) => Promise<void>) => {
      const created = await admin.post('/api/jobs', { fileId, printerId: 'mk3-a' });
      expect(created.status).toBe(201);
      const jobId = created.body.jobs[0].id as string;
      await agent.acceptStart('mk3-a', await agent.nextStart('mk3-a', jobId), { displayName: 'Prusa MK3 A' });
      await end(jobId);
      await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
      return jobId;
    };
    const ts = () => new Date().toISOString();
    await print(async (jobId) => {
      await agent.event({ type: 'job.finished', printerId: 'mk3-a', jobId, durationS: 225, ts: ts() });
      await agent.state('mk3-a', 'finished', { displayName: 'Prusa MK3 A', job: { id: jobId, progress: 100 } });
    });
    const failed = await print(async (jobId) => {
      await agent.event({ type: 'job.failed', printerId: 'mk3-a', jobId, reason: 'thermal runaway', ts: ts() });
      await agent.state('mk3-a', 'failed', { displayName: 'Prusa MK3 A', reason: 'thermal runaway', job: { id: jobId, progress: 40 } });
    });
    await eventually('failed job recorded', async () => (await admin.get(`/api/jobs/${failed}`)).body.state === 'failed');

    await page.getByRole('link', { name: 'Statistics' }).click();
    await untilText(page, '#stats-summary', '2 ended jobs, 1 finished (50 %)', 'summary');
    await untilText(page, '#stats-printers', /mk3-a\s*2\s*1\s*50 %/, 'per printer');
    await untilText(page, '#stats-users', /admin\s*2\s*1\s*50 %/, 'per user');
    await untilText(page, '#stats-failures', /thermal runaway\s*1/, 'failures by reason');
    await page.screenshot({ path: join(SHOTS, 'statistics.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
