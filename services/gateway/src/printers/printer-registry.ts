import type { PrinterEvent, PrinterState, PrinterTelemetry } from '@printfleet/contracts';
import type { AgentSeen, PrinterView, RegistryChange } from './printer-view';
import { supersedes } from './state-order';

const RECENT_EVENTS = 10;

/**
 * The fleet as published on MQTT, in memory: newest state per printer (by seq), latest
 * telemetry, agent availability. No I/O, so every ordering rule is unit-tested directly;
 * `PrinterFeed` wires it to the broker. Listeners hear each change once.
 */
export class PrinterRegistry {
  private readonly states = new Map<string, PrinterState>();
  private readonly telemetry = new Map<string, PrinterTelemetry>();
  private readonly events = new Map<string, PrinterEvent[]>();
  private readonly agents = new Map<string, AgentSeen>();
  /** Agents whose availability changed since their printers' last state: their seq restarts. */
  private readonly restartedAgents = new Set<string>();
  private readonly listeners = new Set<(change: RegistryChange) => void>();

  onChange(listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): PrinterView[] {
    return [...this.states.keys()].sort().map((id) => this.view(id)!);
  }

  get(printerId: string): PrinterView | null {
    return this.view(printerId);
  }

  /** True when the state was taken (newer), false when dropped as stale. */
  applyState(state: PrinterState): boolean {
    const held = this.states.get(state.printerId);
    if (!supersedes(held, state, this.restartedAgents.has(state.agentId))) return false;
    this.states.set(state.printerId, state);
    this.restartedAgents.delete(state.agentId);
    this.emitPrinter(state.printerId);
    return true;
  }

  /** An empty retained state: the agent gave the printer up (unplugged for good, renamed). */
  removePrinter(printerId: string): void {
    this.telemetry.delete(printerId);
    this.events.delete(printerId);
    if (this.states.delete(printerId)) this.emit({ kind: 'removed', printerId });
  }

  applyTelemetry(t: PrinterTelemetry): void {
    const held = this.telemetry.get(t.printerId);
    // Telemetry is QoS 0 and has no seq; its timestamp orders it.
    if (held && Date.parse(held.ts) > Date.parse(t.ts)) return;
    this.telemetry.set(t.printerId, t);
    if (this.states.has(t.printerId)) this.emitPrinter(t.printerId);
  }

  applyEvent(event: PrinterEvent): void {
    const list = this.events.get(event.printerId) ?? [];
    list.push(event);
    if (list.length > RECENT_EVENTS) list.shift();
    this.events.set(event.printerId, list);
    this.emit({ kind: 'event', event });
  }

  setAgent(agentId: string, seen: AgentSeen): void {
    const before = this.agents.get(agentId);
    if (before === seen) return;
    this.agents.set(agentId, seen);
    this.restartedAgents.add(agentId);
    for (const [printerId, state] of this.states) {
      if (state.agentId !== agentId) continue;
      if (seen === 'offline') this.telemetry.delete(printerId);
      this.emitPrinter(printerId);
    }
  }

  private view(printerId: string): PrinterView | null {
    const state = this.states.get(printerId);
    if (!state) return null;
    const agent = this.agents.get(state.agentId) ?? 'unknown';
    return {
      printerId,
      state,
      agent,
      telemetry: agent === 'offline' ? null : (this.telemetry.get(printerId) ?? null),
      recentEvents: [...(this.events.get(printerId) ?? [])],
    };
  }

  private emitPrinter(printerId: string): void {
    const printer = this.view(printerId);
    if (printer) this.emit({ kind: 'printer', printer });
  }

  private emit(change: RegistryChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
