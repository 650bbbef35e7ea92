import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { ACTIVE_JOB_STATES, planDispatch, type DispatchableJob, type PrinterCandidate } from '@printfleet/scheduling';
import { LOGGER } from '@printfleet/service-kit';
import { AuditRepository } from '../audit/audit.repository';
import { nowIso } from '../clock';
import { FleetPresence } from '../fleet/fleet-presence';
import { CommandPublisher, newCommandId } from '../fleet/command-publisher';
import { InternalAuth } from '../http/internal-token';
import { JobRepository } from '../jobs/job.repository';
import type { JobRecord } from '../jobs/job.types';
import { PrinterRepository } from '../printers/printer.repository';
import { JOB_SETTINGS, type JobSettings } from '../settings';

/**
 * Starts queued jobs on free printers. The choice is the pure `planDispatch`; this class only
 * feeds it from the database and the retained states, and carries the plan out:
 * queued → dispatching (guarded in SQL, and a unique index allows one active job per printer),
 * then `cmd/start`. The job stays `dispatching` until the agent reports it started; a refusal or
 * silence past the timeout puts it back in the queue at its place.
 * Runs are serialised and coalesced: many triggers while one runs cause one more run.
 */
@Injectable()
export class DispatcherService {
  private running: Promise<void> | null = null;
  private again = false;
  /** Printers that refused a start, until their state changes (stops a refuse-retry loop). */
  private readonly refusedAtSeq = new Map<string, number>();
  private readonly log: Logger;

  constructor(
    private readonly jobs: JobRepository,
    private readonly printers: PrinterRepository,
    private readonly presence: FleetPresence,
    private readonly commands: CommandPublisher,
    private readonly auth: InternalAuth,
    private readonly audit: AuditRepository,
    @Inject(JOB_SETTINGS) private readonly settings: JobSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'dispatcher' });
  }

  /** Asks for a dispatch pass; resolves when a pass that saw this request has finished. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass().catch((err: Error) => this.log.error({ err: err.message }, 'dispatch pass failed'));
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    const [queue, registry, active] = await Promise.all([this.jobs.queue(), this.printers.list(), this.jobs.inStates(ACTIVE_JOB_STATES)]);
    const busy = new Set(active.map((j) => j.printerId));
    const candidates: PrinterCandidate[] = registry.map((p) => {
      const live = this.presence.state(p.id);
      const refused = this.refusedAtSeq.get(p.id);
      return {
        printerId: p.id,
        state: live?.state ?? 'offline',
        online: live !== undefined && this.presence.agentOnline(live.agentId),
        busy: busy.has(p.id) || (refused !== undefined && refused === live?.seq),
        profile: p.profile,
      };
    });
    // A file still being analysed has no bounding box yet: it waits rather than risk the bed.
    const ready: DispatchableJob[] = queue
      .filter((j) => j.state === 'queued' && j.fileAnalysis === 'done')
      .map((j) => ({ jobId: j.id, position: j.queue.position, targetPrinterId: j.queue.targetPrinterId, constraints: j.queue.constraints, bbox: j.fileBbox }));
    const byId = new Map(queue.map((j) => [j.id, j]));
    for (const a of planDispatch(ready, candidates)) await this.start(byId.get(a.jobId)!, a.printerId);
  }

  private async start(job: JobRecord, printerId: string): Promise<void> {
    const commandId = newCommandId();
    let claimed = false;
    try {
      claimed = await this.jobs.transition(job.id, ['queued'], { state: 'dispatching', printerId, commandId, dispatchedAt: nowIso(), reason: null });
    } catch (err) {
      this.log.warn({ jobId: job.id, printerId, err: (err as Error).message }, 'could not claim printer');
    }
    if (!claimed || !job.fileId || !job.fileSha256 || job.fileSize === null) return;
    const expires = Math.floor(Date.now() / 1000) + this.settings.downloadUrlTtlS;
    const url = `${this.settings.publicUrl}/files/${job.fileId}/content?expires=${expires}&sig=${this.auth.signDownload(job.fileId, expires)}`;
    try {
      await this.commands.send(printerId, 'start', {
        commandId,
        jobId: job.id,
        requestedBy: job.requestedBy.slice(0, 200),
        file: { id: job.fileId, name: job.fileName, sha256: job.fileSha256, size: job.fileSize, url },
      });
      this.log.info({ jobId: job.id, printerId, commandId }, 'job dispatched');
      await this.audit.record('dispatcher', 'job.dispatch', 'job', job.id, { printerId, commandId });
    } catch (err) {
      this.log.error({ jobId: job.id, printerId, err: (err as Error).message }, 'cmd/start could not be sent');
      await this.backToQueue(job.id, commandId, `cmd/start could not be sent: ${(err as Error).message}`);
    }
  }

  /** The agent's answer to cmd/start: a refusal puts the job back in the queue at its place. */
  async onStartReply(printerId: string, commandId: string, accepted: boolean, reason: string | undefined): Promise<void> {
    if (accepted) return;
    const job = await this.jobs.byCommandId(commandId);
    if (!job || job.state !== 'dispatching') return;
    const seq = this.presence.state(printerId)?.seq;
    if (seq !== undefined) this.refusedAtSeq.set(printerId, seq);
    this.log.warn({ jobId: job.id, printerId, reason }, 'agent refused cmd/start');
    await this.backToQueue(job.id, commandId, `refused by ${printerId}: ${reason ?? 'no reason given'}`);
  }

  /** Dispatches the agent never acted on (it was offline, the message was lost) go back to the queue. */
  async sweepStale(now = Date.now()): Promise<void> {
    for (const job of await this.jobs.inStates(['dispatching'])) {
      if (!job.dispatchedAt || now - Date.parse(job.dispatchedAt) < this.settings.dispatchTimeoutMs) continue;
      const live = job.printerId ? this.presence.state(job.printerId) : undefined;
      if (live?.job?.id === job.id) continue;
      await this.backToQueue(job.id, job.commandId, `not started by ${job.printerId} within ${this.settings.dispatchTimeoutMs / 1000} s`);
    }
  }

  private async backToQueue(jobId: string, commandId: string | null, reason: string): Promise<void> {
    const done = await this.jobs.transition(jobId, ['dispatching'], { state: 'queued', printerId: null, commandId: null, dispatchedAt: null, reason });
    if (done) {
      await this.audit.record('dispatcher', 'job.requeue', 'job', jobId, { reason, commandId });
      void this.request();
    }
  }
}
