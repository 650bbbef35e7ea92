import type { PrinterView } from '../../printers/printer-view';

/**
 * printfleet's printers in the shapes OctoPrint answers (docs.octoprint.org, "Printer operations"
 * and "Job operations"), as far as slicers read them: Cura's OctoPrint plugin polls `/api/printer`
 * and `/api/job` and decides from the state flags whether it may start a print.
 */

const VERSION = '1.10.0';

/** `GET /api/version`: PrusaSlicer checks `api` and that `text` starts with "OctoPrint". */
export const octoPrintVersion = (printfleetVersion: string) => ({
  api: '0.1',
  server: VERSION,
  text: `OctoPrint ${VERSION} (printfleet ${printfleetVersion})`,
});

export interface Flags {
  operational: boolean;
  printing: boolean;
  paused: boolean;
  pausing: boolean;
  cancelling: boolean;
  error: boolean;
  ready: boolean;
  closedOrError: boolean;
  sdReady: boolean;
  finishing: boolean;
  resuming: boolean;
}

const flags = (set: Partial<Flags>): Flags => ({
  operational: false,
  printing: false,
  paused: false,
  pausing: false,
  cancelling: false,
  error: false,
  ready: false,
  closedOrError: false,
  sdReady: false,
  finishing: false,
  resuming: false,
  ...set,
});

export interface OctoState {
  /** False: OctoPrint would answer `/api/printer` with 409 "Printer is not operational". */
  connected: boolean;
  text: string;
  flags: Flags;
}

/**
 * One printer's state as OctoPrint's. The fleet (no printer named) is always "Operational": a
 * print sent there waits in printfleet's queue for the first free printer that fits, so the
 * slicer must never refuse it as "busy".
 */
export function octoState(p: PrinterView | null): OctoState {
  if (!p) return { connected: true, text: 'Operational', flags: flags({ operational: true, ready: true }) };
  if (p.agent === 'offline') return { connected: false, text: 'Offline', flags: flags({ closedOrError: true }) };
  switch (p.state.state) {
    case 'offline':
      return { connected: false, text: 'Offline', flags: flags({ closedOrError: true }) };
    case 'connecting':
      return { connected: false, text: 'Connecting', flags: flags({}) };
    case 'ready':
      return { connected: true, text: 'Operational', flags: flags({ operational: true, ready: true }) };
    case 'finished':
    case 'cancelled':
    case 'failed':
      // Waits for someone to clear the bed: operational, but not ready for the next print.
      return { connected: true, text: 'Operational', flags: flags({ operational: true }) };
    case 'printing':
      return { connected: true, text: 'Printing', flags: flags({ operational: true, printing: true }) };
    case 'paused':
      return { connected: true, text: 'Paused', flags: flags({ operational: true, paused: true }) };
    case 'interrupted':
    case 'error':
      return {
        connected: true,
        text: `Error: ${p.state.reason ?? p.state.state}`,
        flags: flags({ error: true, closedOrError: true }),
      };
  }
}

/** `GET /api/printer`: temperatures (as the agent last reported them) and the state. */
export function octoPrinter(p: PrinterView | null) {
  const state = octoState(p);
  const temperature: Record<string, { actual: number; target: number; offset: number }> = {};
  for (const [heater, t] of Object.entries(p?.telemetry?.heaters ?? {}))
    temperature[heater] = { actual: t.actual, target: t.target, offset: 0 };
  return { temperature, sd: { ready: false }, state: { text: state.text, flags: state.flags } };
}

/** `GET /api/job`: the running job of a printer; the fleet has none of its own. */
export function octoJob(p: PrinterView | null) {
  const state = octoState(p);
  const job = p && (p.state.state === 'printing' || p.state.state === 'paused') ? p.state.job : undefined;
  const t = p?.telemetry?.job;
  return {
    job: {
      file: { name: job?.fileName ?? null, origin: job ? 'local' : null, size: null, date: null, path: job?.fileName ?? null },
      estimatedPrintTime: null,
      filament: null,
      user: null,
    },
    progress: {
      completion: job ? (t?.progress ?? job.progress) : null,
      filepos: null,
      printTime: job ? (t?.elapsedS ?? null) : null,
      printTimeLeft: job ? (t?.remainingS ?? null) : null,
      printTimeLeftOrigin: job && t?.remainingS != null ? 'estimate' : null,
    },
    state: state.text,
  };
}
