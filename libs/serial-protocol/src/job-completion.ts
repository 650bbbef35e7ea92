/**
 * When a job is finished, or paused and drained. Acknowledgements alone are not proof that lines
 * ran (a plain `ok` can be a duplicate or belong to something else), so both wait for a probe sent
 * after the job's last line to be answered (docs: "Completion barrier").
 */
import { emit, type EngineState } from './engine-state';
import { newEntry, PROBE_CODE, type Job } from './line-entry';

/**
 * True once every job line sent is proven processed. Otherwise queues the barrier probe (once) ahead
 * of other commands: the firmware handles lines in order, so its answer covers everything before it.
 */
function jobDrained(s: EngineState, job: Job): boolean {
  if (job.queue.length > 0 && !job.paused) return false;
  if ([...s.inFlight, ...s.retry].some((e) => e.origin.kind === 'job')) return false;
  if (job.lastSentSeq === 0 || s.probeAckSeq > job.lastSentSeq) return true;
  if (
    !s.inFlight.some((e) => e.origin.kind === 'probe') &&
    !s.commands.some((e) => e.origin.kind === 'probe')
  ) {
    s.commands.unshift(newEntry(PROBE_CODE, { kind: 'probe' }));
  }
  return false;
}

export function checkJobDone(s: EngineState): void {
  const job = s.job;
  if (!job || !job.inputComplete || job.queue.length > 0 || !jobDrained(s, job)) return;
  s.job = null;
  emit(s, {
    type: 'job-finished',
    jobId: job.id,
    confirmedLines: job.confirmedLines,
    lastConfirmedFileLine: job.lastConfirmedFileLine,
  });
}

/** `job-paused` is reported once per pause, when the lines sent before it are proven processed. */
export function checkPaused(s: EngineState): void {
  const job = s.job;
  if (!job || !job.paused || job.pauseReported || !jobDrained(s, job)) return;
  job.pauseReported = true;
  emit(s, { type: 'job-paused', jobId: job.id, lastConfirmedFileLine: job.lastConfirmedFileLine });
}
