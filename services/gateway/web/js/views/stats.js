// @ts-check
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { printerName } from '../format.js';
import { coalesce, message } from '../jobs-format.js';
import { statsChart } from './stats-chart.js';

/**
 * @typedef {{ key: string, jobs: number, finished: number, failed: number, cancelled: number, interrupted: number,
 *   successRate: number | null, printHours: number, filamentMm: number }} StatsRow
 * @typedef {{ printers: StatsRow[], users: StatsRow[], failuresByReason: { reason: string, count: number }[],
 *   series: import('./stats-chart.js').Series }} Stats
 */

const RANGES = /** @type {const} */ ([
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
  ['365', 'Last year'],
  ['', 'All time'],
]);

/**
 * Where a period starts and how its chart is cut, in this browser's time zone: today and the 6 or
 * 29 days before, by day; this week and the 51 before (from Monday), by week; all time, as the
 * job-service chooses (by day, week or month from the length of the history).
 * @param {string} days @returns {{ from?: Date, bucket?: 'day' | 'week' }}
 */
function period(days) {
  const now = new Date();
  const day = (/** @type {number} */ back) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - back);
  if (days === '7' || days === '30') return { from: day(Number(days) - 1), bucket: 'day' };
  if (days === '365') return { from: day(((now.getDay() + 6) % 7) + 51 * 7), bucket: 'week' };
  return {};
}

/** A bar as wide as `value / max`, drawn with CSS (a <meter>: the value is there for screen readers). @param {number} value @param {number} max @param {string} text */
function bar(value, max, text) {
  return h(
    'span.bar-cell',
    {},
    h('meter.bar', { min: '0', max: String(max || 1), value: String(value), 'aria-label': text }),
    h('span.bar-text', {}, text),
  );
}

/** @param {number | null} rate */
const percent = (rate) => (rate === null ? '–' : `${(rate * 100).toFixed(0)} %`);

/**
 * Statistics from `GET /api/stats`: for a period, a printer and a user, jobs over time (a chart
 * and its numbers), then per printer and per user jobs ended, success rate, print hours and
 * filament, with bars; failures by reason. Refreshed when a job ends.
 * @param {import('../live.js').LiveFleet} fleet
 */
export function statsView(fleet) {
  document.title = 'Statistics · printfleet';
  const range = /** @type {HTMLSelectElement} */ (
    h('select', { id: 's-range', name: 'range' }, ...RANGES.map(([v, label]) => h('option', { value: v, selected: v === '30' }, label)))
  );
  const printerSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 's-printer', name: 'printerId' }, h('option', { value: '' }, 'All printers')));
  const userSelect = /** @type {HTMLSelectElement} */ (h('select', { id: 's-user', name: 'user' }, h('option', { value: '' }, 'All users')));
  const summary = h('p.summary', { role: 'status', id: 'stats-summary' }, 'Loading…');
  const chart = statsChart();
  const printers = h('div', { id: 'stats-printers' });
  const users = h('div', { id: 'stats-users' });
  const failures = h('div', { id: 'stats-failures' });
  const node = h(
    'section.page',
    { 'aria-labelledby': 'stats-title' },
    h('div.page-head', {}, h('h1', { id: 'stats-title' }, 'Statistics'), summary),
    h(
      'form.filters.stats-filters',
      { 'aria-label': 'Statistics filters' },
      h('div.field', {}, h('label', { for: 's-range' }, 'Period'), range),
      h('div.field', {}, h('label', { for: 's-printer' }, 'Printer'), printerSelect),
      h('div.field', {}, h('label', { for: 's-user' }, 'User'), userSelect),
    ),
    h('div.panel', {}, h('h2', { id: 'stats-chart-title' }, 'Over time'), chart.node),
    h('div.panel', {}, h('h2', {}, 'Per printer'), printers),
    h('div.panel', {}, h('h2', {}, 'Per user'), users),
    h('div.panel', {}, h('h2', {}, 'Failures by reason'), failures),
  );

  /** @param {string} caption @param {string} who @param {StatsRow[]} rows */
  const table = (caption, who, rows) => {
    if (rows.length === 0) return h('p.muted', {}, 'No ended jobs in this period.');
    const maxHours = Math.max(...rows.map((r) => r.printHours));
    const maxFilament = Math.max(...rows.map((r) => r.filamentMm));
    return h(
      'div.table-wrap',
      {},
      h(
        'table.history.stats-table',
        {},
        h('caption.visually-hidden', {}, caption),
        h('thead', {}, h('tr', {}, ...[who, 'Jobs', 'Finished', 'Success', 'Print hours', 'Filament', 'Failed / cancelled / interrupted'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...rows.map((r) =>
            h(
              'tr',
              { 'data-row': r.key },
              h('th', { scope: 'row', 'data-label': who }, r.key),
              h('td', { 'data-label': 'Jobs' }, String(r.jobs)),
              h('td', { 'data-label': 'Finished' }, String(r.finished)),
              h('td', { 'data-label': 'Success' }, bar(r.successRate ?? 0, 1, percent(r.successRate))),
              h('td', { 'data-label': 'Print hours' }, bar(r.printHours, maxHours, `${r.printHours.toFixed(1)} h`)),
              h('td', { 'data-label': 'Filament' }, bar(r.filamentMm, maxFilament, `${(r.filamentMm / 1000).toFixed(2)} m`)),
              h('td', { 'data-label': 'Not finished' }, `${r.failed} / ${r.cancelled} / ${r.interrupted}`),
            ),
          ),
        ),
      ),
    );
  };

  /** Adds the printers and users seen so far to their selects (sorted, the choice kept). @param {HTMLSelectElement} select @param {Iterable<string>} keys @param {(key: string) => string} label */
  const offer = (select, keys, label) => {
    const known = new Set([...select.options].map((o) => o.value).filter(Boolean));
    const all = [...new Set([...known, ...keys])].sort();
    if (all.length === known.size) return;
    const chosen = select.value;
    select.replaceChildren(/** @type {HTMLOptionElement} */ (select.options[0]), ...all.map((k) => h('option', { value: k, selected: k === chosen }, label(k))));
  };
  const printerLabel = (/** @type {string} */ id) => {
    const p = fleet.printers.get(id);
    return p && printerName(p) !== id ? `${printerName(p)} (${id})` : id;
  };

  let disposed = false;
  const load = coalesce(async () => {
    const { from, bucket } = period(range.value);
    const q = new URLSearchParams({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
    if (from) q.set('from', from.toISOString());
    if (bucket) q.set('bucket', bucket);
    if (printerSelect.value) q.set('printerId', printerSelect.value);
    if (userSelect.value) q.set('user', userSelect.value);
    try {
      /** @type {Stats} */
      const s = await api('GET', `/api/stats?${q}`);
      if (disposed) return;
      offer(printerSelect, [...fleet.printers.keys(), ...s.printers.map((r) => r.key)], printerLabel);
      offer(userSelect, s.users.map((r) => r.key), (k) => k);
      // Every ended job has a user; not every one reached a printer.
      const jobs = s.users.reduce((n, r) => n + r.jobs, 0);
      const finished = s.users.reduce((n, r) => n + r.finished, 0);
      chart.show(s.series);
      summary.textContent = jobs ? `${jobs} ended jobs, ${finished} finished (${percent(finished / jobs)})` : 'No ended jobs in this period.';
      replace(printers, table('Per printer', 'Printer', s.printers));
      replace(users, table('Per user', 'User', s.users));
      const maxCount = Math.max(0, ...s.failuresByReason.map((f) => f.count));
      replace(
        failures,
        s.failuresByReason.length
          ? h(
              'ul.failures',
              {},
              ...s.failuresByReason.map((f) => h('li', {}, h('span.failure-reason', {}, f.reason), bar(f.count, maxCount, String(f.count)))),
            )
          : h('p.muted', {}, 'No failures in this period.'),
      );
    } catch (err) {
      summary.textContent = message(err);
    }
  });
  for (const select of [range, printerSelect, userSelect]) select.addEventListener('change', () => void load());
  const unsubscribe = fleet.subscribe((change) => {
    if (change.kind === 'job' && change.job && ['finished', 'failed', 'cancelled', 'interrupted'].includes(change.job.state)) void load();
  });
  void load();
  return {
    node,
    dispose: () => {
      disposed = true;
      unsubscribe();
      chart.dispose();
    },
  };
}
