import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { encodePayload, jobChangedTopic, jobChangeSchema, LIMITS, type JobChange } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';
import { nowIso } from '../clock';
import { JobChanges } from './job-changes';
import { JobRepository } from './job.repository';
import type { JobRecord } from './job.types';

export function toJobChange(job: JobRecord, ts: string): JobChange {
  return {
    jobId: job.id,
    state: job.state,
    ...(job.printerId ? { printerId: job.printerId } : {}),
    fileId: job.fileId,
    fileName: job.fileName.slice(0, LIMITS.shortText),
    progress: job.progress,
    reason: job.reason === null ? null : job.reason.slice(0, LIMITS.longText),
    ts,
  };
}

/**
 * Tells the other services (the gateway relays it to browsers) that a job changed: after each
 * commit (`JobChanges`), the job as it now is goes out on `jobChangedTopic()`, QoS 1, not
 * retained, validated against `jobChangeSchema`. One at a time, in the order of the changes;
 * several changes of one job in a row each publish the latest record.
 */
@Injectable()
export class JobChangePublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private chain: Promise<void> = Promise.resolve();
  private off: (() => void) | null = null;
  private readonly log: Logger;

  constructor(
    private readonly changes: JobChanges,
    private readonly jobs: JobRepository,
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'job-changes' });
  }

  onApplicationBootstrap(): void {
    this.off = this.changes.onChange((jobId) => {
      this.chain = this.chain.then(() => this.publish(jobId)).catch((err: Error) => this.log.warn({ jobId, err: err.message }, 'job change not published'));
    });
  }

  /** Stops listening; a publish waiting for the broker is not awaited (it may never come). */
  onModuleDestroy(): void {
    this.off?.();
  }

  /** Resolves when every change so far is published (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async publish(jobId: string): Promise<void> {
    const job = await this.jobs.get(jobId);
    if (!job) return;
    await this.mqtt.publish(jobChangedTopic(), encodePayload(jobChangeSchema, toJobChange(job, nowIso())), { qos: 1, retain: false });
  }
}
