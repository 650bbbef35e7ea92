import { join } from 'node:path';
import { compareRecord, gcodeCommands, startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { printerTelemetryTopic, type PrinterTelemetry } from '@printfleet/contracts';
import { createTempDir } from '@printfleet/testing';
import { DEFAULT_CANCEL_SCRIPT, DEFAULT_PAUSE_SCRIPT } from '../src/session/pause-scripts';
import { fastSim, startWorld, type World } from './harness';

const hostOwn = (c: string) => /^M10?5\b|^M155\b/.test(c);

function movesFile(n: number): string {
  const lines = ['G90', 'M83'];
  for (let i = 1; i <= n; i++) lines.push(`G1 X${(i % 100) + 10} Y${Math.floor(i / 100) + 10} E0.01 F600000`);
  return lines.join('\n') + '\n';
}

/** Drops each pause block (M114, the pause script, the resume prelude) from what ran. */
function withoutPauseBlocks(commands: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < commands.length; i++) {
    if (commands[i] === 'M114') {
      const prelude = commands.indexOf('G1 F600000', i);
      i = prelude;
      continue;
    }
    out.push(commands[i]!);
  }
  return out;
}

async function waitUntil(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('what the firmware says: thermal runaway and host actions, over a real PTY', () => {
  let world: World;
  let sim: RunningSimulator;
  const tmp = createTempDir('printfleet-fw-');
  const text = movesFile(1200);
  let file: ReturnType<World['files']['add']>;

  beforeAll(async () => {
    world = await startWorld();
    sim = await startSimulator(fastSim({ path: join(tmp.path, 'dagoma'), dialect: 'marlin' }));
    await world.startAgent([`dagoma=${sim.path}`]);
    await world.waitState('dagoma', 'ready');
    file = world.files.add('moves', text);
  });

  afterAll(async () => {
    await world.close();
    await sim.close();
    tmp.remove();
  });

  const confirmedPast = (line: number, since: number) =>
    world.probe.waitFor(
      printerTelemetryTopic('dagoma'),
      (m) => world.probe.messages.indexOf(m) >= since && (m.json<PrinterTelemetry>().job?.line ?? 0) > line,
    );
  const ran = (mark: number) => sim.record.since(mark).map((e) => e.command).filter((c) => !hostOwn(c));

  it('filament runout pauses (pause script runs), //action:resume continues; the file arrives whole', async () => {
    const mark = sim.record.length;
    const t = world.mark();
    expect(await world.command('dagoma', 'start', { jobId: 'runout-1', file })).toMatchObject({ accepted: true });
    await confirmedPast(200, t);
    sim.faults.filamentRunout(); // Marlin: //action:pause
    const paused = await world.waitState('dagoma', 'paused', t);
    expect(paused.reason).toBe('paused by the printer');
    await waitUntil(() => ran(mark).slice(-DEFAULT_PAUSE_SCRIPT.length).join() === DEFAULT_PAUSE_SCRIPT.join());
    sim.printer.firmware.out('//action:resume'); // the printer's menu: "Resume print"
    await world.waitState('dagoma', 'printing', t);
    await world.waitState('dagoma', 'finished', t);
    expect(compareRecord(withoutPauseBlocks(ran(mark)), gcodeCommands(text))).toMatchObject({ whole: true });
    expect(world.states('dagoma').slice(-4).map((s) => s.state)).toEqual(['printing', 'paused', 'printing', 'finished']);
    expect(await world.command('dagoma', 'clear', {})).toMatchObject({ accepted: true });
  });

  it('//action:pause pauses and //action:cancel cancels: the cancel script follows the pause script', async () => {
    const mark = sim.record.length;
    const t = world.mark();
    expect(await world.command('dagoma', 'start', { jobId: 'menu-1', file })).toMatchObject({ accepted: true });
    await confirmedPast(200, t);
    sim.printer.firmware.out('//action:pause');
    await world.waitState('dagoma', 'paused', t);
    await waitUntil(() => ran(mark).slice(-DEFAULT_PAUSE_SCRIPT.length).join() === DEFAULT_PAUSE_SCRIPT.join());
    sim.printer.firmware.out('//action:cancel');
    const cancelled = await world.waitState('dagoma', 'cancelled', t);
    expect(cancelled.reason).toBe('cancelled on the printer');
    expect((await world.waitEvent('dagoma', 'job.cancelled', t)).jobId).toBe('menu-1');
    await waitUntil(() => ran(mark).at(-1) === 'M84');
    const all = ran(mark);
    const jobPart = all.slice(0, all.indexOf('M114'));
    expect(jobPart).toEqual(gcodeCommands(text).slice(0, jobPart.length));
    expect(all.slice(jobPart.length)).toEqual(['M114', ...DEFAULT_PAUSE_SCRIPT, ...DEFAULT_CANCEL_SCRIPT]);
    expect(await world.command('dagoma', 'clear', {})).toMatchObject({ accepted: true });
  });

  it('thermal runaway: state error with the firmware message, job failed, nothing more sent', async () => {
    const t = world.mark();
    expect(await world.command('dagoma', 'start', { jobId: 'runaway-1', file })).toMatchObject({ accepted: true });
    await confirmedPast(100, t);
    // Every byte the agent writes to the printer from now on.
    const written: string[] = [];
    const write = sim.printer.write.bind(sim.printer);
    sim.printer.write = (data) => {
      written.push(Buffer.from(data).toString('latin1'));
      write(data);
    };
    const recordAt = sim.record.length;
    sim.faults.thermalRunaway();
    const error = await world.waitState('dagoma', 'error', t);
    expect(error.reason).toMatch(/Thermal Runaway, system stopped! Heater_ID: 0/);
    const failed = await world.waitEvent('dagoma', 'job.failed', t);
    expect(failed).toMatchObject({ jobId: 'runaway-1', reason: expect.stringMatching(/Thermal Runaway/) });
    expect((await world.waitEvent('dagoma', 'printer.error', t)).reason).toMatch(/Thermal Runaway/);
    // Straight from printing to error: never "failed" on the way, never a second error.
    const states = world.states('dagoma').map((s) => s.state);
    expect(states.slice(states.lastIndexOf('printing'))).toEqual(['printing', 'error']);
    // Two more telemetry periods: the agent stays silent (at most the line already on its way
    // when the firmware halted), no cancel script, no probe; the halted board ran nothing.
    for (let i = 0; i < 2; i++) {
      const m = world.mark();
      await world.probe.waitFor(printerTelemetryTopic('dagoma'), (x) => world.probe.messages.indexOf(x) >= m);
    }
    expect(written.join('').split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(sim.record.length).toBe(recordAt);
    expect(world.states('dagoma').at(-1)?.state).toBe('error');
    expect(await world.command('dagoma', 'resume', {})).toMatchObject({ accepted: false });
  });
});
