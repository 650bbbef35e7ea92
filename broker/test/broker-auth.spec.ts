import mqtt from 'mqtt';
import {
  agentAvailabilityTopic,
  printerCommandTopic,
  printerStateTopic,
  serviceAvailabilityTopic,
  TOPIC_PATTERNS,
} from '@printfleet/contracts';
import { MqttProbe, startTestBroker, waitForClose, type TestBroker } from '@printfleet/testing';

describe('embedded broker: authentication and ACLs', () => {
  let broker: TestBroker;
  const probes: MqttProbe[] = [];
  const connect = async (creds: { username: string; password: string }, url = broker.url) => {
    const probe = await MqttProbe.connect(url, creds);
    probes.push(probe);
    return probe;
  };

  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterEach(async () => {
    await Promise.all(probes.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await broker.close();
  });

  it('refuses a client without credentials', async () => {
    await expect(mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
  });

  it('refuses a wrong password', async () => {
    const { username } = await broker.account('observer');
    await expect(mqtt.connectAsync(broker.url, { reconnectPeriod: 0, username, password: 'not-the-password' })).rejects.toThrow(
      /Bad username or password/i,
    );
  });

  it('lets an observer read printer topics but not publish a command', async () => {
    const agent = await connect(await broker.account('agent', 'agent-pi', 'pi'));
    const observer = await connect(await broker.account('observer'));
    const controller = await connect(await broker.account('controller'));
    await agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3'));

    expect(await observer.subscribe(TOPIC_PATTERNS.printerStream('state'))).toEqual([1]);
    await agent.client.publishAsync(printerStateTopic('mk3'), '{"state":"ready"}', { qos: 1, retain: true });
    expect((await observer.waitFor(printerStateTopic('mk3'))).text).toBe('{"state":"ready"}');

    // The observer's publish is refused: the broker drops the connection (MQTT 3.1.1 has no negative PUBACK).
    observer.client.publish(printerCommandTopic('mk3', 'pause'), '{"commandId":"from-observer"}', { qos: 1 });
    await waitForClose(observer.client);
    // A controller's command goes through, and is the only one the agent sees.
    await controller.client.publishAsync(printerCommandTopic('mk3', 'pause'), '{"commandId":"from-controller"}', { qos: 1 });
    await agent.waitFor(printerCommandTopic('mk3', 'pause'));
    expect(agent.received(printerCommandTopic('mk3', 'pause')).map((m) => m.json())).toEqual([{ commandId: 'from-controller' }]);
  });

  it('refuses an observer subscription wider than the public tree', async () => {
    const observer = await connect(await broker.account('observer'));
    expect(await observer.subscribe('#')).toEqual([128]);
    expect(await observer.subscribe('printfleet/internal/v1/#')).toEqual([128]);
    expect(await observer.subscribe(['printfleet/v1/#', 'homeassistant/#'])).toEqual([1, 1]);
  });

  it("does not let an agent publish another agent's printer topics or availability", async () => {
    const owner = await connect(await broker.account('agent', 'agent-a', 'a'));
    const intruder = await connect(await broker.account('agent', 'agent-b', 'b'));
    const observer = await connect(await broker.account('observer'));
    await observer.subscribe('printfleet/v1/#');

    await owner.client.publishAsync(printerStateTopic('printer-a'), '{"owner":"a"}', { qos: 1, retain: true });
    await observer.waitFor(printerStateTopic('printer-a'));

    intruder.client.publish(printerStateTopic('printer-a'), '{"owner":"b"}', { qos: 1, retain: true });
    await waitForClose(intruder.client);
    const intruder2 = await connect({ username: 'agent-b', password: (await broker.account('agent', 'agent-b', 'b')).password });
    intruder2.client.publish(agentAvailabilityTopic('a'), 'offline', { qos: 1, retain: true });
    await waitForClose(intruder2.client);

    // The owner's next message arrives, and nothing from the intruder ever did.
    await owner.client.publishAsync(printerStateTopic('printer-a'), '{"owner":"a","n":2}', { qos: 1, retain: true });
    await observer.waitFor(printerStateTopic('printer-a'), (m) => m.text.includes('"n":2'));
    expect(observer.messages.map((m) => m.text)).not.toContain('{"owner":"b"}');
    expect(observer.received(agentAvailabilityTopic('a'))).toEqual([]);
  });

  it("delivers commands only to the agent that owns the printer", async () => {
    const a = await connect(await broker.account('agent', 'agent-c', 'c'));
    const b = await connect(await broker.account('agent', 'agent-d', 'd'));
    const controller = await connect(await broker.account('controller'));
    await a.client.publishAsync(printerStateTopic('printer-c'), '{}', { qos: 1, retain: true });
    await b.client.publishAsync(printerStateTopic('printer-d'), '{}', { qos: 1, retain: true });
    await a.subscribe(TOPIC_PATTERNS.printerCommands);
    await b.subscribe(TOPIC_PATTERNS.printerCommands);

    await controller.client.publishAsync(printerCommandTopic('printer-c', 'estop'), '{"commandId":"1"}', { qos: 1 });
    await controller.client.publishAsync(printerCommandTopic('printer-d', 'estop'), '{"commandId":"2"}', { qos: 1 });
    await a.waitFor(printerCommandTopic('printer-c', 'estop'));
    await b.waitFor(printerCommandTopic('printer-d', 'estop'));
    expect(a.received(printerCommandTopic('printer-d', 'estop'))).toEqual([]);
    expect(b.received(printerCommandTopic('printer-c', 'estop'))).toEqual([]);
  });

  it('refuses a retained command, which would replay on every reconnect', async () => {
    const controller = await connect(await broker.account('controller'));
    controller.client.publish(printerCommandTopic('mk3', 'start'), '{"commandId":"r"}', { qos: 1, retain: true });
    await waitForClose(controller.client);
  });

  it('lets a service publish only its own availability', async () => {
    const gateway = await connect(await broker.account('gateway', 'gateway'));
    await gateway.client.publishAsync(serviceAvailabilityTopic('gateway'), 'online', { qos: 1, retain: true });
    gateway.client.publish(serviceAvailabilityTopic('job-service'), 'offline', { qos: 1, retain: true });
    await waitForClose(gateway.client);
  });

  it('refuses topics deeper than the limit and oversized payloads', async () => {
    const controller = await connect(await broker.account('controller'));
    controller.client.publish(`printfleet/v1/${'x/'.repeat(40)}y`, 'deep', { qos: 1 });
    await waitForClose(controller.client);
    const controller2 = await connect(await broker.account('controller'));
    controller2.client.publish(printerCommandTopic('mk3', 'gcode'), Buffer.alloc(300 * 1024, 0x20), { qos: 1 });
    await waitForClose(controller2.client);
  });

  it('speaks MQTT over WebSocket at /mqtt with the same accounts', async () => {
    const observer = await connect(await broker.account('observer'), broker.wsUrl);
    expect(await observer.subscribe(TOPIC_PATTERNS.printerStream('state'))).toEqual([1]);
    await expect(mqtt.connectAsync(broker.wsUrl, { reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
  });
});
