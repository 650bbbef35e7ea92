import { Inject, Injectable } from '@nestjs/common';
import type { PrinterEvent, PrinterState } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { applyJobEvent, isTerminal, type JobEventType, type JobState } from '@printfleet/scheduling';
import { LOGGER } from '@printfleet/service-kit';
import { CommandPublisher, newCommandId } from '../fleet/command-publisher';
import { FileRepository } from '../files/file.repository';
import { JobRepository } from './job.repository';
import type { JobPatch, JobRecord } from './job.types';

type JobEvent = Extract<PrinterEvent, { type: JobEventType | 'job.progress' }>;

/** Printer states that carry the outcome of the job they name. */
const OUTCOME_STATES: Partial<Record<PrinterState['state'], JobEventType>> = {
  printing: 'job.started',
  paused: 'job.paused',
  finished: 'job.finished',
  failed: 'job.failed',
  cancelled: 'job.cancelled',
  interrupted: 'job.interrupted',
};

/** The reason of a job closed because its printer was idle and no outcome had been reported. */
export const OUTCOME_NOT_REPORTED = 'ended while the job-service was not listening; outcome not reported';

const secondsBetween = (from: string | null, to: string) => (from ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : null);

/**
 * Records what the agents report about jobs: each event moves the job through the lifecycle
 * table (`@printfleet/scheduling`); duplicates are no-ops and out-of-order events are logged,
 * not thrown. A job the service never queued is recorded, not dropped. The retained printer
 * state is replayed at every (re)connect, so outcomes missed while the service was down are
 * recovered from it.
 */
@Injectable()
export class JobEventsService {
  private readonly log: Logger;

  constructor(
    private readonly jobs: JobRepository,
    private readonly files: FileRepository,
    private readonly commands: CommandPublisher,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'job-events' });
  }

  async onEvent(e: JobEvent): Promise<void> {
    if (e.type === 'job.progress') {
      await this.jobs.transition(e.jobId, ['printing', 'paused'], { progress: e.progress, lastConfirmedLine: e.line });
      return;
    }
    let job = await this.jobs.get(e.jobId);
    if (!job) job = await this.recordUnknown(e);
    if (!job) return;
    await this.apply(job, e.type, e.printerId, e.ts, this.detailsOf(e));
  }

  /** Brings a job in line with its printer's retained state (after a restart or missed events). */
  async onState(s: PrinterState): Promise<void> {
    const event = OUTCOME_STATES[s.state];
    if (s.job && event) {
      const job = await this.jobs.get(s.job.id);
      if (job) {
        const details: JobPatch = { progress: s.job.progress };
        if (event === 'job.failed' || event === 'job.cancelled' || event === 'job.interrupted') details.reason = s.reason ?? 'reported by the printer state';
        if (event === 'job.interrupted' && s.job.line !== undefined) details.lastConfirmedLine = s.job.line;
        await this.apply(job, event, s.printerId, s.ts, details);
      }
      return;
    }
    // The printer is idle but we think it prints: its outcome was never reported to us.
    if (s.state === 'ready' || s.state === 'offline' || s.state === 'error') {
      for (const job of await this.jobs.inStates(['printing', 'paused'])) {
        if (job.printerId !== s.printerId) continue;
        const reason =
          s.state === 'ready' ? OUTCOME_NOT_REPORTED : `printer ${s.state}${s.reason ? `: ${s.reason}` : ''}`;
        await this.apply(job, s.state === 'ready' ? 'job.failed' : 'job.interrupted', s.printerId, s.ts, { reason });
      }
    }
  }

  private async apply(job: JobRecord, type: JobEventType, printerId: string, ts: string, details: JobPatch): Promise<void> {
    // An outcome we concluded ourselves gives way to the agent's own report, should it come later.
    const inferred = job.state === 'failed' && job.reason === OUTCOME_NOT_REPORTED;
    const outcome = applyJobEvent(job.state, type, { inferred });
    if (outcome.kind === 'ignore') {
      this.log.warn({ jobId: job.id, type, state: job.state }, outcome.why);
      // A job cancelled while it was being dispatched must not print anyway.
      if (type === 'job.started' && job.state === 'cancelled')
        await this.commands.send(printerId, 'cancel', { commandId: newCommandId(), reason: 'job was cancelled before it started' });
      return;
    }
    if (outcome.kind === 'same') return;
    const to = outcome.to;
    const patch: JobPatch = { ...details, state: to, printerId };
    if (inferred) patch.reason = details.reason ?? null;
    if (to === 'printing' && !job.startedAt) patch.startedAt = ts;
    if (isTerminal(to)) {
      patch.endedAt = ts;
      patch.durationS ??= secondsBetween(job.startedAt ?? patch.startedAt ?? null, ts);
      patch.filamentUsedMm = await this.filamentUsed(job, to, details.progress ?? job.progress);
      if (to === 'finished') patch.progress = 100;
    }
    const moved = await this.jobs.transition(job.id, [job.state], patch);
    if (!moved) return this.log.warn({ jobId: job.id, type }, 'job changed meanwhile; event re-read');
    if (to === 'printing' && job.fileId) await this.files.markPrinted(job.fileId, ts);
    this.log.info({ jobId: job.id, printerId, from: job.state, to }, 'job state');
  }

  /** The file's filament for a full print; a share of it by progress for one that stopped early. */
  private async filamentUsed(job: JobRecord, to: JobState, progress: number | null): Promise<number | null> {
    const file = job.fileId ? await this.files.get(job.fileId) : null;
    if (!file?.filamentMm) return null;
    if (to === 'finished') return file.filamentMm;
    return progress === null ? null : (file.filamentMm * progress) / 100;
  }

  private detailsOf(e: JobEvent): JobPatch {
    switch (e.type) {
      case 'job.finished':
        return { durationS: e.durationS };
      case 'job.failed':
        return { reason: e.reason, lastConfirmedLine: e.line ?? null };
      case 'job.cancelled':
        return { reason: e.reason ?? 'cancelled' };
      case 'job.paused':
        return e.reason ? { reason: e.reason } : {};
      case 'job.interrupted':
        return { reason: e.reason, lastConfirmedLine: e.lastConfirmedLine };
      default:
        return {};
    }
  }

  private async recordUnknown(e: JobEvent): Promise<JobRecord | null> {
    const fileId = e.type === 'job.started' ? e.fileId : null;
    const file = fileId ? await this.files.get(fileId) : null;
    const name = (e.type === 'job.started' ? e.fileName : undefined) ?? file?.name ?? '(unknown file)';
    this.log.warn({ jobId: e.jobId, printerId: e.printerId, type: e.type }, 'agent reports a job this service did not queue; recording it');
    try {
      await this.jobs.insertObserved({ id: e.jobId, fileId: file?.id ?? null, fileName: name, printerId: e.printerId, state: 'queued', at: e.ts });
    } catch (err) {
      // The printer already has an active job on record; keep the record consistent and say so.
      this.log.error({ jobId: e.jobId, err: (err as Error).message }, 'could not record unknown job');
      return null;
    }
    return this.jobs.get(e.jobId);
  }
}
