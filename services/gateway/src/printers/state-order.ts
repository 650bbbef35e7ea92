import type { PrinterState } from '@printfleet/contracts';

/**
 * Should `incoming` replace `held`? The agent numbers its states (`seq` + 1 per change), so a
 * lower or equal seq is a stale or replayed message and is dropped. Two exceptions, because an
 * agent's counter starts again when it restarts:
 * - after the agent's availability changed (`restarted`: it went offline or came back), the next
 *   state is taken whatever its seq;
 * - a lower seq with a later timestamp is a new counter, not an old message (covers a restart the
 *   gateway did not see, e.g. while its own broker connection was down).
 */
export function supersedes(
  held: PrinterState | undefined,
  incoming: PrinterState,
  restarted: boolean,
): boolean {
  if (!held || restarted || incoming.agentId !== held.agentId) return true;
  if (incoming.seq > held.seq) return true;
  return incoming.seq < held.seq && Date.parse(incoming.ts) > Date.parse(held.ts);
}
