/**
 * `Resend: n` (or `rs n`): rewind to n and send every line from n again, once per request.
 * The rules and their reasons are in docs/serial-protocol.md, "Recovery rules".
 */
import { acknowledge, unacknowledge } from './acknowledgements';
import { markActivity, warn, emit, type EngineState } from './engine-state';
import { failJob } from './failures';
import { sendLineReset } from './line-sender';

/** How long a repeat of an answered request is taken as a repeat rather than as a lost answer. */
const REPEAT_GRACE_MS = 1000;

/**
 * Repetier repeats `Resend:` every 200 ms until data arrives: a repeat that crossed our answer is
 * ignored. If the answer was lost in a later flush the repeats go on, and after a second the request
 * is honoured again (a duplicate is only ever skipped by the firmware, never run).
 */
function isRepeatOfAnsweredRequest(s: EngineState, n: number): boolean {
  const current = s.inFlight.find((e) => e.number === n);
  return (
    current !== undefined &&
    current.resentFor === n &&
    !s.errorSinceResend &&
    s.now - current.sentAt < REPEAT_GRACE_MS
  );
}

export function onResend(s: EngineState, n: number): void {
  if (isRepeatOfAnsweredRequest(s, n)) return;
  markActivity(s);
  s.errorSinceResend = false;
  const reset = s.inFlight.find((e) => e.origin.kind === 'line-reset');
  if (reset) {
    // Numbering not established yet: the only thing to resend is the barrier itself.
    s.inFlight = s.inFlight.filter((e) => e !== reset);
    return sendLineReset(s);
  }
  // Lines below n were accepted (the firmware asks for the first it lacks); on Repetier that means stored.
  for (const e of s.inFlight) {
    if (e.number >= n) continue;
    e.validated = true;
    if (s.profile.ackMeansStored) acknowledge(s, e);
  }
  if (n > s.nextNumber) return warn(s, `Resend: ${n} for a line never sent ignored`);
  if (n === s.nextNumber) return; // everything sent was accepted; nothing to resend
  const reacked = s.history.filter((e) => e.number >= n);
  const held = s.inFlight.some((e) => e.number === n) || s.history.some((e) => e.number === n);
  // A resend request is the firmware's word on what it has accepted, so it wins over any `ok`
  // we counted (a duplicated or misattributed one). A line no longer held cannot be sent again.
  if (!held) return failJob(s, `firmware asked to resend line ${n}, which is no longer held`);
  if (reacked.length > 0) unacknowledge(s, reacked);
  const back = [...reacked, ...s.inFlight.filter((e) => e.number >= n)].sort((a, b) => a.number - b.number);
  s.inFlight = s.inFlight.filter((e) => e.number < n);
  // Probes are not re-sent, nor lines of a job cancelled meanwhile.
  const kept = back.filter(
    (e) => e.origin.kind !== 'probe' && !(e.origin.kind === 'job' && e.origin.jobId !== s.job?.id),
  );
  for (const e of kept) {
    e.validated = false;
    e.attempts++;
  }
  s.retry = [...kept, ...s.retry];
  s.nextNumber = n;
  s.rewindTarget = n;
  s.slowStartUntil = n;
  const first = kept[0];
  emit(s, { type: 'resend', lineNumber: n, attempt: first ? first.attempts : 0 });
}
