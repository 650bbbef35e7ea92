import type { CommandVerb, PrinterStateName } from '@printfleet/contracts';
import { BED_MAY_HOLD_PRINT } from './bed';

/** States in which each command applies; anything else is refused with a reason, never half-done. */
const ACCEPTED_IN: Readonly<Record<CommandVerb, readonly PrinterStateName[]>> = {
  start: ['ready'],
  pause: ['printing'],
  resume: ['paused', 'interrupted'],
  cancel: ['printing', 'paused', 'interrupted'],
  clear: ['finished', 'cancelled', 'failed', 'interrupted'],
  // Manual lines are allowed beside a job (speed or fan tweaks), not on a dead link.
  gcode: ['ready', 'printing', 'paused', 'finished', 'cancelled', 'failed'],
  estop: ['connecting', 'ready', 'printing', 'paused', 'finished', 'cancelled', 'failed', 'interrupted'],
  connect: ['offline', 'error'],
  disconnect: ['connecting', 'ready', 'finished', 'cancelled', 'failed', 'error'],
};

const HINTS: Partial<Record<CommandVerb, string>> = {
  start: 'a job starts only on a ready printer (confirm the bed is cleared with "clear" first)',
  disconnect: 'pause or cancel the job first',
  clear: 'only a finished, cancelled, failed or interrupted print can be cleared',
};

/** What else than the state a command's refusal depends on. */
export interface CommandConditions {
  /** The bed holds a print no operator has cleared yet (bed.ts). */
  bedHeld?: boolean;
}

/** null when `verb` applies in `state`; otherwise the reason to put in the reply. */
export function commandRefusal(verb: CommandVerb, state: PrinterStateName, conditions: CommandConditions = {}): string | null {
  // Whatever the state says (offline, reconnecting, back to an ending), no job starts onto a print.
  if (verb === 'start' && conditions.bedHeld && state !== 'printing' && state !== 'paused') {
    return `"start" is refused while the printer is ${state}: ${BED_MAY_HOLD_PRINT} ("clear")`;
  }
  if (ACCEPTED_IN[verb].includes(state)) return null;
  const hint = HINTS[verb];
  return `"${verb}" does not apply while the printer is ${state}${hint ? `: ${hint}` : ''}`;
}
