import { join } from 'node:path';
import { compareRecord, gcodeCommands, startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { printerStateTopic, printerTelemetryTopic, type PrinterTelemetry } from '@printfleet/contracts';
import { createTempDir } from '@printfleet/testing';
import { fastSim, heatingSim, startWorld, type World } from './harness';
import { layeredAt, layeredFile } from './layered-file';

/** What the agent sends on its own: probes, auto-report, the handshake after a re-plug. */
const hostOwn = (c: string) => /^(M105|M155|M110|M115)\b/.test(c);

function movesFile(n: number): string {
  const lines = ['G90', 'M83'];
  for (let i = 1; i <= n; i++) lines.push(`G1 X${(i % 100) + 10} Y${Math.floor(i / 100) + 10} E0.01 F600000`);
  return lines.join('\n') + '\n';
}

describe('links that come and go', () => {
  let world: World;
  let sim: RunningSimulator | undefined;
  const tmp = createTempDir('printfleet-link-');

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
    await sim?.close();
    sim = undefined;
  });

  afterAll(() => tmp.remove());

  it('hot-plug: a configured port appearing becomes ready, disappearing goes offline', async () => {
    const path = join(tmp.path, 'hot');
    await world.startAgent([`hot=${path}`]);
    sim = await startSimulator(fastSim({ path, dialect: 'prusa' }));
    const ready = await world.waitState('hot', 'ready');
    expect(ready.firmware?.name).toMatch(/Prusa-Firmware/);
    await world.waitEvent('hot', 'printer.connected');
    const t = world.mark();
    await sim.close();
    sim = undefined;
    const offline = await world.waitState('hot', 'offline', t);
    expect(offline.reason).toBeDefined();
    expect(world.states('hot').map((s) => s.state)).toEqual(['offline', 'connecting', 'ready', 'offline']);
  });

  it('unplug mid-print: interrupted with the last confirmed line; re-plugged (the board resets) it waits; resume rebuilds the state and finishes the file', async () => {
    sim = await startSimulator(heatingSim({ path: join(tmp.path, 'dagoma'), reconnectMs: 500 }));
    await world.startAgent([`dagoma=${sim.path}`]);
    await world.waitState('dagoma', 'ready');
    const text = layeredFile(12);
    const file = world.files.add('moves', text);
    const mark = sim.record.length;
    await world.command('dagoma', 'start', { jobId: 'cut-1', file });
    await world.probe.waitFor(printerTelemetryTopic('dagoma'), (m) => (m.json<PrinterTelemetry>().job?.line ?? 0) > 200);
    const t = world.mark();
    sim.faults.disconnect();
    const interrupted = await world.waitEvent('dagoma', 'job.interrupted', t);
    expect(interrupted.lastConfirmedLine).toBeGreaterThan(200);
    const state = await world.waitState('dagoma', 'interrupted', t);
    expect(state.job).toMatchObject({ id: 'cut-1', line: interrupted.lastConfirmedLine });
    const before = sim.record.since(mark).filter((e) => !hostOwn(e.command)).map((e) => e.command);
    const expected = gcodeCommands(text);
    // Everything confirmed ran, in order; at most the one line in flight ran unconfirmed.
    const confirmedCommands = interrupted.lastConfirmedLine; // file line n holds command n (no comments)
    expect(before.slice(0, confirmedCommands)).toEqual(expected.slice(0, confirmedCommands));
    expect(before.length - confirmedCommands).toBeLessThanOrEqual(1);

    // Back on the desk: connected again (opening the port reset the board), but the job still needs a decision.
    await world.waitEvent('dagoma', 'printer.connected', t);
    expect(world.states('dagoma').at(-1)?.state).toBe('interrupted');
    const resumeMark = sim.record.length;
    expect(await world.command('dagoma', 'resume', {})).toMatchObject({ accepted: true });
    await world.waitState('dagoma', 'finished', t);
    const after = sim.record.since(resumeMark).map((e) => e.command).filter((c) => !hostOwn(c));
    // The recovery prelude (resume-recovery.spec checks it line by line), then the rest exactly.
    const rest = expected.slice(confirmedCommands);
    const prelude = after.slice(0, after.length - rest.length);
    expect(prelude).toEqual(expect.arrayContaining(['M109 S215', `G92 Z${layeredAt(confirmedCommands).z}`, 'G28 X Y']));
    expect(compareRecord(after.slice(prelude.length), rest)).toMatchObject({ whole: true });
    expect(sim.printer.firmware.coldExtrusions).toBe(0);
  });

  it('an agent restarted mid-print restores the job as interrupted, numbered after the last run; cancel ends it cancelled', async () => {
    sim = await startSimulator(fastSim({ path: join(tmp.path, 'mk3s'), dialect: 'marlin' }));
    await world.startAgent([`mk3s=${sim.path}`]);
    await world.waitState('mk3s', 'ready');
    const file = world.files.add('long', movesFile(3000));
    await world.command('mk3s', 'start', { jobId: 'boot-1', file });
    await world.probe.waitFor(printerTelemetryTopic('mk3s'), (m) => (m.json<PrinterTelemetry>().job?.line ?? 0) > 100);
    await world.stopAgent();
    const lastSeq = Math.max(...world.states('mk3s').map((s) => s.seq));
    const t = world.mark();
    await world.startAgent([`mk3s=${sim.path}`]);
    const state = await world.waitState('mk3s', 'interrupted', t);
    expect(state.job).toMatchObject({ id: 'boot-1', line: expect.any(Number) });
    expect(state.job!.line).toBeGreaterThan(100);
    // The first state of the new run is the true one (offline → interrupted, nothing walked through),
    // and its seq continues the old run's: readers that drop lower seqs keep it.
    const newRun = world.states('mk3s').slice(world.states('mk3s').length - world.probe.received(printerStateTopic('mk3s')).filter((m) => world.probe.messages.indexOf(m) >= t).length);
    expect(newRun[0]).toMatchObject({ state: 'interrupted', seq: lastSeq + 1 });
    await world.waitEvent('mk3s', 'printer.connected', t);
    const c = world.mark();
    expect(await world.command('mk3s', 'cancel', { reason: 'bed knocked' })).toMatchObject({ accepted: true });
    expect(await world.waitState('mk3s', 'cancelled', c)).toMatchObject({ reason: 'bed knocked' });
    expect(await world.waitEvent('mk3s', 'job.cancelled', c)).toMatchObject({ jobId: 'boot-1', reason: 'bed knocked' });
    expect(await world.command('mk3s', 'clear', {})).toMatchObject({ accepted: true });
    await world.waitState('mk3s', 'ready', c);
    // One rising sequence across both runs; a seq seen twice is the same state republished (broker reconnect).
    const all = world.states('mk3s');
    const seqs = all.map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (let i = 1; i < all.length; i++) if (all[i]!.seq === all[i - 1]!.seq) expect(all[i]).toEqual(all[i - 1]);
    // The job is gone: another restart finds nothing to restore.
    await world.stopAgent();
    const r = world.mark();
    await world.startAgent([`mk3s=${sim.path}`]);
    await world.waitState('mk3s', 'ready', r);
    expect(world.states('mk3s').some((s, i) => i >= world.states('mk3s').length - 3 && s.state === 'interrupted')).toBe(false);
  });
});
