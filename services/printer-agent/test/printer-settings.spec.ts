import { join } from 'node:path';
import { printerStateTopic, printerTelemetryTopic, type PrinterSettings, type PrinterState, type PrinterTelemetry } from '@printfleet/contracts';
import { compareRecord, gcodeCommands, startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { createTempDir, MqttProbe } from '@printfleet/testing';
import { DEFAULT_PAUSE_SCRIPT } from '../src/session/pause-scripts';
import { fastSim, startWorld, type World } from './harness';
import type { LogRecord } from './log-capture';

const hostOwn = (c: string) => /^M10?5\b|^M155\b/.test(c);

/** Retract 3.5 mm, lift 7 mm, park at X20 Y30: every number differs from the default script's. */
const ADMIN_PAUSE = ['M83', 'G1 E-3.5 F1800', 'G91', 'G1 Z7 F600', 'G90', 'G1 X20 Y30 F6000'];
/** Lift, then heaters and motors off; starts with G91, which the test files never use. */
const ADMIN_CANCEL = ['G91', 'G1 Z15 F600', 'G90', 'M104 S0', 'M140 S0', 'M84'];

/** Short moves numbered in their coordinates; E from 0, so the resume's `G92 E` is known. */
function movesFile(n: number): string {
  const lines = ['; generated: square moves', 'G90', 'M83', 'G92 E0'];
  for (let i = 1; i <= n; i++) lines.push(`G1 X${(i % 100) + 10} Y${Math.floor(i / 100) + 10} E0.01 F600000 ; move ${i}`);
  return lines.join('\n') + '\n';
}

function settings(printerId: string, s: Partial<PrinterSettings> = {}): PrinterSettings {
  return { printerId, displayName: null, pauseScript: null, cancelScript: null, updatedAt: new Date().toISOString(), ...s };
}

describe("an admin's printer settings over MQTT, applied by the agent on a real PTY", () => {
  let world: World;
  let ender: RunningSimulator;
  let late: RunningSimulator | undefined;
  const tmp = createTempDir('printfleet-settings-');
  const latePath = join(tmp.path, 'late');
  const moves = 2000;
  const text = movesFile(moves);
  let file: ReturnType<World['files']['add']>;

  beforeAll(async () => {
    world = await startWorld();
    ender = await startSimulator(fastSim({ path: join(tmp.path, 'ender'), dialect: 'marlin' }));
    // `late` is configured but its port appears only in the last test.
    await world.startAgent([`ender=${ender.path}`, `late=${latePath}`]);
    await world.waitState('ender', 'ready');
    file = world.files.add('moves', text);
  });

  afterAll(async () => {
    await world.close();
    await ender.close();
    await late?.close();
    tmp.remove();
  });

  const stateWhere = async (printerId: string, match: (s: PrinterState) => boolean, since: number) =>
    (
      await world.probe.waitFor(printerStateTopic(printerId), (m) => world.probe.messages.indexOf(m) >= since && match(m.json<PrinterState>()))
    ).json<PrinterState>();
  const statesSince = (printerId: string, since: number) =>
    world.probe.messages.slice(since).filter((m) => m.topic === printerStateTopic(printerId)).map((m) => m.json<PrinterState>());
  const confirmedPast = (printerId: string, line: number, since: number) =>
    world.probe.waitFor(
      printerTelemetryTopic(printerId),
      (m) => world.probe.messages.indexOf(m) >= since && (m.json<PrinterTelemetry>().job?.line ?? 0) > line,
    );
  const refused = (reason: RegExp, since: number) =>
    world.logs.waitFor((r: LogRecord) => r.msg === 'printer settings refused; the last good ones stay' && reason.test(String(r.reason)), since);

  it('a pause script set mid-print runs at the next pause instead of the default; the resume undoes its retraction, the file completes whole', async () => {
    const mark = ender.record.length;
    const t = world.mark();
    expect(await world.command('ender', 'start', { jobId: 'admin-pause', file })).toMatchObject({ accepted: true });
    await confirmedPast('ender', 200, t);
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender by the door', pauseScript: ADMIN_PAUSE }));
    // Name and script come in one message: once the name is published, the script is in force.
    const renamed = await stateWhere('ender', (s) => s.displayName === 'Ender by the door', t);
    expect(renamed.state).toBe('printing');
    expect(await world.command('ender', 'pause', { requestedBy: 'ops' })).toMatchObject({ accepted: true });
    const paused = await world.waitState('ender', 'paused', t);
    expect(paused.job!.line!).toBeLessThan(moves);
    // Back to the default while paused: the resume still undoes what the script that ran retracted.
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender (paused)' }));
    expect(await stateWhere('ender', (s) => s.displayName === 'Ender (paused)', t)).toMatchObject({ state: 'paused' });
    expect(await world.command('ender', 'resume', {})).toMatchObject({ accepted: true });
    await world.waitState('ender', 'finished', t, 60_000);

    // Everything the firmware ran: the drained job lines, M114 and the admin's script, the
    // resume prelude, the rest of the file.
    const ran = ender.record
      .since(mark)
      .map((e) => e.command)
      .filter((c) => !hostOwn(c));
    const expected = gcodeCommands(text);
    const drained = paused.job!.line! - 1; // file line 1 is a comment
    expect(ran.slice(0, drained)).toEqual(expected.slice(0, drained));
    expect(ran.slice(drained, drained + 1 + ADMIN_PAUSE.length)).toEqual(['M114', ...ADMIN_PAUSE]);
    expect(ran).not.toContain(DEFAULT_PAUSE_SCRIPT[1]);
    const lastMove = drained - 3; // G90, M83, G92 E0, then the moves
    const at = { x: (lastMove % 100) + 10, y: Math.floor(lastMove / 100) + 10, e: Math.round(lastMove * 0.01 * 1000) / 1000 };
    const prelude = ['G90', 'M83', `G1 X${at.x} Y${at.y} F6000`, 'G1 Z0 F600', 'G1 E3.5 F2400', `G92 E${at.e}`, 'G90', 'M83', 'G1 F600000'];
    const resumed = ran.slice(drained + 1 + ADMIN_PAUSE.length);
    expect(resumed.slice(0, prelude.length)).toEqual(prelude);
    expect(compareRecord(resumed.slice(prelude.length), expected.slice(drained))).toMatchObject({ whole: true });
    expect(ender.printer.firmware.planner.position.e).toBeCloseTo(moves * 0.01, 6);
    expect(statesSince('ender', t).map((s) => s.state)).toEqual(['printing', 'printing', 'paused', 'paused', 'printing', 'finished']);
    expect(await world.command('ender', 'clear', {})).toMatchObject({ accepted: true });
    await world.waitState('ender', 'ready', t);
  }, 60_000);

  it("a name from the settings is the printer's displayName, published once per change; null or cleared gives back the name before", async () => {
    const nameBefore = world.states('ender')[0]!.displayName; // the first state, before any settings
    const t = world.mark();
    const before = world.states('ender').at(-1)!;
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender left' }));
    const left = await stateWhere('ender', (s) => s.displayName === 'Ender left', t);
    expect(left).toMatchObject({ state: before.state, seq: before.seq + 1 });
    // The same settings again (as after every job-service reconnect), a change of script only,
    // then a new name: one more state, for the name.
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender left' }));
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender left', cancelScript: ADMIN_CANCEL }));
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender right' }));
    const right = await stateWhere('ender', (s) => s.displayName === 'Ender right', t);
    expect(statesSince('ender', t).map((s) => [s.displayName, s.seq])).toEqual([
      ['Ender left', before.seq + 1],
      ['Ender right', before.seq + 2],
    ]);

    await world.publishSettings('ender', settings('ender', { displayName: null }));
    const unnamed = await stateWhere('ender', (s) => s.seq > right.seq, t);
    expect(unnamed).toMatchObject({ state: before.state, seq: right.seq + 1 });
    expect(unnamed.displayName).toBe(nameBefore);
    // What a reader connecting now gets: the retained state, without the admin's name.
    const reader = await MqttProbe.connect(world.broker.url, await world.broker.account('observer'));
    await reader.subscribe(printerStateTopic('ender'));
    const retained = await reader.waitFor(printerStateTopic('ender'));
    await reader.close();
    expect(retained.retain).toBe(true);
    expect(retained.json<PrinterState>()).toMatchObject({ seq: unnamed.seq });
    expect(retained.json<PrinterState>().displayName).toBe(nameBefore);

    // An empty retained payload clears the settings as a whole.
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender again' }));
    const again = await stateWhere('ender', (s) => s.displayName === 'Ender again', t);
    await world.publishSettings('ender', '');
    const cleared = await stateWhere('ender', (s) => s.seq > again.seq, t);
    expect(cleared.displayName).toBe(nameBefore);
  });

  it('a bad settings payload is refused with the reason: the last good settings stay and the agent keeps going', async () => {
    const t0 = world.mark();
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender kept', pauseScript: ADMIN_PAUSE }));
    await stateWhere('ender', (s) => s.displayName === 'Ender kept', t0);
    const t = world.mark();
    const logged = world.logs.mark();
    await world.publishSettings('ender', '{"printerId":"ender",');
    await refused(/not JSON/, logged);
    await world.publishSettings('ender', { ...settings('ender', { displayName: 'Ender kept' }), pauseScript: [] });
    await refused(/pauseScript/, logged);
    await world.publishSettings('ender', settings('mk3', { displayName: 'Not this one' }));
    await refused(/for printer mk3, not ender/, logged);
    // Each refusal is logged once its message was handled: nothing of them is in force.
    expect(world.agent.session('ender')!.scripts.pauseScript).toEqual(ADMIN_PAUSE);

    // The agent still takes settings: the next good ones are the only state published since.
    await world.publishSettings('ender', settings('ender', { displayName: 'Ender still', pauseScript: ADMIN_PAUSE }));
    const still = await stateWhere('ender', (s) => s.displayName === 'Ender still', t);
    expect(statesSince('ender', t)).toEqual([still]);
    expect(still.state).toBe('ready');
    expect(await world.command('ender', 'gcode', { lines: ['M117 still here'] })).toMatchObject({ accepted: true });
  });

  it('settings published before a printer is attached apply when it appears: its first state has the name, a cancel runs the admin script', async () => {
    const logged = world.logs.mark();
    await world.publishSettings('late', settings('late', { displayName: 'Late arrival', cancelScript: ADMIN_CANCEL }));
    await world.logs.waitFor((r) => r.msg === 'printer settings received' && r.printerId === 'late', logged);
    expect(world.agent.session('late')).toBeUndefined();
    expect(world.states('late')).toEqual([]);

    late = await startSimulator(fastSim({ path: latePath, dialect: 'marlin' }));
    await world.waitState('late', 'ready');
    const states = world.states('late');
    // offline → connecting → ready, with a handshake retry or two when the machine is loaded.
    expect(states[0]!.state).toBe('offline');
    expect(states.at(-1)!.state).toBe('ready');
    expect(states.filter((s) => s.displayName !== 'Late arrival')).toEqual([]);

    const mark = late.record.length;
    const t = world.mark();
    expect(await world.command('late', 'start', { jobId: 'late-cancel', file })).toMatchObject({ accepted: true });
    await confirmedPast('late', 100, t);
    expect(await world.command('late', 'cancel', { reason: 'wrong filament' })).toMatchObject({ accepted: true });
    await world.waitState('late', 'cancelled', t);
    // A short job after it: once it has finished, everything sent before it has run.
    expect(await world.command('late', 'clear', {})).toMatchObject({ accepted: true });
    const short = movesFile(5);
    expect(await world.command('late', 'start', { jobId: 'late-short', file: world.files.add('short', short) })).toMatchObject({ accepted: true });
    await world.waitState('late', 'finished', t);

    const ran = late.record
      .since(mark)
      .map((e) => e.command)
      .filter((c) => !hostOwn(c));
    const jobPart = ran.slice(0, ran.indexOf(ADMIN_CANCEL[0]!));
    expect(jobPart.length).toBeGreaterThan(100);
    expect(jobPart).toEqual(gcodeCommands(text).slice(0, jobPart.length)); // a prefix: nothing skipped or repeated
    expect(ran.slice(jobPart.length, jobPart.length + ADMIN_CANCEL.length)).toEqual(ADMIN_CANCEL);
    expect(compareRecord(ran.slice(jobPart.length + ADMIN_CANCEL.length), gcodeCommands(short))).toMatchObject({ whole: true });
  }, 60_000);
});
