import type { PrinterState, PrinterStateName } from '@printfleet/contracts';
import { canTransition } from './transitions';

export type StateDetails = Omit<PrinterState, 'printerId' | 'agentId' | 'state' | 'seq' | 'ts'>;

export interface Transition {
  from: PrinterStateName;
  to: PrinterStateName;
  snapshot: PrinterState;
}

/**
 * One printer's state, its details and its sequence number. `moveTo` refuses what the table
 * does not allow (returning null, for the caller to log: out-of-order events are warned about,
 * not thrown); `update` changes details (progress) without a state change. Every accepted change
 * bumps `seq`, and the caller publishes the snapshot once. `lastSeq` continues the numbering of
 * a previous run (the agent persists it), so readers that drop lower seqs keep a restarted
 * agent's states.
 */
export class PrinterStateMachine {
  private current: PrinterStateName = 'offline';
  private details: StateDetails = {};
  private seq: number;

  constructor(
    readonly printerId: string,
    readonly agentId: string,
    private readonly now: () => Date = () => new Date(),
    lastSeq = 0,
  ) {
    this.seq = lastSeq;
  }

  get state(): PrinterStateName {
    return this.current;
  }

  moveTo(to: PrinterStateName, details: StateDetails = {}): Transition | null {
    const from = this.current;
    if (!canTransition(from, to)) return null;
    this.current = to;
    // Details belong to a state: a new state starts from what the caller gives, plus the
    // long-lived facts (name, firmware).
    this.details = { displayName: this.details.displayName, firmware: this.details.firmware, ...details };
    return { from, to, snapshot: this.bump() };
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
