import { parseTemperatureReport, type TemperatureReport } from './temperature';

/**
 * Acknowledgements.
 *
 *   `ok`                                  Marlin, Prusa: command executed
 *   `ok N10 P15 B3`                       Marlin with ADVANCED_OK: line 10, 15 planner blocks and 3 queue slots free
 *   `ok T:21.80 /0.00 B:21.40 /0.00 @:0 B@:0`   Marlin/Prusa M105 answer (no N/P/B even with ADVANCED_OK)
 *   `ok 12`                               Repetier: line 12 stored (before it runs)
 */
export interface OkResponse {
  /** The acknowledged firmware line number, when the firmware says it (ADVANCED_OK `N`, Repetier `ok <n>`). */
  lineNumber?: number;
  plannerFree?: number;
  queueFree?: number;
  temperatures?: TemperatureReport;
}

export function parseOk(line: string): OkResponse | null {
  const m = /^ok(?:\s+(.*))?$/.exec(line.trim());
  if (!m) return null;
  const rest = (m[1] ?? '').trim();
  const result: OkResponse = {};
  if (rest === '') return result;
  const repetier = /^(\d+)$/.exec(rest);
  if (repetier) return { lineNumber: Number(repetier[1]) };
  const temps = parseTemperatureReport(rest);
  if (temps) return { temperatures: temps };
  const n = /(?:^|\s)N(\d+)/.exec(rest);
  const p = /(?:^|\s)P(\d+)/.exec(rest);
  const b = /(?:^|\s)B(\d+)/.exec(rest);
  if (n) result.lineNumber = Number(n[1]);
  if (p) result.plannerFree = Number(p[1]);
  if (b) result.queueFree = Number(b[1]);
  return result;
}
