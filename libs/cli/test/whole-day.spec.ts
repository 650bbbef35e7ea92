import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { printerStateTopic, TOPIC_PATTERNS, type PrinterState } from '@printfleet/contracts';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { createTempDir, freePort, MqttProbe } from '@printfleet/testing';

const BIN = join(__dirname, '..', 'bin', 'printfleet.js');
const ADMIN_PASSWORD = 'a-long-admin-password';

/** A small but real print: heat, home, two square layers, cool down. */
const TINY = [
  '; two squares',
  'G21',
  'G90',
  'M82',
  'M104 S200',
  'G28',
  'G92 E0',
  'G1 Z0.2 F3000',
  'G1 X10 Y10 F6000',
  'G1 X30 Y10 E1.0 F1200',
  'G1 X30 Y30 E2.0',
  'G1 X10 Y30 E3.0',
  'G1 X10 Y10 E4.0',
  'G1 Z0.4',
  'G1 X30 Y10 E5.0',
  'G1 X30 Y30 E6.0',
  'M104 S0',
  'M84',
  '',
].join('\n');

describe('printfleet demo: a print from upload to history, through every real service', () => {
  const dir = createTempDir('printfleet-day-');
  let launcher: ChildProcess;
  let observer: MqttProbe;

  afterAll(async () => {
    await observer?.close();
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((resolve) => launcher.once('exit', resolve));
      launcher.kill('SIGTERM');
      await exited;
    }
    dir.remove();
  });

  it('uploads, analyses, dispatches, prints on a simulated printer, records history, and waits for the bed to be cleared', async () => {
    const [http, mqttPort, jobPort] = [await freePort(), await freePort(), await freePort()];
    const observerPassword = await new AccountStore(dir.path).add('day-observer', 'observer');
    launcher = spawn(process.execPath, [BIN, 'demo'], {
      env: {
        PATH: process.env.PATH,
        PRINTFLEET_DATA_DIR: dir.path,
        PRINTFLEET_HTTP_PORT: String(http),
        PRINTFLEET_HTTP_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_PORT: String(mqttPort),
        PRINTFLEET_MQTT_HOST: '127.0.0.1',
        PRINTFLEET_MQTT_WS_PORT: '0',
        PRINTFLEET_JOB_HTTP_PORT: String(jobPort),
        PRINTFLEET_JOB_HTTP_HOST: '127.0.0.1',
        PRINTFLEET_ADMIN_PASSWORD: ADMIN_PASSWORD,
        PRINTFLEET_AGENT_ID: 'day-agent',
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });

    // Wait for the printer on MQTT (events, not sleeps), then for the gateway's login.
    const connect = async (): Promise<MqttProbe> => {
      for (const deadline = Date.now() + 60_000; ; ) {
        try {
          return await MqttProbe.connect(`mqtt://127.0.0.1:${mqttPort}`, { username: 'day-observer', password: observerPassword });
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 250)); // the broker process is still starting
        }
      }
    };
    observer = await connect();
    await observer.subscribe(TOPIC_PATTERNS.printerStream('state'));
    const topic = printerStateTopic('demo-marlin');
    const state = (name: string, after = 0) =>
      observer.waitFor(topic, (m) => m.json<PrinterState>().state === name && m.json<PrinterState>().seq > after, 60_000);
    const ready = (await state('ready')).json<PrinterState>();

    const base = `http://127.0.0.1:${http}`;
    let login: Response | undefined;
    for (const deadline = Date.now() + 60_000; !login?.ok; ) {
      login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'admin', password: ADMIN_PASSWORD }),
      }).catch(() => undefined);
      if (!login?.ok) {
        if (Date.now() > deadline) throw new Error('gateway never accepted the login');
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const { csrfToken } = (await login!.json()) as { csrfToken: string };
    const cookie = login!.headers.get('set-cookie')!.split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': csrfToken };

    const form = new FormData();
    form.append('file', new Blob([TINY]), 'two-squares.gcode');
    const upload = await fetch(`${base}/api/files`, { method: 'POST', headers, body: form });
    expect(upload.status).toBe(201);
    const { file } = (await upload.json()) as { file: { id: string } };

    const job = await fetch(`${base}/api/jobs`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ fileId: file.id, printerId: 'demo-marlin' }),
    });
    expect(job.status).toBe(201);

    const printing = (await state('printing', ready.seq)).json<PrinterState>();
    expect(printing.job?.fileName).toBe('two-squares.gcode');
    const finished = (await state('finished', printing.seq)).json<PrinterState>();
    expect(finished.job?.progress).toBe(100);

    // The history knows, from the agent's events.
    const history = async () =>
      ((await (await fetch(`${base}/api/jobs?printerId=demo-marlin`, { headers })).json()) as { items: { state: string; durationS: number | null; filamentUsedMm: number | null }[] }).items;
    let rows = await history();
    for (const deadline = Date.now() + 20_000; rows[0]?.state !== 'finished' && Date.now() < deadline; rows = await history())
      await new Promise((r) => setTimeout(r, 200)); // the job-service records the event asynchronously
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'finished' });
    expect(rows[0]!.durationS).toBeGreaterThan(0);
    expect(rows[0]!.filamentUsedMm).toBeCloseTo(6, 1);

    // No second job starts until an operator confirms the bed is cleared.
    const clear = await fetch(`${base}/api/printers/demo-marlin/commands/clear`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(clear.status).toBe(200);
    expect(((await clear.json()) as { accepted: boolean }).accepted).toBe(true);
    await state('ready', finished.seq);
  }, 180_000);
});
