import type { PrinterState, PrinterStateName } from '@printfleet/contracts';
import { bedAfterMove, stateOnReconnect, type BedHold } from './bed';
import { canTransition } from './transitions';

export type StateDetails = Omit<PrinterState, 'printerId' | 'agentId' | 'state' | 'seq' | 'ts'>;

export interface Transition {
  from: PrinterStateName;
  to: PrinterStateName;
  snapshot: PrinterState;
  /** What the bed holds after this transition (null: cleared by an operator, or never used). */
  bed: BedHold | null;
  /** The bed's record changed: the caller persists it before publishing the snapshot. */
  bedChanged: boolean;
}

/** The states from which an operator's `clear` leads to `ready`. */
const CLEARABLE: readonly PrinterStateName[] = ['finished', 'cancelled', 'failed', 'interrupted'];

/**
 * One printer's state, its details and its sequence number. `moveTo` refuses what the table
 * does not allow (returning null, for the caller to log: out-of-order events are warned about,
 * not thrown); `update` changes details (progress) without a state change. Every accepted change
 * bumps `seq`, and the caller publishes the snapshot once. `lastSeq` continues the numbering of
 * a previous run (the agent persists it), so readers that drop lower seqs keep a restarted
 * agent's states.
 *
 * It also tracks the bed (`BedHold`, bed.ts): from a job's start until an operator's `clearBed`,
 * the bed holds a print, and `ready` is refused meanwhile, whatever the path (a lost link, a halt,
 * a restart: `bed` restores a previous run's record). `reconnected` picks where a printer goes once
 * its link is up again: `ready`, or back to the ending its print was in.
 */
export class PrinterStateMachine {
  private current: PrinterStateName = 'offline';
  private details: StateDetails = {};
  private seq: number;
  private hold: BedHold | null;

  constructor(
    readonly printerId: string,
    readonly agentId: string,
    private readonly now: () => Date = () => new Date(),
    lastSeq = 0,
    bed: BedHold | null = null,
  ) {
    this.seq = lastSeq;
    this.hold = bed;
  }

  get state(): PrinterStateName {
    return this.current;
  }

  /** What the bed holds (null: clear). */
  get bed(): BedHold | null {
    return this.hold;
  }

  /**
   * `bedJob`: the job whose print stays on the bed when the new state names none (a halt
   * mid-print: the job failed, the state is `error`).
   */
  moveTo(to: PrinterStateName, details: StateDetails = {}, bedJob?: StateDetails['job']): Transition | null {
    const from = this.current;
    if (!canTransition(from, to)) return null;
    // Only an operator declares the bed clear (`clearBed`).
    if (to === 'ready' && this.hold) return null;
    this.current = to;
    // Details belong to a state: a new state starts from what the caller gives, plus the
    // long-lived facts (name, firmware).
    this.details = { displayName: this.details.displayName, firmware: this.details.firmware, ...details };
    const before = this.hold;
    this.hold = bedAfterMove(before, to, details, bedJob);
    return { from, to, snapshot: this.bump(), bed: this.hold, bedChanged: !sameHold(before, this.hold) };
  }

  /** An operator confirmed the bed is clear: `finished / cancelled / failed / interrupted → ready`. */
  clearBed(details: StateDetails = {}): Transition | null {
    if (!CLEARABLE.includes(this.current)) return null;
    const before = this.hold;
    this.hold = null;
    const t = this.moveTo('ready', details);
    if (!t) {
      this.hold = before;
      return null;
    }
    return { ...t, bedChanged: before !== null };
  }

  /**
   * The handshake succeeded: `connecting → ready` with a clear bed, else back to the ending the
   * print was in (same job, the bed note in the reason). The bed's record stays as it was.
   */
  reconnected(details: StateDetails = {}): Transition | null {
    if (this.current !== 'connecting') return null;
    const before = this.hold;
    const { to, ...back } = stateOnReconnect(before);
    const t = this.moveTo(to, { ...details, ...back });
    if (!t || !before || to === 'ready') return t;
    // The same print is on the bed: its record keeps the original reason, not the note.
    this.hold = { ...before, state: to };
    return { ...t, bed: this.hold, bedChanged: !sameHold(before, this.hold) };
  }

  update(details: Partial<StateDetails>): PrinterState {
    this.details = { ...this.details, ...details };
    return this.bump();
  }

  snapshot(): PrinterState {
    return this.build(this.seq);
  }

  private bump(): PrinterState {
    this.seq += 1;
    return this.build(this.seq);
  }

  private build(seq: number): PrinterState {
    const clean = Object.fromEntries(Object.entries(this.details).filter(([, v]) => v !== undefined));
    return { printerId: this.printerId, agentId: this.agentId, state: this.current, seq, ts: this.now().toISOString(), ...clean };
  }
}

function sameHold(a: BedHold | null, b: BedHold | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
