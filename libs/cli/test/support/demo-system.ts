import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { printerStateTopic, type PrinterState } from '@printfleet/contracts';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { createTempDir, freePort, MqttProbe, type ReceivedMessage } from '@printfleet/testing';

export const BIN = join(__dirname, '..', '..', 'bin', 'printfleet.js');
export const RESULTS = join(__dirname, '..', '..', 'test-results');
/** Debian's Chromium; the tests never download a browser. */
const CHROMIUM = process.env.PRINTFLEET_CHROMIUM ?? '/usr/bin/chromium';
export const ADMIN_PASSWORD = 'a-long-admin-password';

/** Waits (on every animation frame, in the page) until the text of `selector` matches. */
export async function until(p: Page, selector: string, expected: RegExp | string, what: string, timeout = 15_000): Promise<void> {
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

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with its own profile: two of them are two people. `phone`: 360 × 740, touch. */
export async function launchChromium(device: 'desktop' | 'phone' = 'desktop'): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'printfleet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(device === 'phone' ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } }),
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

export async function logIn(p: Page, base: string, name: string, password: string): Promise<void> {
  await p.goto(base);
  await p.getByLabel('User name').fill(name);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Log in' }).click();
  await p.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** What bothers a person on a phone: the page scrolls sideways. */
export function scrollsSideways(p: Page): Promise<boolean> {
  type El = { scrollWidth: number; clientWidth: number };
  return p.evaluate(() => {
    const root = (globalThis as unknown as { document: { scrollingElement: El } }).document.scrollingElement;
    return root.scrollWidth > root.clientWidth;
  });
}

/** Runs `mosquitto_pub` (argument array, never a shell). */
export function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_pub', args, { timeout: 10_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`mosquitto_pub failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

export interface SubMessage {
  topic: string;
  retain: boolean;
  payload: string;
}

/** A `mosquitto_sub -F %j` process; `next(pred)` resolves with the first line that matches. */
export class MosquittoSub {
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
    // 'close', not 'exit': a process may exit before its last stdout bytes are read.
    this.done = new Promise((resolve, reject) =>
      this.child.once('close', (code) => (code === 0 ? resolve(this.messages) : reject(new Error(`mosquitto_sub ${args.join(' ')} exited ${code}: ${err}`)))),
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
export async function apiLogin(base: string, name: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (!res.ok) throw new Error(`login as ${name}: ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
}

export const stateOf = (m: ReceivedMessage) => m.json<PrinterState>();

/** `printfleet demo` (every service real, three simulated printers) on free ports in a temp dir. */
export class DemoSystem {
  readonly dir = createTempDir('printfleet-browser-');
  base = '';
  mqttPort = 0;
  observer!: MqttProbe;
  private launcher?: ChildProcess;

  /** Runs a `printfleet` admin command on this system's data dir. */
  cli(...args: string[]): void {
    const out = spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, PRINTFLEET_DATA_DIR: this.dir.path }, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`printfleet ${args[0]} failed: ${out.stderr}`);
  }

  /**
   * Starts the demo, logged to `test-results/<logName>`, and returns once the printers' retained
   * states can be read by an observer (subscribed to `observe`) and the admin can log in.
   */
  async start(logName: string, observe: string[], readyPrinter: string): Promise<void> {
    mkdirSync(RESULTS, { recursive: true });
    const observerPassword = await new AccountStore(this.dir.path).add('browser-observer', 'observer');
    const [http, mqtt, job] = [await freePort(), await freePort(), await freePort()];
    this.mqttPort = mqtt;
    this.base = `http://127.0.0.1:${http}`;
    const log = openSync(join(RESULTS, logName), 'w');
    this.launcher = spawn(process.execPath, [BIN, 'demo'], {
      env: {
        PATH: process.env.PATH,
        PRINTFLEET_DATA_DIR: this.dir.path,
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
    for (const deadline = Date.now() + 60_000; !this.observer; ) {
      try {
        this.observer = await MqttProbe.connect(`mqtt://127.0.0.1:${mqtt}`, { username: 'browser-observer', password: observerPassword });
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    await this.observer.subscribe(observe);
    await this.state(readyPrinter, 'ready');
    // Likewise the gateway's HTTP port.
    for (const deadline = Date.now() + 60_000; ; ) {
      const res = await fetch(`${this.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'admin', password: ADMIN_PASSWORD }),
      }).catch(() => undefined);
      if (res?.ok) break;
      if (Date.now() > deadline) throw new Error('the gateway never accepted the admin login');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The next retained state `name` of `printerId`, newer than `after`. */
  state(printerId: string, name: string, after = 0, timeout = 60_000): Promise<PrinterState> {
    return this.observer
      .waitFor(printerStateTopic(printerId), (m) => m.payload.length > 0 && stateOf(m).state === name && stateOf(m).seq > after, timeout)
      .then(stateOf);
  }

  async stop(): Promise<void> {
    await this.observer?.close();
    const launcher = this.launcher;
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGTERM');
      await exited;
    }
    this.dir.remove();
  }
}
