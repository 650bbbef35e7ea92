import {
  commandReplySchema,
  consoleLineSchema,
  encodePayload,
  printerCommandReplyTopic,
  printerConsoleTopic,
  printerEventSchema,
  printerEventsTopic,
  printerStateSchema,
  printerStateTopic,
  printerTelemetrySchema,
  printerTelemetryTopic,
  type CommandReply,
  type CommandVerb,
  type PrinterEvent,
  type PrinterState,
  type PrinterTelemetry,
} from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';

/** The part of `MqttConnection` a publisher needs (tests and the agent pass the real one). */
export interface Publisher {
  publish(topic: string, payload: string, options: { qos: 0 | 1; retain: boolean }): Promise<void>;
}

type EventBody = PrinterEvent extends infer E ? (E extends PrinterEvent ? Omit<E, 'printerId' | 'ts'> : never) : never;

/**
 * Everything one printer puts on MQTT, through the contracts' topic builders and schemas (a
 * publisher bug throws here instead of reaching the wire). Keeps the last state so it can be
 * republished after a broker reconnect (Aedes keeps retained messages in memory only).
 */
export class PrinterPublisher {
  private lastState: PrinterState | null = null;

  constructor(
    readonly printerId: string,
    private readonly mqtt: Publisher,
    private readonly log: Logger,
  ) {}

  state(snapshot: PrinterState): void {
    this.lastState = snapshot;
    this.send(printerStateTopic(this.printerId), encodePayload(printerStateSchema, snapshot), 1, true);
  }

  republishState(): void {
    if (this.lastState) this.state(this.lastState);
  }

  event(body: EventBody): void {
    const event = { ...body, printerId: this.printerId, ts: new Date().toISOString() } as PrinterEvent;
    this.send(printerEventsTopic(this.printerId), encodePayload(printerEventSchema, event), 1, false);
  }

  telemetry(t: PrinterTelemetry): void {
    this.send(printerTelemetryTopic(this.printerId), encodePayload(printerTelemetrySchema, t), 0, false);
  }

  console(direction: 'tx' | 'rx', line: string): void {
    const payload = { printerId: this.printerId, ts: new Date().toISOString(), direction, line: line.slice(0, 2000) };
    this.send(printerConsoleTopic(this.printerId), encodePayload(consoleLineSchema, payload), 0, false);
  }

  reply(verb: CommandVerb, reply: CommandReply): void {
    this.send(printerCommandReplyTopic(this.printerId, verb), encodePayload(commandReplySchema, reply), 1, false);
  }

  private send(topic: string, payload: string, qos: 0 | 1, retain: boolean): void {
    this.mqtt.publish(topic, payload, { qos, retain }).catch((err: Error) => this.log.warn({ err: err.message, topic }, 'publish failed'));
  }
}
