// @ts-check
import { h } from './dom.js';

/** Words and a colour for every job state (libs/contracts JOB_STATE_NAMES). */
const JOB_STATES = /** @type {Record<string, { label: string, tone: string }>} */ ({
  queued: { label: 'Queued', tone: 'off' },
  held: { label: 'Held', tone: 'warn' },
  dispatching: { label: 'Starting', tone: 'busy' },
  printing: { label: 'Printing', tone: 'busy' },
  paused: { label: 'Paused', tone: 'warn' },
  finished: { label: 'Finished', tone: 'done' },
  failed: { label: 'Failed', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'warn' },
  interrupted: { label: 'Interrupted', tone: 'bad' },
});

export const JOB_STATE_NAMES = Object.keys(JOB_STATES);

/** @param {string} state */
export const jobStateLabel = (state) => JOB_STATES[state]?.label ?? state;

/** A badge with the job's state in words as well as colour. @param {string} state */
export function jobBadge(state) {
  const s = JOB_STATES[state] ?? { label: state, tone: 'off' };
  return h(`span.badge.tone-${s.tone}`, { 'data-testid': 'job-state' }, s.label);
}

/** @param {number | null | undefined} n */
export function bytes(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} bytes`;
}

/** Filament length in metres, with grams when the slicer said. @param {number | null | undefined} mm @param {number | null} [g] */
export function filament(mm, g = null) {
  if (mm === null || mm === undefined) return '—';
  const m = `${(mm / 1000).toFixed(mm < 10_000 ? 2 : 1)} m`;
  return g === null || g === undefined ? m : `${m} · ${g.toFixed(g < 10 ? 2 : 0)} g`;
}

/** Width × depth × height of a box. @param {import('./api.js').BBox | null | undefined} b */
export function dimensions(b) {
  if (!b) return '—';
  const f = (/** @type {number} */ v) => v.toFixed(1);
  return `${f(b.maxX - b.minX)} × ${f(b.maxY - b.minY)} × ${f(b.maxZ)} mm`;
}

/**
 * The size row of a file's facts: the printed objects' size (the analysis' `objectsBbox`) when
 * the file says which moves print them; else the extent of everything extruded (`bbox`), which
 * may take in a purge line and a skirt, and says so.
 * @param {import('./api.js').BBox | null} bbox @param {{ objectsBbox?: import('./api.js').BBox | null } | null} analysis
 * @returns {[string, string]}
 */
export function sizeFact(bbox, analysis) {
  const objects = analysis?.objectsBbox;
  if (objects) return ['Size', dimensions(objects)];
  if (bbox) return ['Extent', `${dimensions(bbox)} (may include purge line, skirt)`];
  return ['Size', '—'];
}

/** A date and time people read at a glance. @param {string | null | undefined} iso */
export function when(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/** The thumbnail URL of a file (0: the largest). @param {string} fileId @param {number} [index] */
export const thumbnailUrl = (fileId, index = 0) =>
  `/api/files/${encodeURIComponent(fileId)}/thumbnail?index=${index}`;

/**
 * Calls `fn` at most once at a time; calls made meanwhile collapse into one more run after it.
 * Live job changes come in bursts (queued, dispatching, printing): one refetch is enough.
 * @param {() => Promise<void>} fn
 */
export function coalesce(fn) {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await fn();
      } while (again);
    } finally {
      running = false;
    }
  };
  return run;
}

/** @param {unknown} err */
export const message = (err) => (err instanceof Error ? err.message : String(err));
