/**
 * Firmware errors.
 *
 *   `Error:checksum mismatch, Last Line: 11`                               Marlin, Prusa
 *   `Error:Line Number is not Last Line Number+1, Last Line: 11`          Marlin, Prusa
 *   `Error:No Checksum with line number, Last Line: 11`                   Marlin, Prusa
 *   `Error:No Line Number with checksum, Last Line: 11`                   Prusa
 *   `Error:Wrong checksum`, `Error:expected line 12 got 14`, `Error:Missing checksum`   Repetier
 *   `Error:Printer halted. kill() called!`                                 Marlin, Prusa (M112, kill)
 *   `Error:Thermal Runaway, system stopped! Heater_ID: 0`                  Marlin
 *   `Error:MAXTEMP triggered, system stopped! Heater_ID: 0`, `Error:Heating failed, system stopped!`
 *   `!! Thermal runaway`                                                   `!!` fatal prefix (Repetier, Smoothie)
 */
export type FirmwareErrorKind = 'checksum' | 'line-number' | 'halted' | 'thermal' | 'other';

export interface FirmwareError {
  kind: FirmwareErrorKind;
  message: string;
  /** Communication errors resolve with a resend; the other fatal kinds stop the printer. */
  fatal: boolean;
  /** `Last Line: <n>` when given. */
  lastLine?: number;
}

export function parseError(line: string): FirmwareError | null {
  const m = /^(?:Error:|!!)\s*(.*)$/.exec(line.trim());
  if (!m) return null;
  const message = (m[1] ?? '').trim();
  const last = /Last Line:\s*(\d+)/i.exec(message);
  const kind = classify(message);
  const result: FirmwareError = { kind, message, fatal: kind === 'halted' || kind === 'thermal' };
  if (last) result.lastLine = Number(last[1]);
  return result;
}

function classify(message: string): FirmwareErrorKind {
  if (/thermal|MAXTEMP|MINTEMP|heating failed/i.test(message)) return 'thermal';
  if (/halted|kill\(\)|emergency/i.test(message)) return 'halted';
  if (/checksum mismatch|wrong checksum/i.test(message)) return 'checksum';
  if (/line number|expected line|missing checksum|no checksum/i.test(message)) return 'line-number';
  return 'other';
}
