import { decodePayload, parseTopic, printerSettingsSchema, TOPIC_PATTERNS, type PrinterSettings } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';

export interface SettingsSource {
  subscribe(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void>;
}

/**
 * An admin's per-printer settings (name, pause and cancel scripts), as the job-service publishes
 * them retained. Kept for every printer id, attached or not: a printer that appears later starts
 * with its settings. The last message received wins (one publisher, one topic per printer: MQTT
 * keeps their order); one that is not valid is refused and the last good settings stay.
 */
export class PrinterSettingsListener {
  private readonly latest = new Map<string, PrinterSettings>();

  constructor(
    private readonly log: Logger,
    private readonly changed: (printerId: string, settings: PrinterSettings | null) => void,
  ) {}

  async start(source: SettingsSource): Promise<void> {
    await source.subscribe(TOPIC_PATTERNS.printerSettings, (topic, payload) => this.handle(topic, payload));
  }

  /** The settings in force for a printer; null: none (its configuration or the defaults apply). */
  of(printerId: string): PrinterSettings | null {
    return this.latest.get(printerId) ?? null;
  }

  handle(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed?.kind !== 'printer-settings') return;
    const { printerId } = parsed;
    // An empty retained payload is the job-service clearing them (a printer profile removed).
    if (payload.length === 0) {
      if (!this.latest.delete(printerId)) return;
      this.log.info({ printerId }, 'printer settings cleared');
      return this.changed(printerId, null);
    }
    const decoded = decodePayload(printerSettingsSchema, payload);
    if (!decoded.ok) return this.refuse(printerId, decoded.error);
    const settings = decoded.value;
    if (settings.printerId !== printerId) return this.refuse(printerId, `the settings are for printer ${settings.printerId}, not ${printerId}`);
    const before = this.latest.get(printerId);
    this.latest.set(printerId, settings);
    // Retained settings come again after every reconnect: only a change is worth a line.
    if (before && sameSettings(before, settings)) return;
    this.log.info(
      { printerId, displayName: settings.displayName, pauseScriptLines: settings.pauseScript?.length ?? null, cancelScriptLines: settings.cancelScript?.length ?? null },
      'printer settings received',
    );
    this.changed(printerId, settings);
  }

  private refuse(printerId: string, reason: string): void {
    this.log.warn({ printerId, reason }, 'printer settings refused; the last good ones stay');
  }
}

function sameSettings(a: PrinterSettings, b: PrinterSettings): boolean {
  const effect = (s: PrinterSettings) => JSON.stringify([s.displayName, s.pauseScript, s.cancelScript]);
  return effect(a) === effect(b);
}
