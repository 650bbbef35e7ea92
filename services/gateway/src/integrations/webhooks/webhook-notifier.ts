import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { JobChange } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { CLOCK, type Clock } from '../../clock';
import { JobChangeFeed } from '../../jobs/job-change-feed.service';
import { JobServiceClient } from '../../jobs/job-service-client';
import { PrinterRegistry } from '../../printers/printer-registry';
import type { RegistryChange } from '../../printers/printer-view';
import { WebhookDispatcher } from './webhook-dispatcher';
import { webhookEvent, type WebhookEvent } from './webhook-event';

const JOB_OUTCOMES = new Set(['finished', 'failed', 'cancelled']);
/** Outcomes already announced (a job change may be published twice with the same record). */
const REMEMBERED = 2000;

/**
 * Turns what the gateway already hears into webhook events: job outcomes from the job-service's
 * job changes, a printer entering `error` from the agents' retained states, and "queue empty"
 * when the job-service's queue (read after each job change, one read at a time) drops to none.
 */
@Injectable()
export class WebhookNotifier implements OnModuleInit, OnModuleDestroy {
  private readonly log: Logger;
  private readonly stops: (() => void)[] = [];
  private readonly announced = new Set<string>();
  private readonly printerStates = new Map<string, string>();
  private startedAt = 0;
  private queueLength: number | null = null;
  private checking = false;
  private checkAgain = false;
  private closed = false;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly jobs: JobChangeFeed,
    private readonly printers: PrinterRegistry,
    private readonly client: JobServiceClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'webhooks' });
  }

  onModuleInit(): void {
    if (!this.dispatcher.enabled) return;
    this.startedAt = this.clock.now();
    this.stops.push(
      this.jobs.onChange((c) => this.onJob(c)),
      this.printers.onChange((c) => this.onPrinter(c)),
    );
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const stop of this.stops) stop();
  }

  private emit(type: WebhookEvent['type'], data: WebhookEvent['data']): void {
    this.dispatcher.send(webhookEvent(type, data, new Date(this.clock.now())));
  }

  private onJob(change: JobChange): void {
    if (JOB_OUTCOMES.has(change.state)) {
      const key = `${change.jobId}:${change.state}`;
      if (!this.announced.has(key)) {
        this.announced.add(key);
        if (this.announced.size > REMEMBERED) this.announced.delete(this.announced.values().next().value!);
        this.emit(`job.${change.state}` as WebhookEvent['type'], { job: change });
      }
    }
    this.checkQueue();
  }

  private onPrinter(change: RegistryChange): void {
    if (change.kind === 'removed') return void this.printerStates.delete(change.printerId);
    if (change.kind !== 'printer') return;
    const { state } = change.printer;
    const before = this.printerStates.get(state.printerId);
    this.printerStates.set(state.printerId, state.state);
    if (state.state !== 'error' || before === 'error') return;
    // A retained error older than this gateway was announced by the one before it.
    if (before === undefined && Date.parse(state.ts) < this.startedAt) return;
    this.emit('printer.error', {
      printer: {
        printerId: state.printerId,
        agentId: state.agentId,
        ...(state.displayName ? { displayName: state.displayName } : {}),
        state: state.state,
        ...(state.reason ? { reason: state.reason } : {}),
        since: state.ts,
      },
    });
  }

  /** Reads the queue after a job change; one read at a time, one more if changes came meanwhile. */
  private checkQueue(): void {
    if (this.checking) return void (this.checkAgain = true);
    this.checking = true;
    void (async () => {
      do {
        this.checkAgain = false;
        try {
          const { items } = (await this.client.json<{ items: unknown[] }>('GET', '/queue', 'webhooks')).body;
          if (items.length === 0 && (this.queueLength ?? 0) > 0) this.emit('queue.empty', { queue: { length: 0 } });
          this.queueLength = items.length;
        } catch (err) {
          this.log.warn({ err: (err as Error).message }, 'could not read the queue for the "queue empty" webhook');
        }
      } while (this.checkAgain && !this.closed);
      this.checking = false;
    })();
  }
}
