/**
 * A job's lifecycle, owned by the job-service. Printer states belong to the agent; these are the
 * service's record of one print request, driven by the agent's `events` and by the queue.
 */
export const JOB_STATES = [
  'queued', // waiting in the queue for a matching ready printer
  'held', // in the queue at its place, skipped by the dispatcher until released
  'dispatching', // cmd/start sent to one printer; waiting for the agent's reply / job.started
  'printing', // the agent reported job.started (or resumed)
  'paused', // the agent reported job.paused
  'finished', // terminal: printed to the end
  'failed', // terminal: stopped by an error (reason recorded)
  'cancelled', // terminal: stopped by a user before or during the print
  'interrupted', // terminal for this job: cut off (disconnect, crash); a reprint starts a new job
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const TERMINAL_JOB_STATES: readonly JobState[] = ['finished', 'failed', 'cancelled', 'interrupted'];
/** States in which a job occupies its printer: at most one such job per printer. */
export const ACTIVE_JOB_STATES: readonly JobState[] = ['dispatching', 'printing', 'paused'];
/** States in which a job still has its queue entry. */
export const QUEUED_JOB_STATES: readonly JobState[] = ['queued', 'held', 'dispatching'];

export const isTerminal = (s: JobState): boolean => TERMINAL_JOB_STATES.includes(s);

/**
 * Allowed transitions. `queued`/`dispatching` may jump straight to a printing outcome because the
 * service can miss `job.started` (it was down, or the event raced the reply): the agent is the
 * witness of what happened on the printer, so its report wins over our expectation.
 */
const TRANSITIONS: Record<JobState, readonly JobState[]> = {
  queued: ['held', 'dispatching', 'cancelled', 'printing', 'paused', 'finished', 'failed', 'interrupted'],
  held: ['queued', 'cancelled'],
  dispatching: ['queued', 'printing', 'paused', 'finished', 'failed', 'cancelled', 'interrupted'],
  printing: ['paused', 'finished', 'failed', 'cancelled', 'interrupted'],
  paused: ['printing', 'finished', 'failed', 'cancelled', 'interrupted'],
  finished: [],
  failed: [],
  cancelled: [],
  interrupted: [],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The agent's job event types (contracts' `printerEventSchema`), as far as they move a job. */
export type JobEventType =
  | 'job.started'
  | 'job.paused'
  | 'job.resumed'
  | 'job.finished'
  | 'job.failed'
  | 'job.cancelled'
  | 'job.interrupted';

const EVENT_TARGET: Record<JobEventType, JobState> = {
  'job.started': 'printing',
  'job.paused': 'paused',
  'job.resumed': 'printing',
  'job.finished': 'finished',
  'job.failed': 'failed',
  'job.cancelled': 'cancelled',
  'job.interrupted': 'interrupted',
};

export type EventOutcome = { kind: 'move'; to: JobState } | { kind: 'same' } | { kind: 'ignore'; why: string };

/**
 * What an agent event does to a job in `current`. Duplicates (QoS 1 redelivery) are `same`;
 * out-of-order events (a `job.paused` after `job.finished`) are `ignore`d with a reason to log,
 * never thrown: one late message must not break the record.
 *
 * `inferred`: the current terminal state was concluded by the service (e.g. the printer was idle
 * and no outcome had been reported), not reported by the agent. The agent's own outcome, arriving
 * later (a queued event delivered after the retained state), then replaces it.
 */
export function applyJobEvent(current: JobState, event: JobEventType, options: { inferred?: boolean } = {}): EventOutcome {
  const to = EVENT_TARGET[event];
  if (to === current) return { kind: 'same' };
  if (canTransition(current, to)) return { kind: 'move', to };
  if (options.inferred && isTerminal(current) && isTerminal(to)) return { kind: 'move', to };
  return { kind: 'ignore', why: `${event} does not apply to a ${current} job` };
}
