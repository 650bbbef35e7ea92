// @ts-check
/** @typedef {import('./live.js').PrinterView} PrinterView */

/** Words and a colour class for every state the agent can publish (libs/contracts PRINTER_STATES). */
const STATES = /** @type {Record<string, { label: string, tone: string, hint?: string }>} */ ({
  offline: { label: 'Offline', tone: 'off', hint: 'Printer not connected' },
  connecting: { label: 'Connecting', tone: 'off', hint: 'Waiting for the firmware' },
  ready: { label: 'Ready', tone: 'ok', hint: 'Free: a job may start' },
  printing: { label: 'Printing', tone: 'busy' },
  paused: { label: 'Paused', tone: 'warn' },
  finished: { label: 'Finished', tone: 'done', hint: 'Remove the print, then confirm the bed is clear' },
  cancelled: { label: 'Cancelled', tone: 'warn', hint: 'Clear the bed, then confirm' },
  failed: { label: 'Failed', tone: 'bad', hint: 'Check the printer, clear the bed, then confirm' },
  error: { label: 'Error', tone: 'bad', hint: 'Needs attention at the printer' },
  interrupted: {
    label: 'Interrupted',
    tone: 'bad',
    hint: 'Print cut off; it can be resumed from the job page',
  },
});

/**
 * What a printer's badge says. When its agent is offline the last state is not current, so the
 * badge says "Unknown" and names the last report instead of repeating it as if it were true.
 * @param {PrinterView} p
 * @returns {{ label: string, tone: string, hint: string }}
 */
export function presentState(p) {
  const s = STATES[p.state.state] ?? { label: p.state.state, tone: 'off' };
  if (p.agent === 'offline')
    return {
      label: 'Unknown',
      tone: 'unknown',
      hint: `Agent ${p.state.agentId} is offline. Last report: ${s.label.toLowerCase()}, ${ago(p.state.ts)}.`,
    };
  const hint = p.state.reason ?? s.hint ?? '';
  return {
    label: s.label,
    tone: s.tone,
    hint: p.agent === 'unknown' ? `${hint}${hint ? ' · ' : ''}agent status unknown` : hint,
  };
}

/** @param {PrinterView} p */
export const printerName = (p) => p.state.displayName ?? p.printerId;

/** @param {number | null | undefined} s */
export function duration(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min`;
  return `${total % 60} s`;
}

/** @param {string} iso */
export function ago(iso) {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  return `${duration(s)} ago`;
}

/** @param {number} v */
export const celsius = (v) => `${v.toFixed(1)}`;

/** Heater names people use. @param {string} key */
export function heaterName(key) {
  if (key === 'bed') return 'Bed';
  if (key === 'chamber') return 'Chamber';
  const n = Number(key.replace('tool', ''));
  return n === 0 ? 'Nozzle' : `Nozzle ${n + 1}`;
}

/** The job's progress: telemetry is fresher than the retained state when both are there. @param {PrinterView} p */
export function progressOf(p) {
  const job = p.state.job;
  if (!job) return null;
  const t = p.telemetry?.job && p.telemetry.job.id === job.id ? p.telemetry.job : null;
  return {
    fileName: job.fileName ?? job.id,
    progress: t?.progress ?? job.progress,
    elapsedS: t?.elapsedS ?? null,
    remainingS: t?.remainingS ?? null,
  };
}

/** Command buttons that make sense in a state (the agent still has the last word). @param {string} state */
export function verbsFor(state) {
  switch (state) {
    case 'printing':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'interrupted':
      return ['cancel'];
    case 'finished':
    case 'cancelled':
    case 'failed':
      return ['clear'];
    default:
      return [];
  }
}

export const VERB_LABELS = /** @type {Record<string, string>} */ ({
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel print',
  clear: 'Bed cleared',
  estop: 'Emergency stop',
});
