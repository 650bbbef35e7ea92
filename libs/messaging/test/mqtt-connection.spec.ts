import { rmSync } from 'node:fs';
import pino from 'pino';
import { printerStateTopic, serviceAvailabilityTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import { MqttProbe, startTestBroker, type TestBroker } from '@printfleet/testing';
import { MqttConnection } from '../src';

const logger = pino({ level: 'silent' });

describe('MqttConnection', () => {
  let broker: TestBroker;
  let observer: MqttProbe;

  beforeEach(async () => {
    broker = await startTestBroker();
    observer = await MqttProbe.connect(broker.url, await broker.account('observer'));
    await observer.subscribe(TOPIC_PATTERNS.everything);
  });
  afterEach(async () => {
    await observer.close();
    await broker.close();
  });

  const connection = async () =>
    new MqttConnection({
      url: broker.url,
      ...(await broker.account('job-service', 'job-service')),
      clientId: 'test-job-service',
      availabilityTopic: serviceAvailabilityTopic('job-service'),
      logger,
      reconnectPeriodMs: 100,
    });

  it('announces online (retained) and offline on a clean stop', async () => {
    const conn = await connection();
    await conn.start();
    const online = await observer.waitFor(serviceAvailabilityTopic('job-service'), (m) => m.text === 'online');
    expect(online.text).toBe('online');
    await conn.stop();
    await observer.waitFor(serviceAvailabilityTopic('job-service'), (m) => m.text === 'offline');
  });

  it('leaves offline behind as its last will when it dies without a goodbye', async () => {
    const conn = await connection();
    await conn.start();
    await observer.waitFor(serviceAvailabilityTopic('job-service'), (m) => m.text === 'online');
    // Kill the socket as a crash would.
    (conn as unknown as { client: { stream: { destroy(): void } } }).client.stream.destroy();
    await observer.waitFor(serviceAvailabilityTopic('job-service'), (m) => m.text === 'offline');
    await conn.stop();
  });

  it('gives the retained state to a second handler of an already subscribed filter', async () => {
    const conn = await connection();
    await conn.start();
    const agent = await MqttProbe.connect(broker.url, await broker.account('agent', 'agent-r', 'r'));
    await agent.client.publishAsync(printerStateTopic('p9'), '{"state":"ready"}', { qos: 1, retain: true });
    const first = new Promise<string>((resolve) => void conn.subscribe(TOPIC_PATTERNS.printerStream('state'), (_t, p) => resolve(p.toString())));
    expect(await first).toBe('{"state":"ready"}');
    const second = new Promise<string>((resolve) => void conn.subscribe(TOPIC_PATTERNS.printerStream('state'), (_t, p) => resolve(p.toString())));
    expect(await second).toBe('{"state":"ready"}');
    await agent.close();
    await conn.stop();
  });

  it('stops promptly even when the broker is already gone', async () => {
    const own = await startTestBroker();
    const conn = new MqttConnection({
      url: own.url,
      ...(await own.account('job-service', 'job-service')),
      clientId: 'stop-test',
      availabilityTopic: serviceAvailabilityTopic('job-service'),
      logger,
      reconnectPeriodMs: 100,
    });
    await conn.start();
    await own.broker.close();
    await conn.stop(500); // resolves: nothing waits for a broker that will never answer
    rmSync(own.dataDir, { recursive: true, force: true });
  });

  it('fails fast with a clear message on bad credentials', async () => {
    const conn = new MqttConnection({
      url: broker.url,
      username: 'job-service',
      password: 'wrong-password-here',
      clientId: 'x',
      availabilityTopic: serviceAvailabilityTopic('job-service'),
      logger,
    });
    await expect(conn.start()).rejects.toThrow(/refused job-service/);
  });

  it('republishes what it owns after the broker restarts, and receives again', async () => {
    const conn = await connection();
    await conn.start();
    let republished = 0;
    conn.onConnect(() => {
      republished++;
    });
    let gotState!: (text: string) => void;
    const stateReceived = new Promise<string>((resolve) => (gotState = resolve));
    await conn.subscribe(TOPIC_PATTERNS.printerStream('state'), (_t, p) => gotState(p.toString()));
    expect(republished).toBe(1);

    // Restart the broker on the same port: retained messages are gone, the owner must bring them back.
    await broker.restart();
    const observer2 = await MqttProbe.connect(broker.url, await broker.account('observer'));
    await observer2.subscribe(serviceAvailabilityTopic('job-service'));
    await observer2.waitFor(serviceAvailabilityTopic('job-service'), (m) => m.text === 'online');
    expect(republished).toBe(2);

    const agent = await MqttProbe.connect(broker.url, await broker.account('agent', 'agent-x', 'x'));
    await agent.client.publishAsync(printerStateTopic('p1'), '{"n":1}', { qos: 1 });
    expect(await stateReceived).toBe('{"n":1}');
    await observer2.close();
    await agent.close();
    await conn.stop();
  });
});


describe('MqttConnection with a persistent session', () => {
  it('receives the QoS 1 messages published while it was away', async () => {
    const broker = await startTestBroker();
    const creds = await broker.account('job-service', 'job-service');
    const open = () =>
      new MqttConnection({
        url: broker.url,
        ...creds,
        clientId: 'printfleet-job-service',
        availabilityTopic: serviceAvailabilityTopic('job-service'),
        logger,
        persistentSession: true,
      });
    const first = open();
    await first.start();
    await first.subscribe(TOPIC_PATTERNS.printerStream('events'), () => undefined);
    await first.stop();

    const agent = await MqttProbe.connect(broker.url, await broker.account('agent', 'agent-p', 'p'));
    await agent.client.publishAsync('printfleet/v1/printers/p1/events', '{"missed":true}', { qos: 1 });

    const second = open();
    const received = new Promise<string>((resolve) => {
      void second.subscribe(TOPIC_PATTERNS.printerStream('events'), (_t, p) => resolve(p.toString()));
    });
    await second.start();
    expect(await received).toBe('{"missed":true}');
    await second.stop();
    await agent.close();
    await broker.close();
  });
});
