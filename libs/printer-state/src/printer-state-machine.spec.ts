import { PRINTER_STATES, printerStateSchema } from '@printfleet/contracts';
import { commandRefusal } from './command-rules';
import { PrinterStateMachine } from './printer-state-machine';
import { canTransition, TRANSITIONS } from './transitions';

const fixed = () => new Date('2026-11-27T10:00:00.000Z');

describe('printer state machine', () => {
  it('walks a whole print: connect, print, pause, resume, finish, clear', () => {
    const m = new PrinterStateMachine('mk3', 'pi', fixed);
    const path = ['connecting', 'ready', 'printing', 'paused', 'printing', 'finished'] as const;
    const seqs = path.map((to) => m.moveTo(to)?.snapshot.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.clearBed()?.snapshot.seq).toBe(7);
    expect(printerStateSchema.parse(m.snapshot())).toEqual({ printerId: 'mk3', agentId: 'pi', state: 'ready', seq: 7, ts: fixed().toISOString() });
  });

  it('refuses a job start on a printer whose bed has not been cleared', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    for (const to of ['connecting', 'ready', 'printing', 'finished'] as const) m.moveTo(to);
    expect(m.moveTo('printing')).toBeNull();
    expect(m.state).toBe('finished');
    expect(m.snapshot().seq).toBe(4);
  });

  it('marks a print cut off by a lost link as interrupted, resumable from its last confirmed line', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    for (const to of ['connecting', 'ready'] as const) m.moveTo(to);
    m.moveTo('printing', { job: { id: 'j1', progress: 10 } });
    expect(m.moveTo('offline')).toBeNull();
    const t = m.moveTo('interrupted', { reason: 'printer unplugged', job: { id: 'j1', progress: 40, line: 1234 } });
    expect(t?.snapshot).toMatchObject({ state: 'interrupted', reason: 'printer unplugged', job: { line: 1234 } });
    expect(canTransition('interrupted', 'printing')).toBe(true);
  });

  it('restores a job interrupted by an agent restart straight from offline, and cancels it from there', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    const restored = m.moveTo('interrupted', { reason: 'the agent stopped during the print', job: { id: 'j1', progress: 0, line: 812 } });
    expect(restored).toMatchObject({ from: 'offline', to: 'interrupted', snapshot: { seq: 1, job: { line: 812 } } });
    const cancelled = m.moveTo('cancelled', { reason: 'bed knocked' });
    expect(cancelled).toMatchObject({ from: 'interrupted', to: 'cancelled', snapshot: { seq: 2, reason: 'bed knocked' } });
    expect(m.clearBed()?.snapshot.seq).toBe(3);
    // Still no shortcut from offline to anything else a print goes through.
    for (const to of ['ready', 'printing', 'paused', 'cancelled', 'finished'] as const) expect(canTransition('offline', to)).toBe(false);
  });

  it('continues the numbering of a previous run', () => {
    const m = new PrinterStateMachine('mk3', 'pi', fixed, 41);
    expect(m.snapshot().seq).toBe(41);
    expect(m.update({}).seq).toBe(42); // republished at boot: newer than anything the last run sent
    expect(m.moveTo('connecting')?.snapshot.seq).toBe(43);
  });

  it('keeps the display name and firmware across states but drops a stale job', () => {
    const m = new PrinterStateMachine('mk3', 'pi');
    m.moveTo('connecting', { displayName: 'Dagoma 1' });
    m.update({ firmware: { name: 'Marlin', version: '2.1.2' } });
    m.moveTo('ready');
    m.moveTo('printing', { job: { id: 'j1', progress: 0 } });
    const done = m.moveTo('finished');
    expect(done?.snapshot).toMatchObject({ displayName: 'Dagoma 1', firmware: { name: 'Marlin' } });
    expect(done?.snapshot.job).toBeUndefined();
  });

  it('has a table entry for every state, naming only real states', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...PRINTER_STATES].sort());
    for (const targets of Object.values(TRANSITIONS)) for (const t of targets) expect(PRINTER_STATES).toContain(t);
  });
});

describe('command rules', () => {
  it.each([
    ['start', 'ready'],
    ['pause', 'printing'],
    ['resume', 'paused'],
    ['resume', 'interrupted'],
    ['cancel', 'paused'],
    ['clear', 'finished'],
    ['estop', 'printing'],
    ['connect', 'error'],
  ] as const)('accepts %s while %s', (verb, state) => expect(commandRefusal(verb, state)).toBeNull());

  it.each([
    ['start', 'finished', /bed is cleared/],
    ['start', 'printing', /does not apply while the printer is printing/],
    ['pause', 'paused', /does not apply/],
    ['disconnect', 'printing', /pause or cancel the job first/],
    ['gcode', 'offline', /does not apply/],
    ['estop', 'offline', /does not apply/],
  ] as const)('refuses %s while %s, saying why', (verb, state, reason) => expect(commandRefusal(verb, state)).toMatch(reason));
});
