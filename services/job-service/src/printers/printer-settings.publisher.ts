import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { encodePayload, printerSettingsSchema, printerSettingsTopic, type PrinterSettings } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { LOGGER, MQTT } from '@printfleet/service-kit';
import { PrinterRepository } from './printer.repository';

/**
 * Publishes each printer's settings (operator's name, pause and cancel scripts) retained, QoS 1,
 * on `printerSettingsTopic(id)` for its agent: after every profile change, and for every printer
 * that has (or had) settings at boot and after each reconnect, because Aedes keeps retained
 * messages in memory only. One publish at a time, each reading the database when its turn comes,
 * so the last message on a topic always carries the latest commit (a reconnect's re-publish
 * cannot overtake a newer change with an older read).
 */
@Injectable()
export class PrinterSettingsPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly log: Logger;

  constructor(
    private readonly printers: PrinterRepository,
    @Inject(MQTT) private readonly mqtt: MqttConnection,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'printer-settings' });
  }

  onApplicationBootstrap(): void {
    // Runs at once when already connected (the connection starts before the module), then after
    // every reconnect. Not awaited there: a publish waiting for the broker must not hold its other hooks.
    this.mqtt.onConnect(() => void this.republishAll());
  }

  /** The connection outlives the module and keeps its hooks: make ours a no-op. */
  onModuleDestroy(): void {
    this.stopped = true;
  }

  /** Call after a profile commit: publishes that printer's settings as they now are. */
  changed(printerId: string): Promise<void> {
    return this.enqueue(async () => {
      const settings = await this.printers.settings(printerId);
      if (settings) await this.send(settings);
    });
  }

  republishAll(): Promise<void> {
    return this.enqueue(async () => {
      const all = await this.printers.settingsToRepublish();
      for (const s of all) await this.send(s).catch((err: Error) => this.log.warn({ printerId: s.printerId, err: err.message }, 'printer settings not re-published'));
      this.log.info({ printers: all.length }, 'printer settings re-published');
    });
  }

  /** Resolves when everything asked so far is published (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain
      .then(() => (this.stopped ? undefined : work()))
      .catch((err: Error) => this.log.warn({ err: err.message }, 'printer settings not published'));
    return this.chain;
  }

  private async send(s: PrinterSettings): Promise<void> {
    await this.mqtt.publish(printerSettingsTopic(s.printerId), encodePayload(printerSettingsSchema, s), { qos: 1, retain: true });
  }
}
