import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  commandReplySchema,
  decodePayload,
  parseTopic,
  TOPIC_PATTERNS,
  type CommandReply,
} from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';

interface Pending {
  printerId: string;
  resolve(reply: CommandReply): void;
  timer: NodeJS.Timeout;
}

export class ReplyTimeout extends Error {}

/**
 * Matches command replies to waiting requests by `commandId`. One subscription to every reply
 * topic, made at start, so a reply can never arrive before its waiter is listening.
 */
@Injectable()
export class ReplyWaiter implements OnModuleInit, OnModuleDestroy {
  private readonly pending = new Map<string, Pending>();

  constructor(
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.mqtt.subscribe(TOPIC_PATTERNS.printerCommandReplies, (topic, payload) =>
      this.onReply(topic, payload),
    );
  }

  onModuleDestroy(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  /** Register before publishing; rejects with ReplyTimeout after `timeoutMs`. */
  wait(commandId: string, printerId: string, timeoutMs: number): Promise<CommandReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(commandId);
        reject(new ReplyTimeout(commandId));
      }, timeoutMs);
      this.pending.set(commandId, { printerId, resolve, timer });
    });
  }

  cancel(commandId: string): void {
    const p = this.pending.get(commandId);
    if (p) clearTimeout(p.timer);
    this.pending.delete(commandId);
  }

  private onReply(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'printer-command-reply') return;
    const decoded = decodePayload(commandReplySchema, payload);
    if (!decoded.ok)
      return this.logger.warn({ topic, reason: decoded.error }, 'dropped invalid command reply');
    const id = decoded.value.commandId;
    const p = id === null ? undefined : this.pending.get(id);
    // Replies to other services' commands (the job-service's starts) pass by: not ours.
    if (!p || id === null || p.printerId !== parsed.printerId) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(decoded.value);
  }
}
