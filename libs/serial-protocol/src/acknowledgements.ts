/**
 * Turning an acknowledged line into progress: `acknowledged`, `command-done` and `job-progress`
 * events, the end of slow start and of probing, and the completion barrier. Also the reverse, when
 * the firmware asks again for a line we had credited.
 */
import { checkJobDone, checkPaused } from './job-completion';
import { emit, remember, warn, type EngineState } from './engine-state';
import type { Entry } from './line-entry';

export function acknowledge(s: EngineState, e: Entry): void {
  s.inFlight = s.inFlight.filter((x) => x !== e);
  s.probes = 0; // the firmware answered: a later silence starts a fresh round of probes
  if (s.slowStartUntil !== null && e.number >= s.slowStartUntil) s.slowStartUntil = null;
  if (e.origin.kind === 'line-reset') {
    s.synced = true;
    return;
  }
  remember(s, e);
  if (e.origin.kind === 'probe') {
    s.probeAckSeq = Math.max(s.probeAckSeq, e.seq);
    checkJobDone(s);
    return checkPaused(s);
  }
  if (e.number >= 0) emit(s, { type: 'acknowledged', lineNumber: e.number, origin: e.origin });
  if (e.origin.kind === 'command') return emit(s, { type: 'command-done', id: e.origin.id });
  const job = s.job;
  if (!job || job.id !== e.origin.jobId) return;
  job.confirmedLines++;
  job.lastConfirmedFileLine = e.origin.fileLine;
  emit(s, {
    type: 'job-progress',
    jobId: job.id,
    confirmedLines: job.confirmedLines,
    lastConfirmedFileLine: job.lastConfirmedFileLine,
  });
  checkJobDone(s);
  checkPaused(s);
}

/** A mistaken `ok` (for a line Marlin ran unnumbered) was taken as this line's: take the confirmation back. */
export function unacknowledge(s: EngineState, entries: Entry[]): void {
  s.history = s.history.filter((e) => !entries.includes(e));
  const job = s.job;
  const jobEntries = entries.filter((e) => e.origin.kind === 'job' && job && e.origin.jobId === job.id);
  if (!job || jobEntries.length === 0) return;
  job.confirmedLines -= jobEntries.length;
  const first = jobEntries[0]?.origin;
  if (first?.kind === 'job') job.lastConfirmedFileLine = first.fileLine - 1;
  warn(s, `firmware asked again for ${jobEntries.length} acknowledged line(s); confirmation taken back`);
}
