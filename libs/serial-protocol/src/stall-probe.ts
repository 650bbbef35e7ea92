/**
 * The probe after a lost `ok`: when the firmware stays silent with lines in flight, a numbered `M105`
 * tells exactly what ran. Accepted, its answer acknowledges everything before it; refused, the
 * `Resend:` it provokes names the line that never arrived. Either way no line runs twice
 * (docs: "Recovery rules", Timeouts).
 */
import { emit, markActivity, remember, type EngineState } from './engine-state';
import { failAll } from './failures';
import { newEntry, PROBE_CODE } from './line-entry';
import { sendLineReset, transmit } from './line-sender';

/** Called after the ack timeout of silence, or at once on Repetier's `wait`. */
export function probeStalledLine(s: EngineState): void {
  const oldest = s.inFlight[0];
  if (!oldest) return;
  markActivity(s); // the next probe, if any, waits a whole timeout again
  if (++s.probes > s.config.maxProbes) {
    // The link is gone or the firmware hung: fail what was in flight, renumber on the next send.
    const reason = `no answer from the firmware for line ${oldest.number} after ${s.config.maxProbes} probes`;
    failAll(s, reason);
    s.synced = false;
    return emit(s, { type: 'unresponsive', reason });
  }
  emit(s, { type: 'timeout', lineNumber: oldest.number, attempt: s.probes });
  if (oldest.origin.kind === 'line-reset') {
    s.inFlight = [];
    return sendLineReset(s); // M110 is idempotent
  }
  // An unanswered probe carries no line: forget it, so that answers are not paired off by one
  // forever. The stalled line has been on the wire for a whole timeout, so the firmware has read
  // it and any flush it caused is over: the probe cannot be cut by that flush (docs: "Recovery").
  for (const e of s.inFlight.filter((x) => x.origin.kind === 'probe')) {
    s.inFlight = s.inFlight.filter((x) => x !== e);
    remember(s, e);
  }
  transmit(s, newEntry(PROBE_CODE, { kind: 'probe' }));
}
