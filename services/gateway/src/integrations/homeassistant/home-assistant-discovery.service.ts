import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';
import { PrinterRegistry } from '../../printers/printer-registry';
import type { PrinterView, RegistryChange } from '../../printers/printer-view';
import { INTEGRATION_SETTINGS, type IntegrationSettings } from '../integration-settings';
import { discoveryMessages } from './discovery-configs';

/**
 * Publishes Home Assistant discovery for every printer the registry knows: retained configs,
 * republished after every reconnect (Aedes keeps retained messages in memory only), changed
 * only when the printer's name, firmware or agent changes, and cleared (empty retained payload,
 * HA's way to delete an entity) when the printer is given up for good.
 */
@Injectable()
export class HomeAssistantDiscovery implements OnModuleInit, OnModuleDestroy {
  private readonly log: Logger;
  /** What is published, per printer: topic → payload. */
  private readonly published = new Map<string, Map<string, string>>();
  /** Publishes in order, so a removal never overtakes the config it removes. */
  private queue: Promise<void> = Promise.resolve();
  private stopListening?: () => void;

  constructor(
    private readonly registry: PrinterRegistry,
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(INTEGRATION_SETTINGS) private readonly settings: IntegrationSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'homeassistant-discovery' });
  }

  onModuleInit(): void {
    if (!this.settings.homeAssistant.enabled) return this.log.info('Home Assistant discovery is off');
    this.stopListening = this.registry.onChange((change) => this.onChange(change));
    for (const printer of this.registry.list()) this.sync(printer);
    this.mqtt.onConnect(() => this.republish());
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** Resolves once everything asked so far has been handed to the broker. */
  settled(): Promise<void> {
    return this.queue;
  }

  private onChange(change: RegistryChange): void {
    if (change.kind === 'printer') this.sync(change.printer);
    if (change.kind === 'removed') this.remove(change.printerId);
  }

  private sync(printer: PrinterView): void {
    const held = this.published.get(printer.printerId) ?? new Map<string, string>();
    const wanted = new Map(
      discoveryMessages(this.settings.homeAssistant.prefix, printer).map((m) => [m.topic, JSON.stringify(m.config)]),
    );
    for (const topic of held.keys()) if (!wanted.has(topic)) this.send(topic, '');
    for (const [topic, payload] of wanted) if (held.get(topic) !== payload) this.send(topic, payload);
    this.published.set(printer.printerId, wanted);
  }

  private remove(printerId: string): void {
    for (const topic of this.published.get(printerId)?.keys() ?? []) this.send(topic, '');
    this.published.delete(printerId);
  }

  private republish(): void {
    for (const configs of this.published.values()) for (const [topic, payload] of configs) this.send(topic, payload);
  }

  private send(topic: string, payload: string): void {
    this.queue = this.queue.then(() =>
      this.mqtt
        .publish(topic, payload, { qos: 1, retain: true })
        .catch((err: Error) => this.log.warn({ topic, err: err.message }, 'could not publish discovery config')),
    );
  }
}
