import { join } from 'node:path';
import { compareRecord, gcodeCommands, startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { printerTelemetryTopic, type PrinterTelemetry } from '@printfleet/contracts';
import { BED_MAY_HOLD_PRINT } from '@printfleet/printer-state';
import { createTempDir } from '@printfleet/testing';
import { DEFAULT_PAUSE_SCRIPT } from '../src/session/pause-scripts';
import { fastSim, startWorld, type World } from './harness';

const hostOwn = (c: string) => /^M10?5\b|^M155\b/.test(c);

/** Short moves, numbered in their coordinates so the record shows exactly where a job stopped. */
function movesFile(n: number): string {
  const lines = ['; generated: square moves', 'G90', 'M83'];
  for (let i = 1; i <= n; i++) lines.push(`G1 X${(i % 100) + 10} Y${Math.floor(i / 100) + 10} E0.01 F600000 ; move ${i}`);
  return lines.join('\n') + '\n';
}

describe('pause, resume, cancel and emergency stop over a real PTY', () => {
  let world: World;
  let sim: RunningSimulator;
  const tmp = createTempDir('printfleet-ctl-');
  const text = movesFile(1500);
  let file: ReturnType<World['files']['add']>;

  beforeAll(async () => {
    world = await startWorld();
    sim = await startSimulator(fastSim({ path: join(tmp.path, 'ender'), dialect: 'marlin', advancedOk: true }));
    await world.startAgent([`ender=${sim.path}`]);
    await world.waitState('ender', 'ready');
    file = world.files.add('moves', text);
  });

  afterAll(async () => {
    await world.close();
    await sim.close();
    tmp.remove();
  });

  /** Resolves once the firmware has confirmed at least `line` file lines of the running job. */
  const confirmedPast = (line: number, since: number) =>
    world.probe.waitFor(
      printerTelemetryTopic('ender'),
      (m) => world.probe.messages.indexOf(m) >= since && (m.json<PrinterTelemetry>().job?.line ?? 0) > line,
    );

  it('pauses after the lines in flight, runs the pause script, resumes at the restored position', async () => {
    const mark = sim.record.length;
    const t = world.mark();
    expect(await world.command('ender', 'start', { jobId: 'pause-1', file })).toMatchObject({ accepted: true });
    await confirmedPast(300, t);
    expect(await world.command('ender', 'pause', { requestedBy: 'ops' })).toEqual({ commandId: expect.any(String), accepted: true });
    const paused = await world.waitState('ender', 'paused', t);
    expect(paused.job?.line).toBeGreaterThan(300);
    await world.waitEvent('ender', 'job.paused', t);
    expect(await world.command('ender', 'pause', {})).toMatchObject({ accepted: false, reason: expect.stringMatching(/paused/) });
    // The confirmed line is the last one that ran; then M114 (where the print is) and the pause script.
    const ran = () => sim.record.since(mark).map((e) => e.command).filter((c) => !hostOwn(c));
    const lastMove = paused.job!.line! - 3; // file: comment, G90, M83, then move 1, 2, …
    const expected = gcodeCommands(text);
    await waitUntil(() => ran().length >= lastMove + 2 + 1 + DEFAULT_PAUSE_SCRIPT.length);
    expect(ran().slice(0, lastMove + 2)).toEqual(expected.slice(0, lastMove + 2));
    expect(ran().slice(lastMove + 2)).toEqual(['M114', ...DEFAULT_PAUSE_SCRIPT]);
    // Time passes on the printer: auto-reports keep coming, no job line does.
    const later = world.mark();
    await world.probe.waitFor(printerTelemetryTopic('ender'), (m) => world.probe.messages.indexOf(m) >= later);
    expect(ran()).toHaveLength(lastMove + 2 + 1 + DEFAULT_PAUSE_SCRIPT.length);

    const resumeMark = sim.record.length;
    expect(await world.command('ender', 'resume', {})).toMatchObject({ accepted: true });
    await world.waitEvent('ender', 'job.resumed', t);
    await world.waitState('ender', 'finished', t);
    // Back over the print, down, un-retract, E as it was, the file's modes and feed rate: then the next line.
    const at = { x: (lastMove % 100) + 10, y: Math.floor(lastMove / 100) + 10, e: Math.round(lastMove * 0.01 * 1000) / 1000 };
    const prelude = ['G90', 'M83', `G1 X${at.x} Y${at.y} F6000`, 'G1 Z0 F600', 'G1 E2 F2400', `G92 E${at.e}`, 'G90', 'M83', 'G1 F600000'];
    const after = sim.record.since(resumeMark).map((e) => e.command).filter((c) => !hostOwn(c));
    expect(after.slice(0, prelude.length)).toEqual(prelude);
    expect(compareRecord(after.slice(prelude.length), expected.slice(lastMove + 2))).toMatchObject({ whole: true });
    // The rest of the file ran from the restored position: Z back down, E continuous.
    const end = sim.printer.firmware.planner.position;
    expect(end.z).toBe(0);
    expect(end.e).toBeCloseTo(1500 * 0.01, 6);
    const states = world.states('ender').map((s) => s.state);
    expect(states.slice(-4)).toEqual(['printing', 'paused', 'printing', 'finished']);
    expect(await world.command('ender', 'clear', {})).toMatchObject({ accepted: true });
  });

  it('cancels: the job stops where it was, then heaters, fan and motors go off', async () => {
    const mark = sim.record.length;
    const t = world.mark();
    expect(await world.command('ender', 'start', { jobId: 'cancel-1', file })).toMatchObject({ accepted: true });
    await confirmedPast(200, t);
    expect(await world.command('ender', 'cancel', { reason: 'spaghetti' })).toMatchObject({ accepted: true });
    const cancelled = await world.waitState('ender', 'cancelled', t);
    expect(cancelled.reason).toBe('spaghetti');
    await world.waitEvent('ender', 'job.cancelled', t);
    const ran = sim.record.since(mark).map((e) => e.command).filter((c) => !hostOwn(c));
    await waitUntil(() => sim.record.since(mark).some((e) => e.command === 'M84'));
    const all = sim.record.since(mark).map((e) => e.command).filter((c) => !hostOwn(c));
    const jobPart = all.slice(0, all.indexOf('M104 S0'));
    expect(jobPart.length).toBeLessThan(gcodeCommands(text).length);
    expect(jobPart).toEqual(gcodeCommands(text).slice(0, jobPart.length)); // a prefix: nothing skipped or repeated
    expect(all.slice(jobPart.length)).toEqual(['M104 S0', 'M140 S0', 'M107', 'M84']);
    expect(ran.length).toBeGreaterThan(200);
    expect(await world.command('ender', 'clear', {})).toMatchObject({ accepted: true });
  });

  it('emergency stop: M112 ahead of everything, the printer halts, state error until reconnected, then failed until the bed is cleared', async () => {
    const t = world.mark();
    expect(await world.command('ender', 'start', { jobId: 'estop-1', file })).toMatchObject({ accepted: true });
    await confirmedPast(100, t);
    expect(await world.command('ender', 'estop', {})).toMatchObject({ accepted: true });
    const error = await world.waitState('ender', 'error', t);
    expect(error.reason).toMatch(/emergency stop/);
    expect((await world.waitEvent('ender', 'job.failed', t)).reason).toMatch(/emergency stop/);
    expect(sim.printer.firmware.state).toBe('halted');
    expect(await world.command('ender', 'start', { jobId: 'estop-2', file })).toMatchObject({ accepted: false, reason: expect.stringContaining(BED_MAY_HOLD_PRINT) });
    // Reconnecting resets the board (DTR), as a person would after an emergency stop.
    const reconnect = world.mark();
    expect(await world.command('ender', 'connect', {})).toMatchObject({ accepted: true });
    // On a loaded machine the first handshake may time out; the agent then retries by itself.
    await world.waitEvent('ender', 'printer.connected', reconnect);
    // The stopped print is still on the bed: the failed job again, not `ready`.
    const since = world.statesSince('ender', reconnect);
    expect(since.map((s) => s.state)).toContain('connecting');
    expect(since.map((s) => s.state)).not.toContain('ready');
    expect(since.at(-1)).toMatchObject({ state: 'failed', job: { id: 'estop-1' }, reason: expect.stringMatching(/emergency stop.*the bed may still hold/) });
    expect(await world.command('ender', 'clear', {})).toMatchObject({ accepted: true });
    await world.waitState('ender', 'ready', reconnect);
  });
});

async function waitUntil(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
