import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import { agentAvailabilityTopic, serviceAvailabilityTopic } from '@printfleet/contracts';
import { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';
import { MqttProbe, startTestBroker, type TestBroker } from '@printfleet/testing';
import { AvailabilityTracker } from '../src/health/availability-tracker';
import { HealthController } from '../src/health/health.controller';

describe('GET /api/health', () => {
  let broker: TestBroker;
  let mqtt: MqttConnection;
  let app: INestApplication;
  let agent: MqttProbe;
  let jobs: MqttProbe;
  let base: string;

  beforeAll(async () => {
    broker = await startTestBroker();
    const logger = pino({ level: 'silent' });
    mqtt = new MqttConnection({
      url: broker.url,
      ...(await broker.account('gateway', 'gateway')),
      clientId: 'gateway-test',
      availabilityTopic: serviceAvailabilityTopic('gateway'),
      logger,
    });
    await mqtt.start();
    const moduleRef = await Test.createTestingModule({
      controllers: [HealthController],
      providers: [AvailabilityTracker, { provide: MQTT, useValue: mqtt }, { provide: LOGGER, useValue: logger }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    agent = await MqttProbe.connect(broker.url, await broker.account('agent', 'agent-pi-1', 'pi-1'));
    jobs = await MqttProbe.connect(broker.url, await broker.account('job-service', 'job-service'));
  });

  afterAll(async () => {
    await app.close();
    await Promise.all([agent.close(), jobs.close(), mqtt.stop()]);
    await broker.close();
  });

  type Report = { status: string; services: Record<string, string>; agents: Record<string, string> };
  const health = async () => (await (await fetch(`${base}/api/health`)).json()) as Report;
  /** The report is built from MQTT messages the gateway receives asynchronously: ask until it changes. */
  const healthWhen = async (done: (h: Report) => boolean) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const h = await health();
      if (done(h)) return h;
    }
    throw new Error(`health never matched: ${JSON.stringify(await health())}`);
  };

  it('is degraded until the job-service is seen online', async () => {
    expect(await health()).toMatchObject({ status: 'degraded', broker: 'online', services: { 'job-service': 'unknown' } });
  });

  it('reports every service and agent as seen on MQTT, and degrades when an agent goes offline', async () => {
    await jobs.client.publishAsync(serviceAvailabilityTopic('job-service'), 'online', { qos: 1, retain: true });
    await agent.client.publishAsync(agentAvailabilityTopic('pi-1'), 'online', { qos: 1, retain: true });
    expect(await healthWhen((h) => h.agents['pi-1'] === 'online')).toEqual({
      status: 'ok',
      broker: 'online',
      services: { 'job-service': 'online', gateway: 'online' },
      agents: { 'pi-1': 'online' },
    });
    await agent.client.publishAsync(agentAvailabilityTopic('pi-1'), 'offline', { qos: 1, retain: true });
    expect(await healthWhen((h) => h.agents['pi-1'] === 'offline')).toMatchObject({ status: 'degraded' });
  });

  it('ignores an availability payload that is not online/offline, keeping the last good one', async () => {
    await agent.client.publishAsync(agentAvailabilityTopic('pi-1'), '{"garbage":true}', { qos: 1, retain: true });
    // Published after the garbage was acknowledged, so the gateway has handled the garbage once it sees this.
    await jobs.client.publishAsync(serviceAvailabilityTopic('job-service'), 'offline', { qos: 1, retain: true });
    const h = await healthWhen((r) => r.services['job-service'] === 'offline');
    expect(h.agents).toEqual({ 'pi-1': 'offline' });
  });
});
