import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { topicMatches } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';

export interface MqttConnectionOptions {
  url: string;
  username: string;
  password: string;
  clientId: string;
  /** Retained `online` on every (re)connect, `offline` as last will and on a clean stop. */
  availabilityTopic: string;
  logger: Logger;
  /** Reconnect delay; mqtt.js retries forever at this period. */
  reconnectPeriodMs?: number;
  /**
   * Keep the session (MQTT 3.1.1 §3.1.2.4, clean session = 0): the broker queues QoS 1 messages
   * for our subscriptions while we are away and delivers them on reconnect, so a restarted
   * service misses no event. Needs a clientId that stays the same across restarts.
   */
  persistentSession?: boolean;
}

type Handler = (topic: string, payload: Buffer) => void;

/**
 * The one MQTT client of a service. It announces availability (retained, with a last will),
 * re-runs every `onConnect` hook after each reconnect so that retained topics the service
 * owns are republished after a broker restart (Aedes keeps retained messages in memory only),
 * and routes messages to handlers by filter. A handler that throws is logged, never fatal.
 */
export class MqttConnection {
  private client: MqttClient | null = null;
  private readonly handlers: { filter: string; handler: Handler }[] = [];
  private readonly connectHooks: (() => void | Promise<void>)[] = [];
  private readonly log: Logger;
  /** True once this connection's hooks have all run; hooks added later run at once. */
  private announced = false;

  constructor(private readonly options: MqttConnectionOptions) {
    this.log = options.logger.child({ component: 'mqtt' });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Resolves on the first successful connection; later reconnects happen in the background. */
  async start(): Promise<void> {
    const { url, username, password, clientId, availabilityTopic } = this.options;
    const opts: IClientOptions = {
      username,
      password,
      clientId,
      clean: !this.options.persistentSession,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 1000,
      connectTimeout: 10_000,
      will: { topic: availabilityTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    };
    const client = mqtt.connect(url, opts);
    this.client = client;
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
    client.on('error', (err) => this.log.warn({ err: err.message }, 'MQTT error'));
    client.on('offline', () => this.log.warn({ url }, 'MQTT broker unreachable, retrying'));
    client.on('close', () => (this.announced = false));
    client.on('connect', () => {
      this.log.info({ url }, 'connected to MQTT broker');
      void this.announce();
    });
    await new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        client.off('error', onFatal);
        const filters = [...new Set(this.handlers.map((h) => h.filter))];
        if (filters.length === 0) return resolve();
        client.subscribeAsync(filters, { qos: 1 }).then(() => resolve(), reject);
      };
      // Bad credentials will never get better by retrying: stop and say so.
      const onFatal = (err: Error & { code?: number }) => {
        if (err.code === 4 || err.code === 5) {
          client.off('connect', onConnect);
          client.end(true);
          reject(new Error(`MQTT broker ${url} refused ${username}: ${err.message}`));
        }
      };
      client.once('connect', onConnect);
      client.on('error', onFatal);
    });
  }

  /** Registers a hook run after every (re)connect, e.g. republishing retained state. */
  onConnect(hook: () => void | Promise<void>): void {
    this.connectHooks.push(hook);
    // While announce() runs, its for-of loop picks up hooks appended to the array.
    if (this.announced) void this.runHook(hook);
  }

  /**
   * Routes messages matching `filter` to `handler`. Called before `start()`, the broker
   * subscription is made on connect, so with a persistent session no queued message arrives
   * before its handler exists.
   */
  async subscribe(filter: string, handler: Handler): Promise<void> {
    this.handlers.push({ filter, handler });
    // mqtt.js skips a SUBSCRIBE for a filter it already has, and then the broker does not
    // replay retained messages (MQTT 3.1.1 §3.3.1.3): a second handler on the same filter would
    // never see the current state. Force it. Handlers already get retained messages again after
    // every reconnect, so the replay they see here is nothing new to them.
    if (this.client) await this.client.subscribeAsync({ [filter]: { qos: 1 }, resubscribe: true } as never);
  }

  async publish(topic: string, payload: string | Buffer, options: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
    await this.requireClient().publishAsync(topic, payload, { qos: options.qos ?? 1, retain: options.retain ?? false });
  }

  /** Publishes `offline` (a clean stop is not a crash, but others must still know) and closes. */
  async stop(timeoutMs = 3000): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = null;
    // A stop must never hang: with the broker gone, a polite goodbye would wait forever.
    const deadline = <T>(work: Promise<T>) =>
      Promise.race([work, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref())]);
    if (client.connected) {
      const sent = await deadline(
        client
          .publishAsync(this.options.availabilityTopic, 'offline', { qos: 1, retain: true })
          .catch((err: Error) => this.log.warn({ err: err.message }, 'could not publish offline')),
      );
      if (sent === 'timeout') {
        // Without that acknowledgement, leave without a DISCONNECT: the broker then publishes our
        // last will (`offline`), which a clean DISCONNECT would cancel (MQTT 3.1.1 §3.14.4).
        this.log.warn('broker did not acknowledge offline in time; leaving the last will to say it');
        await client.endAsync(true);
        return;
      }
    }
    if ((await deadline(client.endAsync(!client.connected))) === 'timeout') await client.endAsync(true);
  }

  private async announce(): Promise<void> {
    await this.publish(this.options.availabilityTopic, 'online', { qos: 1, retain: true }).catch((err: Error) =>
      this.log.warn({ err: err.message }, 'could not publish online'),
    );
    for (const hook of this.connectHooks) await this.runHook(hook);
    this.announced = true;
  }

  private async runHook(hook: () => void | Promise<void>): Promise<void> {
    try {
      await hook();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'reconnect hook failed');
    }
  }

  private dispatch(topic: string, payload: Buffer): void {
    for (const { filter, handler } of this.handlers) {
      if (!topicMatches(filter, topic)) continue;
      try {
        handler(topic, payload);
      } catch (err) {
        this.log.error({ err: (err as Error).message, topic }, 'message handler failed');
      }
    }
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error('MQTT connection not started');
    return this.client;
  }
}
