import type { PrinterState, PrinterStateName } from '@printfleet/contracts';

type StateJob = NonNullable<PrinterState['job']>;

/**
 * What stands between a printer and the next job: from the moment a job starts until an operator
 * confirms the bed is cleared (`cmd/clear`), the bed holds (part of) a print. Nothing else
 * releases it: not a lost link, a halt, an agent restart, nor a reconnect.
 */
export const BED_HOLDING_STATES = ['printing', 'paused', 'finished', 'cancelled', 'failed', 'interrupted'] as const;
export type BedHoldingState = (typeof BED_HOLDING_STATES)[number];

/** The states a printer whose bed holds a print can come back to after its link was down. */
export type BedEndingState = 'finished' | 'cancelled' | 'failed';

/** What the agent remembers (and persists) about a bed that holds a print. */
export interface BedHold {
  /** The state the printer was in when the print was last known: where it comes back to. */
  state: BedHoldingState;
  /** The job whose print is on the bed, as its state last showed it. */
  job?: StateJob;
  /** The reason that state carried (a cancel's or a failure's). */
  reason?: string;
}

/** Said by a printer that came back with a print possibly still on its bed, and by a refused `start`. */
export const BED_MAY_HOLD_PRINT = 'the bed may still hold the last print: confirm it is clear';

export function holdsBed(state: PrinterStateName): state is BedHoldingState {
  return (BED_HOLDING_STATES as readonly PrinterStateName[]).includes(state);
}

/** `reason` with the bed note after it (state reasons are at most 2,000 characters). */
export function withBedNote(reason?: string): string {
  return (reason ? `${reason}; ${BED_MAY_HOLD_PRINT}` : BED_MAY_HOLD_PRINT).slice(0, 2000);
}

/**
 * The bed after a move to `to` with `details`. A state that holds a print records it (the job it
 * names, or the one already on the bed); a halt (`error`) ends a running or interrupted job, so
 * the bed then holds a `failed` print (`bedJob`: the job as it was when it failed, if the caller
 * knows it better than the hold). Every other move keeps the hold as it was: `ready` in
 * particular never releases it (`clearBed` does).
 */
export function bedAfterMove(
  hold: BedHold | null,
  to: PrinterStateName,
  details: { job?: StateJob; reason?: string },
  bedJob?: StateJob,
): BedHold | null {
  if (holdsBed(to)) return compact<BedHold>({ state: to, job: details.job ?? hold?.job, reason: details.reason });
  if (!hold) return null;
  if (to === 'error' && !isEnding(hold.state)) return compact<BedHold>({ state: 'failed', job: bedJob ?? hold.job, reason: details.reason });
  return hold;
}

/**
 * Where a printer goes once its handshake succeeded (`connecting → ?`): `ready` only with a clear
 * bed; otherwise back to the ending its print was in, with the same job, the bed note in the
 * reason. A running or interrupted job the agent no longer has (its record was lost) comes back as
 * `failed`: the job cannot go on, and the bed still needs an operator.
 */
export function stateOnReconnect(hold: BedHold | null): { to: 'ready' | BedEndingState; job?: StateJob; reason?: string } {
  if (!hold) return { to: 'ready' };
  const to = isEnding(hold.state) ? hold.state : 'failed';
  return compact({ to, job: hold.job, reason: withBedNote(hold.reason) });
}

function isEnding(state: BedHoldingState): state is BedEndingState {
  return state === 'finished' || state === 'cancelled' || state === 'failed';
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
