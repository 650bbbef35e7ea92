import { Injectable } from '@nestjs/common';
import type { PrinterState } from '@printfleet/contracts';

/**
 * What the service currently knows from retained topics: which agents are online and each
 * printer's last state. Memory only: after a restart the broker replays the retained messages.
 */
@Injectable()
export class FleetPresence {
  private readonly agents = new Map<string, boolean>();
  private readonly states = new Map<string, PrinterState>();

  setAgent(agentId: string, online: boolean): void {
    this.agents.set(agentId, online);
  }

  /** An agent we have not heard about yet counts as online: its retained state is all we have. */
  agentOnline(agentId: string | null): boolean {
    return agentId === null ? false : (this.agents.get(agentId) ?? true);
  }

  /**
   * Keeps the newer of two states; false for a stale or replayed one. Time first, then seq: an
   * agent that restarts counts seq from zero again, but its clock moves on.
   */
  setState(s: PrinterState): boolean {
    const old = this.states.get(s.printerId);
    if (old && old.agentId === s.agentId && (s.ts < old.ts || (s.ts === old.ts && s.seq <= old.seq))) return false;
    this.states.set(s.printerId, s);
    return true;
  }

  state(printerId: string): PrinterState | undefined {
    return this.states.get(printerId);
  }
}
