import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { MqttConnection } from '@printfleet/messaging';

/** Everything the job-service listens to on the broker. */
export const FLEET_FILTERS = [
  TOPIC_PATTERNS.availability.agents,
  TOPIC_PATTERNS.printerStream('state'),
  TOPIC_PATTERNS.printerStream('events'),
  TOPIC_PATTERNS.printerStream('telemetry'),
  TOPIC_PATTERNS.printerCommandReplies,
] as const;

export type InboxHandler = (topic: string, payload: Buffer) => void;

const TELEMETRY = TOPIC_PATTERNS.printerStream('telemetry');
const inboxes = new WeakMap<MqttConnection, FleetInbox>();

/**
 * Holds what the broker delivers on the fleet topics from the moment the connection is up until
 * the FleetListener is ready (database open, module initialised), then hands it over in arrival
 * order and forwards the rest live.
 *
 * Why: with a persistent session the broker delivers the QoS 1 messages it queued while the
 * service was down right after CONNACK, before any provider exists. mqtt.js acknowledges each
 * one as it arrives, so a message without a handler at that moment is lost for good. The inbox's
 * handlers must therefore be on the connection before `start()`: registered then, the filters are
 * also what `MqttConnection` subscribes to on connect.
 *
 * Telemetry is not kept while waiting: it is QoS 0, sampled, and the next reading comes anyway.
 */
export class FleetInbox {
  private buffer: { topic: string; payload: Buffer }[] | null = [];
  private handler: InboxHandler | null = null;
  /** Settles once the broker has the subscriptions (at connect for an early inbox). */
  ready: Promise<void> = Promise.resolve();

  private constructor(
    /** False when attached after the connection was started: messages before that may be lost. */
    readonly early: boolean,
  ) {}

  /** Attaches an inbox to `mqtt`; call it before `mqtt.start()`. */
  static attach(mqtt: MqttConnection): FleetInbox {
    const existing = inboxes.get(mqtt);
    if (existing) return existing;
    const inbox = new FleetInbox(!mqtt.connected);
    inboxes.set(mqtt, inbox);
    const subscribed = FLEET_FILTERS.map((filter) => mqtt.subscribe(filter, (topic, payload) => inbox.receive(filter, topic, payload)));
    inbox.ready = Promise.all(subscribed).then(() => undefined);
    return inbox;
  }

  /** The inbox attached to `mqtt`, or a new (late) one. */
  static of(mqtt: MqttConnection): FleetInbox {
    return inboxes.get(mqtt) ?? FleetInbox.attach(mqtt);
  }

  /** Number of messages waiting for `open`. */
  get pending(): number {
    return this.buffer?.length ?? 0;
  }

  /** Starts delivering: first what was held, in arrival order, then every new message. */
  open(handler: InboxHandler): void {
    if (this.handler) throw new Error('fleet inbox already open');
    this.handler = handler;
    const held = this.buffer ?? [];
    this.buffer = null;
    for (const m of held) handler(m.topic, m.payload);
  }

  private receive(filter: string, topic: string, payload: Buffer): void {
    if (this.handler) return this.handler(topic, payload);
    if (filter !== TELEMETRY) this.buffer?.push({ topic, payload });
  }
}

