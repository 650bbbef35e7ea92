/**
 * Flow control per firmware profile: may one more framed line go on the wire now?
 *
 * A line is unvalidated while it may still be on the wire or in the firmware's receive ring unchecked.
 * Marlin and Prusa allow one (ping-pong): a flush on Marlin would run the cut tail of a second line.
 * Repetier sends ahead up to its 127-byte ring once its acks carry numbers. Why, per firmware:
 * docs/serial-protocol.md, "Flow control".
 */
import type { EngineState } from './engine-state';
import { hasDangerousTail } from './framing';

/** Unvalidated lines allowed now. */
function windowLines(s: EngineState): number {
  const p = s.profile;
  // After a resend, one line until the re-sent line is acknowledged: a burst would be cut by the next flush.
  if (p.maxUnvalidatedLines <= 1 || s.slowStartUntil !== null) return 1;
  // Without numbered acks, oks in flight could not be attributed exactly.
  return !p.sendAheadNeedsNumberedAcks || s.numberedAcksSeen ? p.maxUnvalidatedLines : 1;
}

/** With nothing unvalidated in flight any line may go: no line ahead of it can fail and flush it. */
export function fitsSendWindow(s: EngineState, framed: string): boolean {
  const unvalidated = s.inFlight.filter((e) => !e.validated);
  if (unvalidated.length === 0) return true;
  const bytes = unvalidated.reduce((sum, e) => sum + e.framed.length + 1, 0);
  if (unvalidated.length >= windowLines(s)) return false;
  if (bytes + framed.length + 1 > s.profile.rxBufferBytes) return false;
  // A line whose tail Repetier would run alone after a flush goes only when nothing can fail ahead of it.
  return !hasDangerousTail(framed);
}
