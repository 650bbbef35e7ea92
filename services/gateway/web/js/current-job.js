// @ts-check
import { api, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { thumbnailUrl } from './jobs-format.js';

/** @typedef {import('./api.js').Job} Job */
/** @typedef {import('./api.js').FileRecord} FileRecord */
/**
 * What the job-service says about a job a printer reports. `job` null: it has no such job (404)
 * or could not be asked (`error`); `file` null: the job's file is gone (deleted, or removed by
 * retention) or could not be read. `error` is set only for failures that may pass.
 * @typedef {{ job: Job | null, file: FileRecord | null, error: string | null }} CurrentJob
 * @typedef {{ value: CurrentJob | null, loading: boolean, retryAt: number, tries: number,
 *   waiters: Set<() => void> }} Entry
 */

/** @type {Map<string, Entry>} */
const cache = new Map();
const MAX_ENTRIES = 100;

/**
 * The job record and its file (with the analysis) for the job id in a printer's state. A job's
 * file never changes, so each id is asked once and kept: pages call this on every telemetry
 * update and get the kept answer. "Not found" is an answer too; a failure that may pass
 * (job-service down, network) is asked again on a later call, 10 s, 20 s, … 5 min later.
 * Every role may read jobs and files (docs/http-api.md), so viewers get the same.
 * @param {string} jobId
 * @param {() => void} [onChange] called once when the answer being fetched arrives
 * @returns {CurrentJob | null} what is known now; null until the first answer
 */
export function currentJob(jobId, onChange) {
  let e = cache.get(jobId);
  if (!e) {
    e = { value: null, loading: false, retryAt: 0, tries: 0, waiters: new Set() };
    cache.set(jobId, e);
    for (const [id, old] of cache) if (cache.size > MAX_ENTRIES && !old.loading) cache.delete(id);
  }
  if (!e.loading && Date.now() >= e.retryAt) void load(jobId, e);
  if (e.loading && onChange) e.waiters.add(onChange);
  return e.value;
}

/** @param {string} jobId @param {Entry} e */
async function load(jobId, e) {
  e.loading = true;
  let job = e.value?.job ?? null;
  /** @type {FileRecord | null} */
  let file = null;
  /** @type {string | null} */
  let error = null;
  let again = Infinity;
  try {
    job ??= /** @type {Job} */ (await api('GET', `/api/jobs/${encodeURIComponent(jobId)}`));
    if (job.fileId) file = await api('GET', `/api/files/${encodeURIComponent(job.fileId)}`);
    // Not printable yet, so rare: look again soon for the analysis.
    if (file?.analysisState === 'pending') again = 5000;
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 0;
    // 404 (unknown job, file deleted), 403, 400: a final answer. Anything else may pass.
    if (status === 0 || status === 401 || status === 408 || status === 429 || status >= 500) {
      error = err instanceof Error ? err.message : String(err);
      again = Math.min(10_000 * 2 ** e.tries++, 300_000);
    }
  }
  e.value = { job, file, error };
  e.retryAt = again === Infinity ? Infinity : Date.now() + again;
  e.loading = false;
  const waiters = [...e.waiters];
  e.waiters.clear();
  for (const fn of waiters) fn();
}

/**
 * A fixed-size box for a job's thumbnail (the largest). Its one `img` is kept and its `src` set
 * only when the file changes, so refilling a card every second never reloads the image. The box
 * is empty while the file is looked up and says "No preview" when there is none to show.
 * @param {string} tag element and classes, e.g. "div.card-thumb"
 */
export function thumbnailBox(tag) {
  const node = h(tag);
  /** @type {HTMLImageElement | null} */
  let img = null;
  let shown = '';
  return {
    node,
    /** @param {CurrentJob | null} info @param {string} name the file name, the image's text */
    show(info, name) {
      const f = info?.file;
      const t = f?.thumbnails[0];
      const key = f && t ? thumbnailUrl(f.id) : info && !info.error ? 'none' : 'unknown';
      if (img) img.alt = name;
      if (key === shown) return;
      shown = key;
      node.dataset.thumb = f && t ? 'image' : key;
      if (!t) return replace(node, key === 'none' ? h('span.thumb-none', {}, 'No preview') : null);
      img ??= /** @type {HTMLImageElement} */ (h('img', { loading: 'lazy', decoding: 'async' }));
      img.alt = name;
      img.width = t.width;
      img.height = t.height;
      img.src = key;
      if (node.firstChild !== img) replace(node, img);
    },
  };
}
