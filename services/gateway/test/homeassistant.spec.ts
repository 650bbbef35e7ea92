import {
  printerCommandReplyTopic,
  printerCommandTopic,
  printerStateTopic,
  TOPIC_PATTERNS,
  type CommandVerb,
} from '@printfleet/contracts';
import { MqttProbe, type Credentials } from '@printfleet/testing';
import { startCommandResponder } from './support/command-responder';
import { FakeAgent } from './support/fake-agent';
import { startGateway, type Harness } from './support/gateway-harness';
import { loginArgs, MosquittoSub, mosquittoPub } from './support/mosquitto';

const PRINTER = 'mk3-a';
const ENTITIES = 13;

/**
 * The gateway's Home Assistant discovery read with Debian's mosquitto clients, the way a third
 * party or HA itself sees the broker, and HA's pause button followed to the agent and back.
 * The agent side is the printer-agent's real CommandRouter (validation, de-duplication, one
 * reply per command) in front of a fake printer.
 */
describe('Home Assistant over MQTT, with mosquitto clients', () => {
  let h: Harness;
  let agent: FakeAgent;
  let controller: Credentials;
  let observer: MqttProbe;
  let executed: { verb: CommandVerb; commandId: string }[];

  beforeAll(async () => {
    h = await startGateway();
    agent = new FakeAgent(h.agent);
    controller = await h.broker.account('controller', 'ha-user');
    observer = await MqttProbe.connect(h.broker.url, await h.broker.account('observer'));
    await observer.subscribe([TOPIC_PATTERNS.homeassistant, TOPIC_PATTERNS.printerStream('state')]);

    ({ executed } = await startCommandResponder(agent, PRINTER));

    await agent.online();
    await agent.state(PRINTER, 'printing', {
      displayName: 'Left MK3S',
      firmware: { name: 'Prusa-Firmware', version: '3.13.3' },
      job: { id: 'job-1', progress: 40, fileName: 'benchy.gcode' },
    });
    // The last config the gateway publishes for this printer: all are on the broker after it.
    await observer.waitFor(`homeassistant/button/printfleet_${PRINTER}/cancel/config`);
  });

  afterAll(async () => {
    await observer?.close();
    await h?.close();
  });

  it('keeps well-formed discovery configs retained on the broker', async () => {
    const sub = new MosquittoSub(h.broker, [...loginArgs(h.broker.url, controller), '-t', 'homeassistant/#', '--retained-only', '-C', String(ENTITIES), '-W', '10']);
    const messages = await sub.done;
    expect(messages).toHaveLength(ENTITIES);
    for (const m of messages) {
      expect(m.retain).toBe(true);
      expect(m.topic).toMatch(/^homeassistant\/(sensor|binary_sensor|button)\/printfleet_mk3-a\/[a-z_]+\/config$/);
      const config = JSON.parse(m.payload) as Record<string, unknown>;
      // What HA needs to make an entity of a device: a unique id, the device, and its topics.
      expect(config).toMatchObject({
        unique_id: expect.stringMatching(/^printfleet_mk3-a_/),
        name: expect.any(String),
        device: { identifiers: ['printfleet_mk3-a'], name: 'Left MK3S', manufacturer: 'Prusa-Firmware' },
        availability_mode: 'all',
      });
      if (m.topic.startsWith('homeassistant/button/')) expect(config.command_topic).toMatch(/^printfleet\/v1\/printers\/mk3-a\/cmd\/(pause|resume|cancel)$/);
      else expect(config.state_topic).toMatch(/^printfleet\/v1\/printers\/mk3-a\/(state|telemetry)$/);
    }
  });

  it('carries a pause from mosquitto_pub (a controller account) to the agent, and its reply back to mosquitto_sub', async () => {
    const button = JSON.parse((await observer.waitFor(`homeassistant/button/printfleet_${PRINTER}/pause/config`)).text);
    // The payload HA would send for a press: its template, rendered.
    const payload = String(button.command_template).replace(/\{\{.*?\}\}/, String(Date.now() * 1000));
    const commandId = JSON.parse(payload).commandId as string;

    const replies = new MosquittoSub(h.broker, [...loginArgs(h.broker.url, controller), '-t', printerCommandReplyTopic(PRINTER, 'pause'), '-C', '1', '-W', '10']);
    await replies.ready;
    await mosquittoPub([...loginArgs(h.broker.url, controller), '-q', '1', '-t', button.command_topic, '-m', payload]);
    const [reply] = await replies.done;

    expect(JSON.parse(reply!.payload)).toEqual({ commandId, accepted: true });
    expect(executed).toContainEqual({ verb: 'pause', commandId });
    const paused = await observer.waitFor(printerStateTopic(PRINTER), (m) => m.text.includes('"paused"'));
    expect(paused.json()).toMatchObject({ printerId: PRINTER, state: 'paused' });
  });

  it('answers a bad payload on a command topic with a rejection that says why', async () => {
    const replies = new MosquittoSub(h.broker, [...loginArgs(h.broker.url, controller), '-t', printerCommandReplyTopic(PRINTER, 'pause'), '-C', '1', '-W', '10']);
    await replies.ready;
    await mosquittoPub([...loginArgs(h.broker.url, controller), '-q', '1', '-t', printerCommandTopic(PRINTER, 'pause'), '-m', '{"requestedBy":"homeassistant"}']);
    const [reply] = await replies.done;
    expect(JSON.parse(reply!.payload)).toEqual({
      commandId: null,
      accepted: false,
      reason: expect.stringMatching(/^invalid pause command: .*commandId/),
    });
  });

  it('removes the configs (empty retained payloads) when the printer is given up for good', async () => {
    const topics = [...new Set(observer.messages.filter((m) => m.topic.startsWith('homeassistant/')).map((m) => m.topic))];
    expect(topics).toHaveLength(ENTITIES);
    await h.agent.client.publishAsync(printerStateTopic(PRINTER), '', { qos: 1, retain: true });
    for (const topic of topics) await observer.waitFor(topic, (m) => m.payload.length === 0);
    // A fresh subscriber gets no retained config: the first thing it sees is a marker sent after it subscribed.
    const marker = printerCommandTopic('marker', 'pause');
    const left = new MosquittoSub(h.broker, [...loginArgs(h.broker.url, controller), '-t', 'homeassistant/#', '-t', marker, '-C', '1', '-W', '10']);
    await left.ready;
    await mosquittoPub([...loginArgs(h.broker.url, controller), '-q', '1', '-t', marker, '-m', '{"commandId":"marker"}']);
    const [first] = await left.done;
    expect(first!.topic).toBe(marker);
  });
});
