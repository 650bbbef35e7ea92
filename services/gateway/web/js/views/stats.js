// @ts-check
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { coalesce, message } from '../jobs-format.js';

/**
 * @typedef {{ key: string, jobs: number, finished: number, failed: number, cancelled: number, interrupted: number,
 *   successRate: number | null, printHours: number, filamentMm: number }} StatsRow
 * @typedef {{ printers: StatsRow[], users: StatsRow[], failuresByReason: { reason: string, count: number }[] }} Stats
 */

const RANGES = /** @type {const} */ ([
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
  ['365', 'Last year'],
  ['', 'All time'],
]);

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
 * Statistics from `GET /api/stats`: per printer and per user, jobs ended, success rate, print
 * hours and filament, with bars; failures by reason. Refreshed when a job changes.
 * @param {import('../live.js').LiveFleet} fleet
 */
export function statsView(fleet) {
  document.title = 'Statistics · printfleet';
  const range = /** @type {HTMLSelectElement} */ (
    h('select', { id: 's-range', name: 'range' }, ...RANGES.map(([v, label]) => h('option', { value: v, selected: v === '30' }, label)))
  );
  const summary = h('p.summary', { role: 'status', id: 'stats-summary' }, 'Loading…');
  const printers = h('div', { id: 'stats-printers' });
  const users = h('div', { id: 'stats-users' });
  const failures = h('div', { id: 'stats-failures' });
  const node = h(
    'section.page',
    { 'aria-labelledby': 'stats-title' },
    h('div.page-head', {}, h('h1', { id: 'stats-title' }, 'Statistics'), summary),
    h('form.filters.stats-filters', { 'aria-label': 'Period' }, h('div.field', {}, h('label', { for: 's-range' }, 'Period'), range)),
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

  const load = coalesce(async () => {
    const days = range.value;
    const query = days ? `?from=${encodeURIComponent(new Date(Date.now() - Number(days) * 86_400_000).toISOString())}` : '';
    try {
      /** @type {Stats} */
      const s = await api('GET', `/api/stats${query}`);
      const jobs = s.printers.reduce((n, r) => n + r.jobs, 0);
      const finished = s.printers.reduce((n, r) => n + r.finished, 0);
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
  range.addEventListener('change', () => void load());
  const unsubscribe = fleet.subscribe((change) => {
    if (change.kind === 'job' && change.job && ['finished', 'failed', 'cancelled', 'interrupted'].includes(change.job.state)) void load();
  });
  void load();
  return { node, dispose: () => unsubscribe() };
}
