/**
 * Temperature reports (M105 answer, M155 auto-report, M109/M190 wait reports).
 *
 *   Marlin:   `ok T:21.80 /0.00 B:21.40 /0.00 @:0 B@:0`
 *             ` T:21.80 /0.00 B:21.40 /0.00 @:0 B@:0`            (M155, leading space)
 *             ` T:180.3 /210.00 B:59.8 /60.00 @:127 B@:0 W:?`   (M109 wait, then `W:8` countdown)
 *             `ok T:210.0 /210.0 B:60.0 /60.0 T0:210.0 /210.0 T1:25.0 /0.0 @:0 B@:0 @0:0 @1:0`
 *   Prusa:    `ok T:21.8 /0.0 B:21.4 /0.0 T0:21.8 /0.0 @:0 B@:0 P:21.6 A:30.1`
 *             `T:209.5 E:0 W:?`   `T:209.9 E:0 B:59.6`              (M109/M190 wait)
 *   Repetier: `T:21.80 /0 B:21.40 /0 B@:0 @:0`                     (after its `ok`)
 */
export interface HeaterReading {
  actual: number;
  target: number | null;
}

export interface TemperatureReport {
  /** `T` (active tool), `T0`…, `B` bed, `C` chamber, `P` probe (Prusa PINDA), `A` ambient. */
  heaters: Record<string, HeaterReading>;
  /** Heater power, `@` (active tool), `@0`…, `B@`. */
  power: Record<string, number>;
  /** Present while the firmware waits in M109/M190: seconds left, or null for `W:?`. */
  wait?: number | null;
}

const HEAD = /^(?:ok\b\s*)?(?:T\d*|B|C):\s*-?\d/;
const TOKEN = /(?:^|\s)(T\d*|B|C|P|A|@\d*|B@|W|E):\s*(-?\d+(?:\.\d+)?|\?)(?:\s*\/\s*(-?\d+(?:\.\d+)?))?/g;

export function parseTemperatureReport(line: string): TemperatureReport | null {
  const text = line.trim();
  if (!HEAD.test(text)) return null;
  const report: TemperatureReport = { heaters: {}, power: {} };
  for (const m of text.matchAll(TOKEN)) {
    const key = m[1] ?? '';
    const value = m[2] ?? '';
    if (key === 'W') {
      report.wait = value === '?' ? null : Number(value);
    } else if (key === 'E') {
      continue; // Prusa's extruder index during M109, not a temperature
    } else if (value === '?') {
      continue;
    } else if (key.includes('@')) {
      report.power[key] = Number(value);
    } else {
      report.heaters[key] = { actual: Number(value), target: m[3] === undefined ? null : Number(m[3]) };
    }
  }
  return Object.keys(report.heaters).length > 0 ? report : null;
}
