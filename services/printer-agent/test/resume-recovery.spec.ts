import { join } from 'node:path';
import { compareRecord, gcodeCommands, startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { printerTelemetryTopic, type PrinterTelemetry } from '@printfleet/contracts';
import { createTempDir } from '@printfleet/testing';
import { fastSim, heatingSim, startWorld, type World } from './harness';
import { layeredAt, layeredFile } from './layered-file';

/** What the agent sends on its own: handshake, auto-report, probes, and the resume's questions. */
const hostOwn = (c: string) => /^(M105|M155|M110|M115|M114)\b/.test(c);

describe('resuming an interrupted print', () => {
  let world: World;
  let sim: RunningSimulator | undefined;
  const tmp = createTempDir('printfleet-recovery-');
  const text = layeredFile(8);
  const expected = gcodeCommands(text);

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
    await sim?.close();
    sim = undefined;
  });

  afterAll(() => tmp.remove());

  const confirmedPast = (id: string, line: number, since: number) =>
    world.probe.waitFor(printerTelemetryTopic(id), (m) => world.probe.messages.indexOf(m) >= since && (m.json<PrinterTelemetry>().job?.line ?? 0) > line);

  it('after a board reset: re-heats to the file targets, G92 Z, homes X and Y only, G92 E, then exactly the lines after the last confirmed one', async () => {
    sim = await startSimulator(heatingSim({ path: join(tmp.path, 'ender') }));
    const fw = sim.printer.firmware;
    await world.startAgent([`ender=${sim.path}`]);
    await world.waitState('ender', 'ready');
    const file = world.files.add('layers', text);
    const t = world.mark();
    const mark = sim.record.length;
    expect(await world.command('ender', 'start', { jobId: 'reset-1', file })).toMatchObject({ accepted: true });
    await confirmedPast('ender', 350, t);
    sim.faults.reset(); // the reset button: targets, position and homing gone; the heaters cool
    const cut = await world.waitEvent('ender', 'job.interrupted', t);
    const interrupted = await world.waitState('ender', 'interrupted', t);
    expect(interrupted.reason).toMatch(/restarted/);
    expect(interrupted.job).toMatchObject({ id: 'reset-1', line: cut.lastConfirmedLine });
    const L = cut.lastConfirmedLine;
    const before = sim.record.since(mark).map((e) => e.command).filter((c) => !hostOwn(c));
    expect(before.slice(0, L)).toEqual(expected.slice(0, L)); // everything confirmed ran, in order
    expect(fw.axes.homed).toEqual({ x: false, y: false, z: false });
    // Wait until the hot end is too cold to extrude: a resume that does not heat would now extrude cold.
    const cooled = world.mark();
    await world.probe.waitFor(printerTelemetryTopic('ender'), (m) => {
      const h = m.json<PrinterTelemetry>().heaters;
      return world.probe.messages.indexOf(m) >= cooled && (h['tool0']?.actual ?? 999) < 150 && (h['tool0']?.target ?? 1) === 0;
    });
    expect(fw.coldExtrusions).toBe(0);

    const resumeMark = sim.record.length;
    expect(await world.command('ender', 'resume', {})).toMatchObject({ accepted: true });
    await world.waitState('ender', 'finished', t);
    const at = layeredAt(L);
    const prelude = [
      'M140 S60',
      'M104 S215',
      'M190 S60',
      'M109 S215',
      'M106 S204',
      'G90',
      `G92 Z${at.z}`,
      `G1 Z${Math.round((at.z + 2) * 100) / 100} F600`,
      'G28 X Y',
      `G1 X${at.x} Y${at.y} F3000`,
      `G1 Z${at.z} F600`,
      `G92 E${at.e}`,
      'G90',
      'M83',
      'G1 F600000',
    ];
    const ran = sim.record.since(resumeMark).map((e) => e.command);
    expect(ran).not.toContain('M114'); // the restart was seen: nothing to ask the board
    const after = ran.filter((c) => !hostOwn(c));
    expect(after.slice(0, prelude.length)).toEqual(prelude);
    expect(compareRecord(after.slice(prelude.length), expected.slice(L))).toMatchObject({ whole: true, extra: [], missing: [] });
    // Never extruded cold, Z never homed onto the print, and the nozzle really is where the file says.
    expect(fw.coldExtrusions).toBe(0);
    expect(fw.axes.homed).toEqual({ x: true, y: true, z: false });
    expect(fw.axes.physical(fw.planner).z).toBeCloseTo(layeredAt(expected.length).z, 6);
    expect(world.states('ender').map((s) => s.state).slice(-3)).toEqual(['interrupted', 'printing', 'finished']);
  });

  it('a link drop on a board that kept its state: no re-heat, no homing, and a line run unconfirmed is not run twice', async () => {
    // A board without the DTR reset (native USB) keeps printing while its cable is out.
    sim = await startSimulator(heatingSim({ path: join(tmp.path, 'sky'), dtrReset: false, reconnectMs: 300 }));
    const fw = sim.printer.firmware;
    await world.startAgent([`sky=${sim.path}`]);
    await world.waitState('sky', 'ready');
    const file = world.files.add('layers', text);
    const t = world.mark();
    const mark = sim.record.length;
    // The cable goes while the firmware runs line N400: it runs, its `ok` is lost.
    sim.faults.set({ disconnectAtLine: 400 });
    expect(await world.command('sky', 'start', { jobId: 'drop-1', file })).toMatchObject({ accepted: true });
    const cut = await world.waitEvent('sky', 'job.interrupted', t);
    sim.faults.set({ disconnectAtLine: undefined });
    await world.waitState('sky', 'interrupted', t);
    const L = cut.lastConfirmedLine;
    await world.waitEvent('sky', 'printer.connected', t);
    const before = sim.record.since(mark).map((e) => e.command).filter((c) => !hostOwn(c));
    expect(before.length).toBe(L + 1); // the unconfirmed line ran

    const resumeMark = sim.record.length;
    expect(await world.command('sky', 'resume', {})).toMatchObject({ accepted: true });
    await world.waitState('sky', 'finished', t);
    const after = sim.record.since(resumeMark).map((e) => e.command);
    // The board was asked (M105 targets, M114 position), then only the file's modes and feed rate.
    // (The reconnect's own `M155 S1` may land after the mark on a loaded machine: it is not the resume's.)
    expect(after.filter((c) => !/^M155\b/.test(c)).slice(0, 2)).toEqual(['M105', 'M114']);
    const own = after.filter((c) => !hostOwn(c));
    expect(own.slice(0, 3)).toEqual(['G90', 'M83', 'G1 F600000']);
    expect(own.some((c) => /^G28\b|^G92 Z|^M109|^M190/.test(c))).toBe(false);
    expect(compareRecord([...before, ...own.slice(3)], expected)).toMatchObject({ whole: true, extra: [], missing: [] });
    expect(fw.coldExtrusions).toBe(0);
  });

  it('refuses to resume when the file cannot tell the Z height at the cut; the job stays interrupted', async () => {
    sim = await startSimulator(fastSim({ path: join(tmp.path, 'rel'), dialect: 'marlin' }));
    await world.startAgent([`rel=${sim.path}`]);
    await world.waitState('rel', 'ready');
    const lines = ['M104 S0', 'G91', 'G1 Z0.3 F600000', 'M83'];
    for (let i = 1; i <= 1500; i++) lines.push(i % 300 === 0 ? 'G1 Z0.2 F600000' : `G1 X${i % 2 ? 1 : -1} E0.01 F600000`);
    const file = world.files.add('relative', lines.join('\n') + '\n');
    const t = world.mark();
    expect(await world.command('rel', 'start', { jobId: 'rel-1', file })).toMatchObject({ accepted: true });
    await confirmedPast('rel', 200, t);
    sim.faults.reset();
    const cut = await world.waitEvent('rel', 'job.interrupted', t);
    await world.waitState('rel', 'interrupted', t);
    const stateCount = world.states('rel').length;
    const resumeMark = sim.record.length;
    const reply = await world.command('rel', 'resume', {});
    expect(reply).toMatchObject({ accepted: false, reason: expect.stringMatching(/^cannot resume safely: the Z height at line \d+ is unknown: it moved relatively \(G91, line \d+\)/) });
    // Nothing was sent, nothing published: still interrupted at the same line, and it can still be cancelled.
    expect(sim.record.since(resumeMark).map((e) => e.command).filter((c) => !hostOwn(c))).toEqual([]);
    expect(world.states('rel')).toHaveLength(stateCount);
    expect(world.states('rel').at(-1)).toMatchObject({ state: 'interrupted', job: { id: 'rel-1', line: cut.lastConfirmedLine } });
    expect(await world.command('rel', 'cancel', { reason: 'cannot resume' })).toMatchObject({ accepted: true });
    await world.waitState('rel', 'cancelled', t);
  });
});
