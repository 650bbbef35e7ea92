import { join } from 'node:path';
import { printerTelemetryTopic, type PrinterTelemetry } from '@printfleet/contracts';
import { compareRecord, gcodeCommands, startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { createTempDir } from '@printfleet/testing';
import { fastCopyOf, fastSim, startWorld, type World } from './harness';

/** Commands the agent sends on its own (probes, auto-report) are not part of the file. */
const hostOwn = (c: string) => /^M10?5\b|^M155\b/.test(c);

describe('printing a real slicer file over a real PTY, broker and HTTP download', () => {
  let world: World;
  let sim: RunningSimulator;
  const tmp = createTempDir('printfleet-pty-');

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
    await sim?.close();
  });

  afterAll(() => tmp.remove());

  it('connects, prints with corrupted bytes and dropped oks, and the file arrives whole', async () => {
    sim = await startSimulator(fastSim({ path: join(tmp.path, 'mk3'), dialect: 'marlin', faults: { corruptInRate: 0.0005, dropOkRate: 0.001, seed: 7 } }));
    await world.startAgent([`mk3=${sim.path}`]);
    const ready = await world.waitState('mk3', 'ready');
    expect(ready.firmware?.name).toMatch(/Marlin/);

    const text = fastCopyOf('prusaslicer-2.8.1-minicube-qoi.gcode');
    const file = world.files.add('minicube', text);
    const mark = sim.record.length;
    expect(await world.command('mk3', 'start', { jobId: 'job-1', file })).toEqual(expect.objectContaining({ accepted: true }));
    await world.waitEvent('mk3', 'job.started');
    const finished = await world.waitState('mk3', 'finished', 0, 60_000);
    expect(finished.job).toMatchObject({ id: 'job-1', progress: 100 });

    // Noise that hits a line's leading `N` makes Marlin run the garbage unnumbered; it answers
    // "Unknown command" and nothing moves (docs/serial-protocol.md "Limits"): compare what ran.
    const ran = sim.record.since(mark).filter((e) => e.known || e.lineNumber !== null);
    const result = compareRecord(ran, gcodeCommands(text), { ignore: hostOwn });
    expect(result).toMatchObject({ whole: true, extra: [], missing: [] });
    expect(world.states('mk3').map((s) => s.state)).toEqual(['offline', 'connecting', 'ready', 'printing', 'finished']);
    // The faults cost resends, and telemetry says so (a total for the connection: it outlives the job).
    const resent = await world.probe.waitFor(printerTelemetryTopic('mk3'), (m) => (m.json<PrinterTelemetry>().link?.resends ?? 0) > 0, 5000);
    expect(resent.json<PrinterTelemetry>().link).toEqual({ linesPerS: expect.any(Number), resends: expect.any(Number), timeouts: expect.any(Number) });
    // Printed twice the same file: the cached copy is used.
    const m = world.mark();
    expect(await world.command('mk3', 'clear', {})).toMatchObject({ accepted: true });
    await world.waitState('mk3', 'ready', m);
  }, 60_000);
});
