import type { JobRecord } from '../jobs/job.types';

const COLUMNS: [string, (j: JobRecord) => unknown][] = [
  ['job_id', (j) => j.id],
  ['state', (j) => j.state],
  ['printer_id', (j) => j.printerId],
  ['requested_by', (j) => j.requestedBy],
  ['file_name', (j) => j.fileName],
  ['file_sha256', (j) => j.fileSha256],
  ['queued_at', (j) => j.queuedAt],
  ['started_at', (j) => j.startedAt],
  ['ended_at', (j) => j.endedAt],
  ['duration_s', (j) => j.durationS],
  ['filament_used_mm', (j) => (j.filamentUsedMm === null ? null : Math.round(j.filamentUsedMm * 10) / 10)],
  ['reason', (j) => j.reason],
];

/**
 * RFC 4180 fields. A cell starting with = + - @ (or tab/CR) gets a leading apostrophe so a
 * spreadsheet does not run a file name like `=HYPERLINK(…)` as a formula (CSV injection).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;
export const csvRow = (j: JobRecord): string => `${COLUMNS.map(([, get]) => csvCell(get(j))).join(',')}\r\n`;
