import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isValidId } from '@printfleet/contracts';
import { moveInQueue, QUEUED_JOB_STATES, type JobConstraints } from '@printfleet/scheduling';
import { AuditRepository } from '../audit/audit.repository';
import { nowIso } from '../clock';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { JobServiceError, invalid, notFound } from '../errors';
import { CommandPublisher, newCommandId } from '../fleet/command-publisher';
import { FileRepository } from '../files/file.repository';
import { JobRepository } from './job.repository';
import type { JobRecord, NewJob } from './job.types';

export interface CreateJobs {
  fileId: string;
  /** One printer; several (one job each); or none: the fleet queue. */
  printerId?: string;
  printerIds?: string[];
  constraints?: JobConstraints;
  held?: boolean;
  requestedBy: string;
}

/** Queue operations asked for over HTTP: create, cancel, hold/release, reorder, reprint. */
@Injectable()
export class JobQueueService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly files: FileRepository,
    private readonly dispatcher: DispatcherService,
    private readonly commands: CommandPublisher,
    private readonly audit: AuditRepository,
  ) {}

  async create(req: CreateJobs, reprintOf: string | null = null): Promise<JobRecord[]> {
    const file = await this.files.get(req.fileId);
    if (!file) throw notFound('file', req.fileId);
    if (file.analysisState === 'failed') throw new JobServiceError('FILE_NOT_PRINTABLE', `file ${file.id} cannot be printed: ${file.analysisError}`);
    const targets = req.printerIds ?? (req.printerId ? [req.printerId] : [null]);
    if (targets.length === 0 || targets.length > 100) throw invalid('printerIds: 1 to 100 printers');
    for (const t of targets) if (t !== null && !isValidId(t)) throw invalid(`printer id ${JSON.stringify(t)} is not valid`);
    const batch: NewJob[] = targets.map((targetPrinterId) => ({
      id: randomUUID(),
      fileId: file.id,
      fileName: file.name,
      fileSha256: file.sha256,
      fileSize: file.size,
      requestedBy: req.requestedBy,
      state: req.held ? 'held' : 'queued',
      targetPrinterId,
      constraints: req.constraints ?? {},
      reprintOf,
    }));
    await this.jobs.enqueue(batch);
    for (const j of batch) await this.audit.record(req.requestedBy, reprintOf ? 'job.reprint' : 'job.create', 'job', j.id, { fileId: file.id, printerId: j.targetPrinterId });
    void this.dispatcher.request();
    return Promise.all(batch.map(async (j) => (await this.jobs.get(j.id))!));
  }

  async get(id: string): Promise<JobRecord> {
    const job = await this.jobs.get(id);
    if (!job) throw notFound('job', id);
    return job;
  }

  async queue(): Promise<JobRecord[]> {
    return this.jobs.queue();
  }

  /**
   * A job still waiting is cancelled at once. One on a printer gets `cmd/cancel`; its record
   * changes when the agent reports `job.cancelled` (the agent owns what the printer does). A job
   * being dispatched is marked cancelled now; should it start anyway, it is cancelled again.
   */
  async cancel(id: string, actor: string, reason?: string): Promise<JobRecord> {
    const job = await this.get(id);
    const why = reason ?? `cancelled by ${actor}`;
    if (job.state === 'queued' || job.state === 'held' || job.state === 'dispatching') {
      const done = await this.jobs.transition(id, [job.state], { state: 'cancelled', reason: why, endedAt: nowIso() });
      if (!done) throw new JobServiceError('INVALID_STATE', `job ${id} changed meanwhile; try again`);
      if (job.state === 'dispatching' && job.printerId) await this.commands.send(job.printerId, 'cancel', { commandId: newCommandId(), requestedBy: actor.slice(0, 200), reason: why });
    } else if ((job.state === 'printing' || job.state === 'paused') && job.printerId) {
      await this.commands.send(job.printerId, 'cancel', { commandId: newCommandId(), requestedBy: actor.slice(0, 200), reason: why });
    } else throw new JobServiceError('INVALID_STATE', `job ${id} is ${job.state}: nothing to cancel`);
    await this.audit.record(actor, 'job.cancel', 'job', id, { from: job.state, reason: why });
    void this.dispatcher.request();
    return this.get(id);
  }

  async hold(id: string, actor: string): Promise<JobRecord> {
    return this.setHeld(id, actor, true);
  }

  async release(id: string, actor: string): Promise<JobRecord> {
    return this.setHeld(id, actor, false);
  }

  private async setHeld(id: string, actor: string, held: boolean): Promise<JobRecord> {
    const job = await this.get(id);
    const [from, to] = held ? (['queued', 'held'] as const) : (['held', 'queued'] as const);
    if (job.state === to) return job;
    if (!(await this.jobs.transition(id, [from], { state: to })))
      throw new JobServiceError('INVALID_STATE', `job ${id} is ${job.state}: only a ${from} job can be ${held ? 'held' : 'released'}`);
    await this.audit.record(actor, held ? 'job.hold' : 'job.release', 'job', id);
    if (!held) void this.dispatcher.request();
    return this.get(id);
  }

  /** Moves a waiting job to `position` (0 = first) in the queue. */
  async move(id: string, position: number, actor: string): Promise<JobRecord[]> {
    if (!Number.isInteger(position)) throw invalid('position: an integer, 0 for the front of the queue');
    const queue = await this.jobs.queue();
    if (!queue.some((j) => j.id === id)) {
      const job = await this.get(id);
      if (!QUEUED_JOB_STATES.includes(job.state)) throw new JobServiceError('INVALID_STATE', `job ${id} is ${job.state}, not in the queue`);
    }
    await this.jobs.setQueueOrder(moveInQueue(queue.map((j) => j.id), id, position));
    await this.audit.record(actor, 'job.move', 'job', id, { position });
    void this.dispatcher.request();
    return this.jobs.queue();
  }

  /** A new job for the same file, to the same printer unless told otherwise. */
  async reprint(id: string, actor: string, printerId?: string | null): Promise<JobRecord> {
    const old = await this.get(id);
    if (!old.fileId) throw new JobServiceError('INVALID_STATE', `the file of job ${id} is no longer in the library`);
    const target = printerId === undefined ? (old.printerId ?? undefined) : (printerId ?? undefined);
    const [job] = await this.create({ fileId: old.fileId, printerId: target, requestedBy: actor }, old.id);
    return job!;
  }
}
