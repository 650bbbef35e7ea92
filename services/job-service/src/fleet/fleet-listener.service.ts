import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  commandReplySchema,
  decodePayload,
  parseTopic,
  printerEventSchema,
  printerStateSchema,
} from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { AnalysisService } from '../files/analysis.service';
import { JobEventsService } from '../jobs/job-events.service';
import { PrinterRepository } from '../printers/printer.repository';
import { JOB_SETTINGS, type JobSettings } from '../settings';
import { TemperatureRecorder } from '../temperatures/temperature-recorder.service';
import { FleetInbox } from './fleet-inbox';
import { FleetPresence } from './fleet-presence';

/**
 * The service's ears on the broker: agent availability, retained printer states, job events,
 * command replies, and telemetry (handed to the temperature recorder). Messages are handled one
 * at a time, in arrival order (a job's `started` must be recorded before its `finished`); a bad
 * payload is logged with its reason and dropped. They
 * come through the `FleetInbox`, which holds what the broker delivered (events queued in the
 * persistent session while the service was down) until this listener is ready.
 */
@Injectable()
export class FleetListenerService implements OnApplicationBootstrap, OnModuleDestroy {
  private chain: Promise<void> = Promise.resolve();
  private sweep: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(
    private readonly inbox: FleetInbox,
    private readonly presence: FleetPresence,
    private readonly printers: PrinterRepository,
    private readonly events: JobEventsService,
    private readonly dispatcher: DispatcherService,
    private readonly analysis: AnalysisService,
    private readonly temperatures: TemperatureRecorder,
    @Inject(JOB_SETTINGS) private readonly settings: JobSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'fleet' });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.inbox.early) this.log.warn('fleet inbox attached after the broker connection: events queued while down may be lost');
    await this.inbox.ready;
    const handle = (fn: (topic: string, payload: Buffer) => Promise<void>) => (topic: string, payload: Buffer) => {
      this.chain = this.chain.then(() => fn(topic, payload)).catch((err: Error) => this.log.error({ topic, err: err.message }, 'message handling failed'));
    };
    const onAvailability = handle(async (topic, payload) => this.onAvailability(topic, payload));
    const onState = handle(async (_t, payload) => this.onState(payload));
    const onEvent = handle(async (_t, payload) => this.onEvent(payload));
    const onReply = handle(async (topic, payload) => this.onReply(topic, payload));
    if (this.inbox.pending) this.log.info({ messages: this.inbox.pending }, 'handling messages received while starting');
    this.inbox.open((topic, payload) => {
      const t = parseTopic(topic);
      if (t?.kind === 'agent-availability') return onAvailability(topic, payload);
      if (t?.kind === 'printer-command-reply') return onReply(topic, payload);
      if (t?.kind !== 'printer-stream') return;
      if (t.stream === 'state') return onState(topic, payload);
      if (t.stream === 'events') return onEvent(topic, payload);
      if (t.stream === 'telemetry') return this.temperatures.offer(payload);
    });
    // A file whose analysis just finished may be what a queued job was waiting for.
    this.analysis.onAnalyzed(() => void this.dispatcher.request());
    this.sweep = setInterval(() => {
      this.chain = this.chain.then(() => this.dispatcher.sweepStale()).then(() => this.dispatcher.request());
    }, this.settings.sweepIntervalMs);
    this.sweep.unref();
    void this.dispatcher.request();
  }

  onModuleDestroy(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    return this.chain;
  }

  /** Resolves once every message received so far has been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async onAvailability(topic: string, payload: Buffer): Promise<void> {
    const t = parseTopic(topic);
    if (t?.kind !== 'agent-availability') return;
    this.presence.setAgent(t.agentId, payload.toString() === 'online');
    await this.dispatcher.request();
  }

  private async onState(payload: Buffer): Promise<void> {
    // An empty retained payload is an agent giving a printer up: nothing to record.
    if (payload.length === 0) return;
    const decoded = decodePayload(printerStateSchema, payload);
    if (!decoded.ok) return this.log.warn({ reason: decoded.error }, 'invalid printer state dropped');
    const s = decoded.value;
    if (!this.presence.setState(s)) return;
    await this.printers.observe({
      printerId: s.printerId,
      agentId: s.agentId,
      state: s.state,
      seq: s.seq,
      ts: s.ts,
      displayName: s.displayName,
      firmware: s.firmware ? `${s.firmware.name}${s.firmware.version ? ` ${s.firmware.version}` : ''}` : undefined,
    });
    await this.events.onState(s);
    await this.dispatcher.request();
  }

  private async onEvent(payload: Buffer): Promise<void> {
    const decoded = decodePayload(printerEventSchema, payload);
    if (!decoded.ok) return this.log.warn({ reason: decoded.error }, 'invalid printer event dropped');
    const e = decoded.value;
    if (!e.type.startsWith('job.')) return;
    await this.events.onEvent(e as Parameters<JobEventsService['onEvent']>[0]);
    if (e.type !== 'job.progress') await this.dispatcher.request();
  }

  private async onReply(topic: string, payload: Buffer): Promise<void> {
    const t = parseTopic(topic);
    if (t?.kind !== 'printer-command-reply' || t.verb !== 'start') return;
    const decoded = decodePayload(commandReplySchema, payload);
    if (!decoded.ok || decoded.value.commandId === null) return;
    await this.dispatcher.onStartReply(t.printerId, decoded.value.commandId, decoded.value.accepted, decoded.value.reason);
  }
}
