import type { PrinterStateName } from '@printfleet/contracts';

/**
 * Every allowed move of the printer state machine (DESIGN.md), one line per state.
 * Anything not listed is refused, so a late or duplicated event can never drag a printer
 * into a state it cannot be in (the old tool's "Printing" on a free printer).
 */
export const TRANSITIONS: Readonly<Record<PrinterStateName, readonly PrinterStateName[]>> = {
  // Port closed or device gone: the agent tries to connect when it appears or is asked to.
  // An agent restarted mid-print restores the job as `interrupted` before its printer is back.
  offline: ['connecting', 'interrupted'],
  // Port open, waiting for the firmware's banner or answer. Once it answers: `ready` with a clear
  // bed, else back to the ending whose print is still on the bed (bed.ts): never `ready` past it.
  connecting: ['ready', 'finished', 'cancelled', 'failed', 'error', 'offline'],
  // Idle with a clear bed: the only state where a job may start.
  ready: ['printing', 'error', 'offline', 'connecting'],
  // Streaming a job. A lost link mid-print is `interrupted`, not `offline`: the job needs a decision.
  printing: ['paused', 'finished', 'cancelled', 'failed', 'error', 'interrupted'],
  paused: ['printing', 'cancelled', 'failed', 'error', 'interrupted'],
  // The three endings wait for an operator to confirm the bed is cleared; a lost link, a halt or a
  // restart in between comes back to the same ending (via `connecting`), not to `ready`.
  finished: ['ready', 'error', 'offline'],
  cancelled: ['ready', 'error', 'offline'],
  failed: ['ready', 'error', 'offline'],
  // Firmware halted (M112, thermal runaway, kill()): needs a reconnect (board reset).
  error: ['connecting', 'offline'],
  // Cut off by a disconnect or a crash: resume from the last confirmed line, cancel it, or clear.
  interrupted: ['printing', 'ready', 'cancelled', 'failed', 'error'],
};

export function canTransition(from: PrinterStateName, to: PrinterStateName): boolean {
  return TRANSITIONS[from].includes(to);
}
