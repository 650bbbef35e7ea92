import type { PrinterTelemetry } from '@printfleet/contracts';
import type { Position, TemperatureReport } from '@printfleet/serial-protocol';

type Heaters = PrinterTelemetry['heaters'];

/** Firmware heater names → contract keys. `T` is the active tool; `T0` wins when both are given. */
const HEATER_KEYS: Record<string, string> = { T: 'tool0', B: 'bed', C: 'chamber' };
const POWER_KEYS: Record<string, string> = { '@': 'tool0', 'B@': 'bed' };

function heaterKey(name: string): string | null {
  const tool = /^T(\d)$/.exec(name);
  if (tool) return `tool${tool[1]}`;
  return HEATER_KEYS[name] ?? null;
}

/** Marlin prints heater PWM as 0–127 after `@:`; the contract carries a percentage. */
function powerPercent(raw: number): number {
  return Math.max(0, Math.min(100, Math.round((raw / 127) * 1000) / 10));
}

/** Latest readings of one printer, turned into the telemetry contract's shape. Pure. */
export class TelemetryState {
  private heaters: Heaters = {};
  private position: Position | null = null;

  onTemperature(report: TemperatureReport): void {
    const next: Heaters = {};
    for (const [name, reading] of Object.entries(report.heaters)) {
      const key = heaterKey(name);
      if (!key || (name === 'T' && report.heaters['T0'])) continue;
      const previous = this.heaters[key];
      // Wait reports (`T:209.5 E:0 W:?`) carry no target: keep the last one known.
      next[key] = { actual: reading.actual, target: reading.target ?? previous?.target ?? 0 };
    }
    for (const [name, raw] of Object.entries(report.power)) {
      const key = POWER_KEYS[name] ?? (/^@(\d)$/.test(name) ? `tool${name.slice(1)}` : null);
      const heater = key ? next[key] : undefined;
      if (heater) heater.power = powerPercent(raw);
    }
    this.heaters = { ...this.heaters, ...next };
  }

  onPosition(position: Position): void {
    this.position = position;
  }

  get hasReadings(): boolean {
    return Object.keys(this.heaters).length > 0;
  }

  snapshot(printerId: string, ts: string, job?: PrinterTelemetry['job'], link?: PrinterTelemetry['link']): PrinterTelemetry {
    const p = this.position;
    return {
      printerId,
      ts,
      heaters: this.heaters,
      ...(p ? { position: { x: p.x, y: p.y, z: p.z, e: p.e ?? 0 } } : {}),
      ...(job ? { job } : {}),
      ...(link ? { link } : {}),
    };
  }
}
