import { PRINTER_STATES, printerStateSchema, type PrinterStateName } from '@printfleet/contracts';
import { BED_MAY_HOLD_PRINT, bedAfterMove, holdsBed, stateOnReconnect, withBedNote, type BedHold } from './bed';
import { commandRefusal } from './command-rules';
import { PrinterStateMachine } from './printer-state-machine';

const job = { id: 'j1', progress: 100, fileName: 'cube.gcode', line: 2147, startedAt: '2026-11-27T09:00:00.000Z' };

/** A machine that printed `j1` to `ending` (the bed now holds it). */
function printedTo(ending: 'finished' | 'cancelled' | 'failed', reason?: string): PrinterStateMachine {
  const m = new PrinterStateMachine('mk3', 'pi');
  for (const to of ['connecting', 'ready'] as const) m.moveTo(to);
  m.moveTo('printing', { job: { ...job, progress: 0, line: 0 } });
  m.moveTo(ending, { job, ...(reason ? { reason } : {}) });
  return m;
}

describe('bed rules (pure)', () => {
  it('holds the bed from the start of a job, in every state a print goes through', () => {
    expect(PRINTER_STATES.filter((s) => holdsBed(s))).toEqual(['printing', 'paused', 'finished', 'cancelled', 'failed', 'interrupted']);
    expect(bedAfterMove(null, 'printing', { job })).toEqual({ state: 'printing', job });
    expect(bedAfterMove({ state: 'printing', job }, 'cancelled', { reason: 'wrong filament' })).toEqual({ state: 'cancelled', job, reason: 'wrong filament' });
  });

  it.each(['offline', 'connecting', 'error', 'ready'] as const)('keeps a finished print on the bed through %s', (to) => {
    const hold: BedHold = { state: 'finished', job };
    expect(bedAfterMove(hold, to, { reason: 'whatever happened' })).toBe(hold);
  });

  it('leaves a clear bed clear through states that print nothing', () => {
    for (const to of ['offline', 'connecting', 'ready', 'error'] as const) expect(bedAfterMove(null, to, {})).toBeNull();
  });

  it('turns a running or interrupted job cut by a halt into a failed print on the bed', () => {
    const later = { ...job, progress: 40, line: 812 };
    expect(bedAfterMove({ state: 'printing', job }, 'error', { reason: 'Thermal Runaway' }, later)).toEqual({ state: 'failed', job: later, reason: 'Thermal Runaway' });
    expect(bedAfterMove({ state: 'interrupted', job }, 'error', { reason: 'M112' })).toEqual({ state: 'failed', job, reason: 'M112' });
    expect(bedAfterMove({ state: 'failed', job, reason: 'line too long' }, 'error', { reason: 'M112' })).toEqual({ state: 'failed', job, reason: 'line too long' });
  });

  it('sends a reconnected printer to ready only with a clear bed, else back to its ending with the note', () => {
    expect(stateOnReconnect(null)).toEqual({ to: 'ready' });
    expect(stateOnReconnect({ state: 'finished', job })).toEqual({ to: 'finished', job, reason: BED_MAY_HOLD_PRINT });
    expect(stateOnReconnect({ state: 'cancelled', job, reason: 'wrong filament' })).toEqual({
      to: 'cancelled',
      job,
      reason: `wrong filament; ${BED_MAY_HOLD_PRINT}`,
    });
    // A job the agent no longer has cannot go on: failed, still waiting for the operator.
    for (const state of ['printing', 'paused', 'interrupted'] as const) expect(stateOnReconnect({ state, job }).to).toBe('failed');
  });

  it('keeps a state reason within the contract', () => {
    expect(withBedNote('x'.repeat(1990)).length).toBe(2000);
    expect(printerStateSchema.shape.reason.safeParse(withBedNote('x'.repeat(5000))).success).toBe(true);
  });
});

describe('the state machine with a print on the bed', () => {
  it.each([
    ['finished', undefined],
    ['cancelled', 'wrong filament'],
    ['failed', 'line too long'],
  ] as const)('%s, unplugged and re-plugged: back to %s with the job, never ready until cleared', (ending, reason) => {
    const m = printedTo(ending, reason);
    expect(m.moveTo('offline', { reason: 'printer unplugged' })?.bedChanged).toBe(false);
    expect(m.moveTo('connecting')).not.toBeNull();
    expect(m.moveTo('ready')).toBeNull(); // no path around the rule
    const back = m.reconnected({ firmware: { name: 'Marlin' } });
    expect(back).toMatchObject({ from: 'connecting', to: ending, bedChanged: false });
    expect(back!.snapshot).toMatchObject({ state: ending, job, reason: withBedNote(reason), firmware: { name: 'Marlin' } });
    expect(commandRefusal('start', m.state, { bedHeld: m.bed !== null })).toContain(BED_MAY_HOLD_PRINT);
    // A second trip does not pile up notes: the record keeps the original reason.
    m.moveTo('offline');
    m.moveTo('connecting');
    expect(m.reconnected()?.snapshot.reason).toBe(withBedNote(reason));

    const cleared = m.clearBed();
    expect(cleared).toMatchObject({ from: ending, to: 'ready', bed: null, bedChanged: true });
    expect(m.bed).toBeNull();
    expect(commandRefusal('start', m.state, { bedHeld: false })).toBeNull();
    expect(m.moveTo('printing', { job: { id: 'j2', progress: 0 } })?.bed).toEqual({ state: 'printing', job: { id: 'j2', progress: 0 } });
  });

  it('a previous run’s record keeps a restarted agent’s printer off ready', () => {
    const m = new PrinterStateMachine('mk3', 'pi', undefined, 40, { state: 'finished', job });
    m.moveTo('connecting');
    expect(m.reconnected()).toMatchObject({ to: 'finished', snapshot: { seq: 42, job, reason: BED_MAY_HOLD_PRINT } });
    // A clear bed (no record) comes up ready as before.
    const clear = new PrinterStateMachine('mk3', 'pi');
    clear.moveTo('connecting');
    expect(clear.reconnected()).toMatchObject({ to: 'ready', bed: null, bedChanged: false });
  });

  it('a halt mid-print, then a reconnect: failed with the job, not ready', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    for (const to of ['connecting', 'ready'] as const) m.moveTo(to);
    m.moveTo('printing', { job: { ...job, progress: 0, line: 0 } });
    const halted = m.moveTo('error', { reason: 'Thermal Runaway' }, { ...job, progress: 40 });
    expect(halted).toMatchObject({ to: 'error', bed: { state: 'failed', job: { progress: 40 } }, bedChanged: true });
    expect(halted!.snapshot.job).toBeUndefined();
    m.moveTo('connecting');
    expect(m.reconnected()?.snapshot).toMatchObject({ state: 'failed', job: { id: 'j1', progress: 40 }, reason: `Thermal Runaway; ${BED_MAY_HOLD_PRINT}` });
  });

  it('an estop on a finished printer keeps the finished print on the bed', () => {
    const m = printedTo('finished');
    m.moveTo('error', { reason: 'Printer halted. kill() called!' });
    m.moveTo('connecting');
    expect(m.reconnected()?.snapshot).toMatchObject({ state: 'finished', job });
  });

  it('an interrupted job stays interrupted on its own; cleared, the bed is free', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    const t = m.moveTo('interrupted', { reason: 'the agent stopped during the print', job: { id: 'j1', progress: 0, line: 812 } });
    expect(t).toMatchObject({ bed: { state: 'interrupted', job: { line: 812 } }, bedChanged: true });
    expect(m.clearBed()).toMatchObject({ to: 'ready', bed: null });
  });

  it('an interrupted job cancelled keeps its print on the bed, with the job it was', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    m.moveTo('interrupted', { job: { id: 'j1', progress: 0, line: 812 } });
    expect(m.moveTo('cancelled', { reason: 'bed knocked' })?.bed).toEqual({ state: 'cancelled', job: { id: 'j1', progress: 0, line: 812 }, reason: 'bed knocked' });
  });

  it('refuses clear where there is nothing to clear, and reconnected outside connecting', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    expect(m.clearBed()).toBeNull(); // offline
    m.moveTo('connecting');
    expect(m.clearBed()).toBeNull();
    m.reconnected();
    expect(m.reconnected()).toBeNull(); // ready already
    m.moveTo('printing', { job });
    expect(m.clearBed()).toBeNull();
    expect(m.state).toBe('printing');
    expect(m.bed?.state).toBe('printing');
  });
});

describe('start with a print on the bed', () => {
  it.each(['offline', 'connecting', 'ready', 'finished', 'cancelled', 'failed', 'error', 'interrupted'] as const)('is refused while %s, saying the bed may hold the print', (state: PrinterStateName) => {
    expect(commandRefusal('start', state, { bedHeld: true })).toBe(`"start" is refused while the printer is ${state}: ${BED_MAY_HOLD_PRINT} ("clear")`);
  });

  it('while a job runs the refusal is about the job', () => {
    expect(commandRefusal('start', 'printing', { bedHeld: true })).toMatch(/does not apply while the printer is printing/);
  });

  it('leaves the other commands alone', () => {
    expect(commandRefusal('clear', 'finished', { bedHeld: true })).toBeNull();
    expect(commandRefusal('gcode', 'finished', { bedHeld: true })).toBeNull();
    expect(commandRefusal('start', 'ready', { bedHeld: false })).toBeNull();
  });
});
