import type { PrinterEvent, PrinterState, PrinterTelemetry } from '@printfleet/contracts';

export type AgentSeen = 'online' | 'offline' | 'unknown';

/**
 * What the gateway knows of one printer: only what its agent published. When the agent is
 * offline the last state is kept but flagged, and telemetry is dropped: a UI must then say
 * "unknown", never repeat the last state as if it were current.
 */
export interface PrinterView {
  printerId: string;
  /** The agent's last retained state, unchanged. */
  state: PrinterState;
  /** The owning agent's availability as last seen on MQTT. */
  agent: AgentSeen;
  /** Latest telemetry while the agent is not known to be offline. */
  telemetry: PrinterTelemetry | null;
  /** The last few events, newest last. */
  recentEvents: PrinterEvent[];
}

export type RegistryChange =
  | { kind: 'printer'; printer: PrinterView }
  | { kind: 'removed'; printerId: string }
  | { kind: 'event'; event: PrinterEvent };
