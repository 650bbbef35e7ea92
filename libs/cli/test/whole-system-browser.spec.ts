import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  printerCommandReplyTopic,
  printerCommandTopic,
  printerStateTopic,
  TOPIC_PATTERNS,
  type PrinterState,
} from '@printfleet/contracts';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { createTempDir, freePort, MqttProbe, type ReceivedMessage } from '@printfleet/testing';

const BIN = join(__dirname, '..', 'bin', 'printfleet.js');
const RESULTS = join(__dirname, '..', 'test-results');
/** Debian's Chromium; the tests never download a browser. */
const CHROMIUM = process.env.PRINTFLEET_CHROMIUM ?? '/usr/bin/chromium';
const ADMIN_PASSWORD = 'a-long-admin-password';
const VIEWER = { name: 'vera', password: 'vera-viewer-password' };
const CONTROLLER = { name: 'ha-controller', password: 'ha-controller-password' };
const PRINTER = 'demo-marlin';
const FILE_NAME = 'slow-squares.gcode';
/** Discovery entities the gateway publishes per printer (sensors, binary sensors, buttons). */
const ENTITIES = 13;

/**
 * A small but real print, slow enough to pause: five 10 mm squares at 10 mm/s, so about twenty
 * seconds of (simulated, real-time) motion.
 */
const SLOW_SQUARES = (() => {
  const lines = ['; five slow squares', 'G21', 'G90', 'M82', 'M104 S200', 'G28', 'G92 E0', 'G1 Z0.2 F3000', 'G1 X10 Y10 F6000'];
  let e = 0;
  for (let layer = 0; layer < 5; layer++) {
    lines.push(`G1 Z${(0.2 * (layer + 1)).toFixed(1)} F600`);
    for (const [x, y] of [[20, 10], [20, 20], [10, 20], [10, 10]] as const) lines.push(`G1 X${x} Y${y} E${(e += 0.5).toFixed(2)} F600`);
  }
  lines.push('M104 S0', 'M84', '');
  return lines.join('\n');
})();

/** Waits (on every animation frame, in the page) until the text of `selector` matches. */
async function until(p: Page, selector: string, expected: RegExp | string, what: string, timeout = 15_000): Promise<void> {
  const [source, flags] =
    typeof expected === 'string' ? [expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), ''] : [expected.source, expected.flags];
  try {
    // A function, not a string: the page's CSP forbids eval. Typed loosely: no DOM library here.
    type Doc = { querySelector(s: string): { textContent: string | null } | null };
    await p.waitForFunction(
      ([sel, src, fl]) => new RegExp(src, fl).test((globalThis as unknown as { document: Doc }).document.querySelector(sel)?.textContent ?? ''),
      [selector, source, flags] as const,
      { timeout },
    );
  } catch {
    const shown = await p.locator(selector).first().textContent().catch(() => null);
    throw new Error(`${what}: expected ${String(expected)} in ${selector}, page shows ${JSON.stringify(shown)}`);
  }
}

/** A headless Chromium with its own profile: two of them are two people. */
async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'printfleet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Runs `mosquitto_pub` (argument array, never a shell). */
function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_pub', args, { timeout: 10_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`mosquitto_pub failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

interface SubMessage {
  topic: string;
  retain: boolean;
  payload: string;
}

/** A `mosquitto_sub -F %j` process; `next(pred)` resolves with the first line that matches. */
class MosquittoSub {
  readonly messages: SubMessage[] = [];
  readonly done: Promise<SubMessage[]>;
  private readonly child: ChildProcess;
  private waiters: { pred: (m: SubMessage) => boolean; resolve: (m: SubMessage) => void }[] = [];

  constructor(args: string[]) {
    this.child = spawn('mosquitto_sub', ['-F', '%j', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (out += chunk).split('\n');
      out = lines.pop()!;
      for (const line of lines.filter((l) => l.startsWith('{'))) {
        const m = JSON.parse(line) as { topic: string; retain: boolean | number; payload?: unknown };
        const msg = { topic: m.topic, retain: Boolean(m.retain), payload: typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload ?? '') };
        this.messages.push(msg);
        this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    this.done = new Promise((resolve, reject) =>
      this.child.once('exit', (code) => (code === 0 ? resolve(this.messages) : reject(new Error(`mosquitto_sub ${args.join(' ')} exited ${code}: ${err}`)))),
    );
    this.done.catch(() => undefined);
  }

  next(pred: (m: SubMessage) => boolean, what: string): Promise<SubMessage> {
    const seen = this.messages.find(pred);
    if (seen) return Promise.resolve(seen);
    return Promise.race([
      new Promise<SubMessage>((resolve) => this.waiters.push({ pred, resolve })),
      this.done.then(() => Promise.reject(new Error(`mosquitto_sub ended without ${what}`))),
    ]);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Logs in over HTTP; returns headers that carry the session and its CSRF token. */
async function apiLogin(base: string, name: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (!res.ok) throw new Error(`login as ${name}: ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
}

describe('printfleet demo: the whole system in Chromium and with mosquitto clients', () => {
  const dir = createTempDir('printfleet-browser-');
  const gcodePath = join(dir.path, FILE_NAME);
  let launcher: ChildProcess;
  let observer: MqttProbe;
  let base: string;
  let mqttPort: number;
  let admin: { context: BrowserContext; close(): Promise<void> };
  let viewer: { context: BrowserContext; close(): Promise<void> };
  const subs: MosquittoSub[] = [];

  const cli = (...args: string[]) => {
    const out = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, PRINTFLEET_DATA_DIR: dir.path }, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`printfleet ${args[0]} failed: ${out.stderr}`);
  };
  const stateOf = (m: ReceivedMessage) => m.json<PrinterState>();
  /** The next retained state of the printer named `name`, newer than `after`. */
  const state = (name: string, after = 0, timeout = 60_000) =>
    observer.waitFor(printerStateTopic(PRINTER), (m) => m.payload.length > 0 && stateOf(m).state === name && stateOf(m).seq > after, timeout).then(stateOf);
  const mqttLogin = () => ['-h', '127.0.0.1', '-p', String(mqttPort), '-u', CONTROLLER.name, '-P', CONTROLLER.password];

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(gcodePath, SLOW_SQUARES);
    cli('user', 'add', VIEWER.name, '--role', 'viewer', '--password', VIEWER.password);
    cli('mqtt-user', 'add', CONTROLLER.name, '--role', 'controller', '--password', CONTROLLER.password);
    const observerPassword = await new AccountStore(dir.path).add('browser-observer', 'observer');

    const [http, mqtt, job] = [await freePort(), await freePort(), await freePort()];
    mqttPort = mqtt;
    base = `http://127.0.0.1:${http}`;
    const log = openSync(join(RESULTS, 'whole-system-demo.log'), 'w');
    launcher = spawn(process.execPath, [BIN, 'demo'], {
      env: {
        PATH: process.env.PATH,
        PRINTFLEET_DATA_DIR: dir.path,
        PRINTFLEET_HTTP_PORT: String(http),
        PRINTFLEET_HTTP_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_PORT: String(mqtt),
        PRINTFLEET_MQTT_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_WS_PORT: '0',
        PRINTFLEET_JOB_HTTP_PORT: String(job),
        PRINTFLEET_JOB_HTTP_HOST: '127.0.0.1',
        PRINTFLEET_ADMIN_PASSWORD: ADMIN_PASSWORD,
        PRINTFLEET_AGENT_ID: 'browser-agent',
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);

    // The broker process is still starting: poll its port with a deadline (no event to wait on).
    for (const deadline = Date.now() + 60_000; !observer; ) {
      try {
        observer = await MqttProbe.connect(`mqtt://127.0.0.1:${mqtt}`, { username: 'browser-observer', password: observerPassword });
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    await observer.subscribe([TOPIC_PATTERNS.printerStream('state'), TOPIC_PATTERNS.homeassistant]);
    await state('ready');
    // Likewise the gateway's HTTP port.
    for (const deadline = Date.now() + 60_000; ; ) {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'admin', password: ADMIN_PASSWORD }),
      }).catch(() => undefined);
      if (res?.ok) break;
      if (Date.now() > deadline) throw new Error('the gateway never accepted the admin login');
      await new Promise((r) => setTimeout(r, 250));
    }
    [admin, viewer] = [await launchChromium(), await launchChromium()];
  }, 120_000);

  afterAll(async () => {
    for (const s of subs) s.kill();
    await admin?.close();
    await viewer?.close();
    await observer?.close();
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGTERM');
      await exited;
    }
    dir.remove();
  }, 60_000);

  async function logIn(p: Page, name: string, password: string) {
    await p.goto(base);
    await p.getByLabel('User name').fill(name);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.getByRole('navigation', { name: 'Main' }).waitFor();
  }

  it('an admin uploads, prints, pauses, resumes, clears the bed and sees the history; a viewer watches the same, without control', async () => {
    const page = await admin.context.newPage();
    const watch = await viewer.context.newPage();
    const card = (sel = '') => `[data-printer="${PRINTER}"]${sel ? ` ${sel}` : ''}`;
    const badge = '.detail [data-testid=state]';
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await logIn(watch, VIEWER.name, VIEWER.password);
    await until(page, card('[data-testid=state]'), 'Ready', 'admin: card ready');
    await until(watch, card('[data-testid=state]'), 'Ready', 'viewer: card ready');
    const displayName = (await page.locator(card('.card-name')).textContent())!;

    // Upload and see the estimate.
    await page.getByRole('link', { name: 'Files' }).click();
    await page.setInputFiles('#file-input', gcodePath);
    await until(page, '#file-title', FILE_NAME, 'file page after upload');
    await until(page, '[data-testid=analysis-state]', 'Ready to print', 'analysis done');
    await until(page, '#file-facts', /Print timeabout \d+/, 'estimate');

    // Start it on demo-marlin.
    const choice = page.getByLabel(new RegExp(displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await choice.check();
    await page.getByRole('button', { name: 'Print' }).click();
    await until(page, '#print-status', `Sent to ${displayName}`, 'sent');

    // Printing, live, on both dashboards.
    await page.goto(`${base}/#/`);
    await until(page, card(), new RegExp(`Printing.*${FILE_NAME.replace('.', '\\.')}`, 's'), 'admin: printing card', 30_000);
    await until(watch, card(), new RegExp(`Printing.*${FILE_NAME.replace('.', '\\.')}`, 's'), 'viewer: printing card', 30_000);
    await page.screenshot({ path: join(RESULTS, 'dashboard-printing.png'), fullPage: true });

    // Pause from the printer page; the viewer sees it paused, with no buttons, and the API refuses it.
    await page.locator(card()).click();
    await until(page, badge, 'Printing', 'detail page');
    await page.getByRole('button', { name: 'Pause' }).click();
    await until(page, badge, 'Paused', 'paused', 60_000);
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'printer-paused.png'), fullPage: true });

    await watch.locator(card()).click();
    await until(watch, badge, 'Paused', 'viewer: paused');
    await watch.getByText('you can watch, not control').waitFor();
    for (const name of ['Pause', 'Resume', 'Cancel print', 'Bed cleared', 'Emergency stop'])
      expect(await watch.getByRole('button', { name }).count()).toBe(0);
    const asViewer = await apiLogin(base, VIEWER.name, VIEWER.password);
    for (const verb of ['resume', 'cancel']) {
      const refused = await fetch(`${base}/api/printers/${PRINTER}/commands/${verb}`, {
        method: 'POST',
        headers: { ...asViewer, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status).toBe(403);
    }

    // Resume, and it runs to the end.
    await page.getByRole('button', { name: 'Resume' }).click();
    await until(page, badge, 'Printing', 'resumed', 30_000);
    await until(watch, badge, 'Printing', 'viewer: resumed', 30_000);
    await until(page, badge, 'Finished', 'finished', 90_000);
    await until(watch, badge, 'Finished', 'viewer: finished');

    // The bed is cleared after a deliberate second tap; the printer is ready again.
    await page.getByRole('button', { name: 'Bed cleared' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Bed is clear' }).click();
    await until(page, badge, 'Ready', 'ready after clear', 30_000);
    await until(watch, badge, 'Ready', 'viewer: ready after clear');

    // The history row, for admin and viewer alike.
    const jobs = (await (await fetch(`${base}/api/jobs?printerId=${PRINTER}`, { headers: asViewer })).json()) as { items: { id: string }[] };
    expect(jobs.items).toHaveLength(1);
    const row = `[data-job="${jobs.items[0]!.id}"]`;
    for (const p of [page, watch]) {
      await p.getByRole('link', { name: 'History' }).click();
      await until(p, row, new RegExp(`${FILE_NAME.replace('.', '\\.')}.*Finished`, 's'), 'history row', 30_000);
    }
    await page.screenshot({ path: join(RESULTS, 'history.png'), fullPage: true });
  }, 240_000);

  it('keeps Home Assistant discovery retained, and obeys a pause from mosquitto_pub and refuses a bad payload', async () => {
    // Discovery configs, read by a fresh mosquitto_sub as retained messages.
    await observer.waitFor(`homeassistant/button/printfleet_${PRINTER}/cancel/config`, () => true, 30_000);
    const discovery = new MosquittoSub([...mqttLogin(), '-t', `homeassistant/+/printfleet_${PRINTER}/+/config`, '--retained-only', '-C', String(ENTITIES), '-W', '10']);
    subs.push(discovery);
    const configs = await discovery.done;
    expect(configs).toHaveLength(ENTITIES);
    for (const m of configs) {
      expect(m.retain).toBe(true);
      const config = JSON.parse(m.payload) as Record<string, unknown>;
      expect(config).toMatchObject({ unique_id: expect.stringMatching(/^printfleet_demo-marlin_/), device: { identifiers: ['printfleet_demo-marlin'] } });
      if (m.topic.startsWith('homeassistant/button/')) expect(config.command_topic).toMatch(/^printfleet\/v1\/printers\/demo-marlin\/cmd\/(pause|resume|cancel)$/);
    }

    // A print to pause, started over the API.
    const headers = await apiLogin(base, 'admin', ADMIN_PASSWORD);
    const files = (await (await fetch(`${base}/api/files`, { headers })).json()) as { items: { id: string; name: string }[] };
    const file = files.items.find((f) => f.name === FILE_NAME)!;
    const ready = observer.received(printerStateTopic(PRINTER)).map(stateOf).at(-1)!;
    expect(ready.state).toBe('ready');
    const started = await fetch(`${base}/api/jobs`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ fileId: file.id, printerId: PRINTER }),
    });
    expect(started.status).toBe(201);
    const printing = await state('printing', ready.seq);

    // Replies are not retained: subscribe before publishing. The printer's retained state comes
    // first on the same subscription, which proves it is in place.
    const replyTopic = printerCommandReplyTopic(PRINTER, 'pause');
    const replies = new MosquittoSub([...mqttLogin(), '-t', printerStateTopic(PRINTER), '-t', replyTopic, '-W', '60']);
    subs.push(replies);
    await replies.next((m) => m.topic === printerStateTopic(PRINTER), 'the retained state');

    const commandId = `ha-pause-${Date.now()}`;
    await mosquittoPub([...mqttLogin(), '-q', '1', '-t', printerCommandTopic(PRINTER, 'pause'), '-m', JSON.stringify({ commandId, requestedBy: 'homeassistant' })]);
    const accepted = await replies.next((m) => m.topic === replyTopic && m.payload.includes(commandId), 'the pause reply');
    expect(JSON.parse(accepted.payload)).toEqual({ commandId, accepted: true });
    const paused = await state('paused', printing.seq);
    expect(paused.job?.fileName).toBe(FILE_NAME);
    // What a newcomer reads: the retained state is paused.
    const retained = new MosquittoSub([...mqttLogin(), '-t', printerStateTopic(PRINTER), '--retained-only', '-C', '1', '-W', '10']);
    subs.push(retained);
    const [last] = await retained.done;
    expect(last!.retain).toBe(true);
    expect(JSON.parse(last!.payload)).toMatchObject({ printerId: PRINTER, state: 'paused' });

    await mosquittoPub([...mqttLogin(), '-q', '1', '-t', printerCommandTopic(PRINTER, 'pause'), '-m', '{"requestedBy":"homeassistant"}']);
    const rejected = await replies.next((m) => m.topic === replyTopic && m.payload.includes('"accepted":false'), 'the rejection');
    expect(JSON.parse(rejected.payload)).toEqual({ commandId: null, accepted: false, reason: expect.stringMatching(/commandId/) });
    replies.kill();
  }, 180_000);
});
