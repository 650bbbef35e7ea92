import type { ConsoleLine, JobChange, PrinterEvent } from '@printfleet/contracts';
import type { PrinterView } from '../printers/printer-view';

/**
 * What `/api/live` sends, one JSON object per WebSocket message. A snapshot first (and again
 * after every reconnect), then changes; the client replaces what it holds, it never merges.
 */
export type LiveMessage =
  | { type: 'snapshot'; printers: PrinterView[] }
  | { type: 'printer'; printer: PrinterView }
  | { type: 'removed'; printerId: string }
  | { type: 'event'; event: PrinterEvent }
  /** A job's record changed at the job-service; pages showing jobs refetch. */
  | { type: 'job'; job: JobChange }
  /** A line of a printer's serial console: sent to admins only. */
  | { type: 'console'; line: ConsoleLine };
