import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
  text: string;
  json<T = unknown>(): T;
}

/**
 * A real mqtt.js client that records everything it receives, so a test can await a message
 * (`waitFor`) instead of sleeping. Every wait has a deadline and says what it waited for.
 */
export class MqttProbe {
  readonly messages: ReceivedMessage[] = [];
  private waiters: { match: (m: ReceivedMessage) => boolean; resolve: (m: ReceivedMessage) => void }[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const message: ReceivedMessage = {
        topic,
        payload,
        retain: packet.retain,
        text: payload.toString(),
        json: <T>() => JSON.parse(payload.toString()) as T,
      };
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
    });
  }

  static async connect(url: string, options: IClientOptions = {}): Promise<MqttProbe> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    return new MqttProbe(client);
  }

  /** Granted QoS per filter, 128 where the broker refused it (MQTT 3.1.1 §3.9.3). */
  async subscribe(filter: string | string[]): Promise<number[]> {
    try {
      const granted = await this.client.subscribeAsync(filter, { qos: 1 });
      return granted.map((g) => g.qos);
    } catch (err) {
      const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
      if (!granted) throw err;
      return granted;
    }
  }

  /** Resolves with the first message (already received or future) on `topic` that passes `predicate`. */
  waitFor(topic: string, predicate: (m: ReceivedMessage) => boolean = () => true, timeoutMs = 10_000): Promise<ReceivedMessage> {
    const match = (m: ReceivedMessage) => m.topic === topic && predicate(m);
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  received(topic: string): ReceivedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/** Resolves when the client is closed by the broker (or errors), with the reason if any. */
export function waitForClose(client: MqttClient, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected) return resolve();
    const timer = setTimeout(() => reject(new Error(`client still connected after ${timeoutMs} ms`)), timeoutMs);
    client.once('close', () => (clearTimeout(timer), resolve()));
  });
}
