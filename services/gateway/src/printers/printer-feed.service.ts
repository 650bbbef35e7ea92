import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  availabilitySchema,
  decodePayload,
  parseTopic,
  printerEventSchema,
  printerStateSchema,
  printerTelemetrySchema,
  TOPIC_PATTERNS,
} from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';
import { PrinterRegistry } from './printer-registry';

/**
 * Feeds the registry from the broker: retained state, telemetry, events and agent
 * availability. Every payload is validated against the contracts; a bad one is logged with its
 * reason and dropped, never shown.
 */
@Injectable()
export class PrinterFeed implements OnModuleInit {
  private readonly log: Logger;

  constructor(
    readonly registry: PrinterRegistry,
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'printer-feed' });
  }

  async onModuleInit(): Promise<void> {
    // Availability first, so a retained state is judged against its agent's status.
    await this.mqtt.subscribe(TOPIC_PATTERNS.availability.agents, (topic, payload) =>
      this.onAvailability(topic, payload),
    );
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerStream('state'), (topic, payload) =>
      this.onState(topic, payload),
    );
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerStream('telemetry'), (topic, payload) =>
      this.onTelemetry(topic, payload),
    );
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerStream('events'), (topic, payload) =>
      this.onEvent(topic, payload),
    );
  }

  private onAvailability(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'agent-availability') return;
    const value = availabilitySchema.safeParse(payload.toString());
    if (value.success) this.registry.setAgent(parsed.agentId, value.data);
    else if (payload.length === 0) this.registry.setAgent(parsed.agentId, 'unknown');
  }

  private onState(topic: string, payload: Buffer): void {
    const printerId = this.printerOf(topic);
    if (!printerId) return;
    if (payload.length === 0) return this.registry.removePrinter(printerId);
    const decoded = decodePayload(printerStateSchema, payload);
    if (!decoded.ok) return this.log.warn({ topic, reason: decoded.error }, 'dropped invalid printer state');
    if (decoded.value.printerId !== printerId)
      return this.log.warn({ topic }, 'dropped state whose printerId does not match its topic');
    if (!this.registry.applyState(decoded.value))
      this.log.debug({ topic, seq: decoded.value.seq }, 'dropped stale state');
  }

  private onTelemetry(topic: string, payload: Buffer): void {
    const printerId = this.printerOf(topic);
    const decoded = decodePayload(printerTelemetrySchema, payload);
    if (!decoded.ok) return this.log.debug({ topic, reason: decoded.error }, 'dropped invalid telemetry');
    if (decoded.value.printerId === printerId) this.registry.applyTelemetry(decoded.value);
  }

  private onEvent(topic: string, payload: Buffer): void {
    const printerId = this.printerOf(topic);
    const decoded = decodePayload(printerEventSchema, payload);
    if (!decoded.ok) return this.log.warn({ topic, reason: decoded.error }, 'dropped invalid printer event');
    if (decoded.value.printerId === printerId) this.registry.applyEvent(decoded.value);
  }

  private printerOf(topic: string): string | null {
    const parsed = parseTopic(topic);
    return parsed?.kind === 'printer-stream' ? parsed.printerId : null;
  }
}
