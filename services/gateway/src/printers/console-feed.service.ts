import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { consoleLineSchema, decodePayload, parseTopic, TOPIC_PATTERNS, type ConsoleLine } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';

/**
 * The printers' serial consoles (`printfleet/v1/printers/+/console`: what each agent sends to and
 * receives from its printer), validated and handed to listeners as they arrive. Nothing is kept:
 * the console is a stream to watch, not a record. Only admins hear it (LiveServer decides).
 */
@Injectable()
export class ConsoleFeed implements OnModuleInit {
  private readonly listeners = new Set<(line: ConsoleLine) => void>();
  private readonly log: Logger;

  constructor(
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'console-feed' });
  }

  async onModuleInit(): Promise<void> {
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerStream('console'), (topic, payload) =>
      this.receive(topic, payload),
    );
  }

  subscribe(listener: (line: ConsoleLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'printer-stream') return;
    const decoded = decodePayload(consoleLineSchema, payload);
    if (!decoded.ok) return this.log.debug({ topic, reason: decoded.error }, 'dropped invalid console line');
    if (decoded.value.printerId !== parsed.printerId) return;
    for (const fn of this.listeners) fn(decoded.value);
  }
}
