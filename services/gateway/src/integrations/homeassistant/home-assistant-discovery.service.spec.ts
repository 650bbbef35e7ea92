import pino from 'pino';
import type { PrinterState } from '@printfleet/contracts';
import type { MqttConnection } from '@printfleet/messaging';
import { PrinterRegistry } from '../../printers/printer-registry';
import { integrationSettingsFrom, type IntegrationSettings } from '../integration-settings';
import { HomeAssistantDiscovery } from './home-assistant-discovery.service';

/** Records publishes and connect hooks: the service's only I/O. */
class RecordingMqtt {
  readonly sent: { topic: string; payload: string; retain: boolean }[] = [];
  readonly hooks: (() => void | Promise<void>)[] = [];
  onConnect(hook: () => void | Promise<void>) {
    this.hooks.push(hook);
  }
  async publish(topic: string, payload: string, options: { retain?: boolean } = {}) {
    this.sent.push({ topic, payload, retain: options.retain ?? false });
  }
}

const ENTITIES = 13;
let seq = 0;
const state = (printerId: string, extra: Partial<PrinterState> = {}): PrinterState => ({
  printerId,
  agentId: 'pi-1',
  state: 'ready',
  seq: ++seq,
  ts: new Date().toISOString(),
  ...extra,
});

function setup(enabled = true) {
  const registry = new PrinterRegistry();
  const mqtt = new RecordingMqtt();
  const settings: IntegrationSettings = { ...integrationSettingsFrom({}), homeAssistant: { enabled, prefix: 'homeassistant' } };
  const service = new HomeAssistantDiscovery(registry, mqtt as unknown as MqttConnection, settings, pino({ level: 'silent' }));
  service.onModuleInit();
  return { registry, mqtt, service };
}

describe('HomeAssistantDiscovery', () => {
  it('publishes retained configs once per printer, and again only when they change', async () => {
    const { registry, mqtt, service } = setup();
    registry.setAgent('pi-1', 'online');
    registry.applyState(state('p1'));
    registry.applyState(state('p1', { state: 'printing', job: { id: 'j1', progress: 5 } }));
    await service.settled();
    expect(mqtt.sent).toHaveLength(ENTITIES);
    expect(mqtt.sent.every((m) => m.retain && JSON.parse(m.payload).device.name === 'p1')).toBe(true);

    registry.applyState(state('p1', { displayName: 'Left MK3' }));
    await service.settled();
    expect(mqtt.sent).toHaveLength(2 * ENTITIES);
    expect(JSON.parse(mqtt.sent.at(-1)!.payload).device.name).toBe('Left MK3');
  });

  it('clears every config of a printer given up for good', async () => {
    const { registry, mqtt, service } = setup();
    registry.applyState(state('p2'));
    await service.settled();
    const topics = mqtt.sent.map((m) => m.topic);
    registry.removePrinter('p2');
    await service.settled();
    const cleared = mqtt.sent.slice(ENTITIES);
    expect(cleared.map((m) => m.topic)).toEqual(topics);
    expect(cleared.every((m) => m.payload === '' && m.retain)).toBe(true);
  });

  it('republishes everything after a reconnect (the broker may have lost retained messages)', async () => {
    const { registry, mqtt, service } = setup();
    registry.applyState(state('p3'));
    await service.settled();
    for (const hook of mqtt.hooks) await hook();
    await service.settled();
    expect(mqtt.sent.slice(ENTITIES)).toEqual(mqtt.sent.slice(0, ENTITIES));
  });

  it('publishes nothing when switched off', async () => {
    const { registry, mqtt, service } = setup(false);
    registry.applyState(state('p4'));
    await service.settled();
    expect(mqtt.sent).toEqual([]);
    expect(mqtt.hooks).toEqual([]);
  });
});
