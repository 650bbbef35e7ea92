import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@printfleet/printer-sim';
import { printerTelemetryTopic, type PrinterState, type PrinterTelemetry } from '@printfleet/contracts';
import { BED_MAY_HOLD_PRINT } from '@printfleet/printer-state';
import { createTempDir } from '@printfleet/testing';
import { fastSim, startWorld, type World } from './harness';

/** Numbered square moves; `longAt`: that line is one the firmware cannot take (the job fails there). */
function movesFile(n: number, longAt?: number): string {
  const lines = ['G90', 'M83'];
  for (let i = 1; i <= n; i++) {
    lines.push(i === longAt ? `M117 ${'too long for the firmware '.repeat(5)}` : `G1 X${(i % 100) + 10} Y${Math.floor(i / 100) + 10} E0.01 F600000`);
  }
  return lines.join('\n') + '\n';
}

type Ending = 'finished' | 'cancelled' | 'failed';
const ENDINGS: readonly Ending[] = ['finished', 'cancelled', 'failed'];
const P = 'bed';

/**
 * A printer whose bed holds a print (finished, cancelled, failed) is never `ready` again until an
 * operator says the bed is clear (`cmd/clear`): not after an unplug and re-plug, not after an
 * agent restart, not after a halt. Real broker, simulator on a PTY, real serialport.
 */
describe('a print on the bed keeps its printer off ready until an operator clears it', () => {
  let world: World;
  let sim: RunningSimulator | undefined;
  const tmp = createTempDir('printfleet-bed-');

  beforeEach(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await world.close();
    await sim?.close();
    sim = undefined;
  });

  afterAll(() => tmp.remove());

  async function readyPrinter(name: string): Promise<void> {
    sim = await startSimulator(fastSim({ path: join(tmp.path, name), dialect: 'marlin', reconnectMs: 300 }));
    await world.startAgent([`${P}=${sim.path}`]);
    await world.waitState(P, 'ready');
  }

  const confirmedPast = (line: number, since: number) =>
    world.probe.waitFor(
      printerTelemetryTopic(P),
      (m) => world.probe.messages.indexOf(m) >= since && (m.json<PrinterTelemetry>().job?.line ?? 0) > line,
    );

  /** Runs a job to `ending`; resolves with the state that ended it. */
  async function printTo(ending: Ending): Promise<PrinterState> {
    const t = world.mark();
    const text = ending === 'finished' ? movesFile(30) : ending === 'failed' ? movesFile(200, 40) : movesFile(3000);
    expect(await world.command(P, 'start', { jobId: `job-${ending}`, file: world.files.add(`f-${ending}`, text) })).toMatchObject({ accepted: true });
    if (ending === 'cancelled') {
      await confirmedPast(20, t);
      expect(await world.command(P, 'cancel', { reason: 'wrong filament' })).toMatchObject({ accepted: true });
    }
    const ended = await world.waitState(P, ending, t);
    expect(ended.job).toMatchObject({ id: `job-${ending}` });
    if (ending === 'failed') expect(ended.reason).toMatch(/bytes framed; firmware keeps/);
    if (ending === 'cancelled') expect(ended.reason).toBe('wrong filament');
    return ended;
  }

  /** Once reconnected (since `t`): back to the ending with the same job and the bed note, never `ready`. */
  async function expectBackTo(ended: PrinterState, t: number): Promise<void> {
    await world.waitEvent(P, 'printer.connected', t);
    const since = world.statesSince(P, t);
    expect(since.map((s) => s.state)).not.toContain('ready');
    const back = since.at(-1)!;
    expect(back.state).toBe(ended.state);
    expect(back.job).toEqual(ended.job);
    expect(back.reason).toBe(ended.reason ? `${ended.reason}; ${BED_MAY_HOLD_PRINT}` : BED_MAY_HOLD_PRINT);
  }

  /** `start` refused with the bed's reason; `clear` → ready; then a job starts and finishes. */
  async function expectClearThenStart(ending: Ending): Promise<void> {
    const refused = await world.command(P, 'start', { jobId: 'next-refused', file: world.files.add('next', movesFile(10)) });
    expect(refused).toMatchObject({ accepted: false, reason: `"start" is refused while the printer is ${ending}: ${BED_MAY_HOLD_PRINT} ("clear")` });
    const c = world.mark();
    expect(await world.command(P, 'clear', { requestedBy: 'operator' })).toMatchObject({ accepted: true });
    await world.waitState(P, 'ready', c);
    expect(bedRecorded()).toBe(false); // cleared: a restart now would come up ready
    expect(await world.command(P, 'start', { jobId: 'next', file: world.files.add('next', movesFile(10)) })).toMatchObject({ accepted: true });
    expect((await world.waitState(P, 'finished', c)).job).toMatchObject({ id: 'next' });
    expect(world.statesSince(P, c).map((s) => s.state)).toEqual(['ready', 'printing', 'finished']);
    expect(bedRecorded()).toBe(true); // the new print is on the bed now
  }

  const bedRecorded = () => existsSync(join(world.dataDir, 'agent-state', `${P}.bed`));

  it.each(ENDINGS)('%s, unplugged and re-plugged: the same ending and job again, start refused, clear → ready, then a job starts', async (ending) => {
    await readyPrinter(`unplug-${ending}`);
    const ended = await printTo(ending);
    const t = world.mark();
    sim!.faults.disconnect(); // the cable pulled; the PTY comes back 300 ms later
    const offline = await world.waitState(P, 'offline', t);
    // (EIO or discovery's "printer unplugged", whichever comes first)
    expect(offline.reason).toMatch(/^connection lost: .+; the bed may still hold the last print: confirm it is clear$/);
    await expectBackTo(ended, t);
    await expectClearThenStart(ending);
  });

  it.each(ENDINGS)('%s, then the agent restarts on the same data dir: the same ending again, start refused, clear → ready, then a job starts', async (ending) => {
    await readyPrinter(`restart-${ending}`);
    const ended = await printTo(ending);
    await world.stopAgent();
    // The record is on disk, beside the job store and the seq store.
    expect(bedRecorded()).toBe(true);
    const t = world.mark();
    await world.startAgent([`${P}=${sim!.path}`]);
    // The new run says at once that the bed may hold a print, then comes back to the ending.
    const first = await world.waitState(P, 'offline', t);
    expect(first.reason).toBe(BED_MAY_HOLD_PRINT);
    expect(world.statesSince(P, t)[0]).toEqual(first);
    await expectBackTo(ended, t);
    await expectClearThenStart(ending);
  });

  it('an interrupted job survives the re-plug; halted by an estop it fails, and reconnected it is failed (not ready) until cleared', async () => {
    await readyPrinter('interrupted');
    const t = world.mark();
    expect(await world.command(P, 'start', { jobId: 'cut', file: world.files.add('long', movesFile(3000)) })).toMatchObject({ accepted: true });
    await confirmedPast(50, t);
    sim!.faults.disconnect();
    const interrupted = await world.waitState(P, 'interrupted', t);
    await world.waitEvent(P, 'printer.connected', t);
    expect(world.statesSince(P, t).at(-1)).toEqual(interrupted); // resumable, untouched by the re-plug
    expect(await world.command(P, 'start', { jobId: 'other', file: world.files.add('next', movesFile(10)) })).toMatchObject({
      accepted: false,
      reason: expect.stringContaining(BED_MAY_HOLD_PRINT),
    });

    const e = world.mark();
    expect(await world.command(P, 'estop', {})).toMatchObject({ accepted: true });
    expect(await world.waitState(P, 'error', e)).toMatchObject({ reason: expect.stringMatching(/emergency stop/) });
    // The interrupted job ends with the halt: the job-service hears it.
    expect(await world.waitEvent(P, 'job.failed', e)).toMatchObject({ jobId: 'cut', line: interrupted.job!.line });
    const r = world.mark();
    expect(await world.command(P, 'connect', {})).toMatchObject({ accepted: true });
    await world.waitEvent(P, 'printer.connected', r);
    const since = world.statesSince(P, r);
    expect(since.map((s) => s.state)).not.toContain('ready');
    expect(since.at(-1)).toMatchObject({ state: 'failed', job: interrupted.job, reason: expect.stringMatching(/emergency stop.*; the bed may still hold/) });
    expect(await world.command(P, 'resume', {})).toMatchObject({ accepted: false });
    await expectClearThenStart('failed');
  });
});
