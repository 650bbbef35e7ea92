import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  commandReplySchema,
  decodePayload,
  parseTopic,
  printerEventSchema,
  printerStateSchema,
  TOPIC_PATTERNS,
} from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';
import { DispatcherService } from '../dispatch/dispatcher.service';
import { AnalysisService } from '../files/analysis.service';
import { JobEventsService } from '../jobs/job-events.service';
import { PrinterRepository } from '../printers/printer.repository';
import { JOB_SETTINGS, type JobSettings } from '../settings';
import { FleetPresence } from './fleet-presence';

/**
 * The service's ears on the broker: agent availability, retained printer states, job events and
 * command replies. Messages are handled one at a time, in arrival order (a job's `started` must
 * be recorded before its `finished`); a bad payload is logged with its reason and dropped.
 */
@Injectable()
export class FleetListenerService implements OnApplicationBootstrap, OnModuleDestroy {
  private chain: Promise<void> = Promise.resolve();
  private sweep: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    private readonly presence: FleetPresence,
    private readonly printers: PrinterRepository,
    private readonly events: JobEventsService,
    private readonly dispatcher: DispatcherService,
    private readonly analysis: AnalysisService,
    @Inject(JOB_SETTINGS) private readonly settings: JobSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'fleet' });
  }

  async onApplicationBootstrap(): Promise<void> {
    const handle = (fn: (topic: string, payload: Buffer) => Promise<void>) => (topic: string, payload: Buffer) => {
      this.chain = this.chain.then(() => fn(topic, payload)).catch((err: Error) => this.log.error({ topic, err: err.message }, 'message handling failed'));
    };
    await this.mqtt.subscribe(TOPIC_PATTERNS.availability.agents, handle(async (topic, payload) => this.onAvailability(topic, payload)));
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerStream('state'), handle(async (_t, payload) => this.onState(payload)));
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerStream('events'), handle(async (_t, payload) => this.onEvent(payload)));
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerCommandReplies, handle(async (topic, payload) => this.onReply(topic, payload)));
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
