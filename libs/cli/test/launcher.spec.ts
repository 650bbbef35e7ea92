import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { agentAvailabilityTopic, serviceAvailabilityTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import pino from 'pino';
import { startBroker } from '@printfleet/broker';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { createTempDir, freePort, MqttProbe } from '@printfleet/testing';

const BIN = join(__dirname, '..', 'bin', 'printfleet.js');
const AGENT = 'test-agent';
const isOnline = (m: { text: string }) => m.text === 'online';

/** Collects the launcher's output and lets a test await a line. */
class OutputWatcher {
  readonly lines: string[] = [];
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  constructor(child: ChildProcess) {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => {
          const m = line.match(w.re);
          return m ? (w.resolve(m), false) : true;
        });
      });
    }
  }
  waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const m = line.match(re);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${re}:\n${this.lines.join('\n')}`)), timeoutMs);
      this.waiters.push({ re, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
}

/** Re-evaluates `probe` until `done` accepts its value; for state held by another process. */
async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('printfleet start (whole system)', () => {
  const dataDir = createTempDir('printfleet-system-');
  let launcher: ChildProcess;
  let output: OutputWatcher;
  let observer: MqttProbe;
  let httpPort: number;

  afterAll(async () => {
    await observer?.close();
    if (launcher?.exitCode === null) launcher.kill('SIGKILL');
    dataDir.remove();
  });

  it('starts every service, restarts a killed one, and stops them all cleanly', async () => {
    httpPort = await freePort();
    const mqttPort = await freePort();
    const observerPassword = await new AccountStore(dataDir.path).add('test-observer', 'observer');
    launcher = spawn(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH,
        PRINTFLEET_DATA_DIR: dataDir.path,
        PRINTFLEET_HTTP_PORT: String(httpPort),
        PRINTFLEET_HTTP_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_PORT: String(mqttPort),
        PRINTFLEET_MQTT_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_WS_PORT: '0',
        PRINTFLEET_AGENT_ID: AGENT,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output = new OutputWatcher(launcher);

    const pid = async (name: string) => Number((await output.waitFor(new RegExp(`started ${name} \\(pid (\\d+)\\)`)))[1]);
    await output.waitFor(/\[broker\].*MQTT broker listening/);
    observer = await MqttProbe.connect(`mqtt://127.0.0.1:${mqttPort}`, { username: 'test-observer', password: observerPassword });
    await observer.subscribe([TOPIC_PATTERNS.availability.services, TOPIC_PATTERNS.availability.agents]);

    // Every service reports online on MQTT, and the gateway's health says so.
    await observer.waitFor(serviceAvailabilityTopic('job-service'), isOnline, 30_000);
    await observer.waitFor(serviceAvailabilityTopic('gateway'), isOnline, 30_000);
    await observer.waitFor(agentAvailabilityTopic(AGENT), isOnline, 30_000);
    await output.waitFor(/\[gateway\].*HTTP listening/);
    // The gateway learns availability from retained messages just after it subscribes: ask until it has.
    const health = await until(
      async () => (await fetch(`http://127.0.0.1:${httpPort}/api/health`)).json() as Promise<{ agents: object }>,
      (h) => AGENT in h.agents,
    );
    expect(health).toEqual({
      status: 'ok',
      broker: 'online',
      services: { 'job-service': 'online', gateway: 'online' },
      agents: { [AGENT]: 'online' },
    });

    // Each line of output says which service wrote it.
    expect(output.lines.filter((l) => l.startsWith('[job-service]')).length).toBeGreaterThan(0);
    expect(output.lines.every((l) => /^\[(launcher|broker|job-service|gateway|printer-agent)\]/.test(l))).toBe(true);

    // Kill the job-service as a crash would: its last will says offline, the launcher brings it back.
    const jobPid = await pid('job-service');
    const pids = { broker: await pid('broker'), gateway: await pid('gateway'), agent: await pid('printer-agent') };
    const before = observer.received(serviceAvailabilityTopic('job-service')).length;
    process.kill(jobPid, 'SIGKILL');
    await output.waitFor(/job-service exited \(SIGKILL\); restarting/);
    const restartedPid = Number((await output.waitFor(new RegExp(`started job-service \\(pid (?!${jobPid}\\))(\\d+)\\)`)))[1]);
    const after = () => observer.received(serviceAvailabilityTopic('job-service')).slice(before).map((m) => m.text);
    await observer.waitFor(serviceAvailabilityTopic('job-service'), () => after().join() === 'offline,online');
    expect(after()).toEqual(['offline', 'online']);

    // Stop the launcher: every process goes, and each service said offline before the broker stopped.
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const p of [restartedPid, pids.broker, pids.gateway, pids.agent]) expect(alive(p)).toBe(false);
    expect(observer.received(serviceAvailabilityTopic('gateway')).at(-1)?.text).toBe('offline');
    expect(observer.received(serviceAvailabilityTopic('job-service')).at(-1)?.text).toBe('offline');
    expect(observer.received(agentAvailabilityTopic(AGENT)).at(-1)?.text).toBe('offline');
  }, 90_000);

  it('uses an external broker when PRINTFLEET_MQTT_URL is set, starting none of its own', async () => {
    const dir = createTempDir('printfleet-external-');
    const accounts = new AccountStore(dir.path);
    await accounts.ensureServiceAccounts([AGENT]);
    const external = await startBroker({ accounts, logger: pino({ level: 'silent' }), dataDir: dir.path, host: '127.0.0.1', port: 0, wsPort: null });
    const watcher = await MqttProbe.connect(`mqtt://127.0.0.1:${external.port}`, {
      username: 'watcher',
      password: await accounts.add('watcher', 'observer'),
    });
    await watcher.subscribe([TOPIC_PATTERNS.availability.services, TOPIC_PATTERNS.availability.agents]);
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH,
        PRINTFLEET_DATA_DIR: dir.path,
        PRINTFLEET_HTTP_PORT: String(await freePort()),
        PRINTFLEET_HTTP_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_URL: `mqtt://127.0.0.1:${external.port}`,
        PRINTFLEET_AGENT_ID: AGENT,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = new OutputWatcher(child);
    await watcher.waitFor(serviceAvailabilityTopic('job-service'), isOnline, 30_000);
    await watcher.waitFor(serviceAvailabilityTopic('gateway'), isOnline, 30_000);
    await watcher.waitFor(agentAvailabilityTopic(AGENT), isOnline, 30_000);
    expect(out.lines.some((l) => /started broker/.test(l))).toBe(false);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await watcher.close();
    await external.close();
    dir.remove();
  }, 60_000);

  it('leaves no service behind when the launcher itself is killed', async () => {
    const dir = createTempDir('printfleet-orphans-');
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH,
        PRINTFLEET_DATA_DIR: dir.path,
        PRINTFLEET_HTTP_PORT: String(await freePort()),
        PRINTFLEET_HTTP_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_PORT: String(await freePort()),
        PRINTFLEET_MQTT_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_WS_PORT: '0',
        PRINTFLEET_JOB_HTTP_PORT: String(await freePort()),
        PRINTFLEET_AGENT_ID: AGENT,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = new OutputWatcher(child);
    const pids: number[] = [];
    for (const name of ['broker', 'job-service', 'gateway', 'printer-agent'])
      pids.push(Number((await out.waitFor(new RegExp(`started ${name} \\(pid (\\d+)\\)`)))[1]));
    for (const name of ['job-service', 'gateway', 'printer-agent']) await out.waitFor(new RegExp(`\\[${name}\\].*"msg":"started"`));
    child.kill('SIGKILL');
    // Each service sees its IPC channel close and stops by itself, broker or no broker.
    await until(async () => pids.filter(alive), (left) => left.length === 0, 20_000);
    dir.remove();
  }, 60_000);

  it('refuses a bad setting at once, naming the key', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { PATH: process.env.PATH, PRINTFLEET_DATA_DIR: dataDir.path, PRINTFLEET_HTTP_PORT: 'http' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const watcher = new OutputWatcher(child);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    await watcher.waitFor(/PRINTFLEET_HTTP_PORT: .*"http"/);
  });
});
