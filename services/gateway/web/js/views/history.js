// @ts-check
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { duration, printerName } from '../format.js';
import { coalesce, filament, JOB_STATE_NAMES, jobBadge, jobStateLabel, message, when } from '../jobs-format.js';
import { canReprint, jobAction } from './job-actions.js';

/** @typedef {import('../api.js').Job} Job */

const PAGE = 50;

/**
 * Every job, newest first: search by file name, filter by printer, user, state and dates; the
 * outcome, duration and filament of each; reprint; the same filters as a CSV download.
 * @param {import('../live.js').LiveFleet} fleet @param {import('../api.js').User} user
 */
export function historyView(fleet, user) {
  /** @param {string} id @param {string} label @param {Record<string, string>} [attrs] */
  const field = (id, label, attrs = {}) => {
    const input = /** @type {HTMLInputElement} */ (h('input', { id, name: id.replace('h-', ''), autocomplete: 'off', ...attrs }));
    return { input, node: h('div.field', {}, h('label', { for: id }, label), input) };
  };
  const fileName = field('h-fileName', 'File name', { type: 'search' });
  const printer = field('h-printerId', 'Printer', { list: 'h-printers' });
  const who = field('h-user', 'User');
  const from = field('h-from', 'From', { type: 'date' });
  const to = field('h-to', 'Until', { type: 'date' });
  const state = /** @type {HTMLSelectElement} */ (
    h('select', { id: 'h-state', name: 'state' }, h('option', { value: '' }, 'Any state'), ...JOB_STATE_NAMES.map((s) => h('option', { value: s }, jobStateLabel(s))))
  );
  const printers = h('datalist', { id: 'h-printers' });
  const csv = /** @type {HTMLAnchorElement} */ (h('a.button', { id: 'history-csv', download: 'printfleet-jobs.csv', href: '/api/jobs.csv' }, 'Export CSV'));
  const form = h(
    'form.filters',
    { 'aria-label': 'Filter the history' },
    fileName.node,
    printer.node,
    printers,
    who.node,
    h('div.field', {}, h('label', { for: 'h-state' }, 'State'), state),
    from.node,
    to.node,
    h('div.filter-buttons', {}, h('button.primary', { type: 'submit' }, 'Apply'), csv),
  );
  const summary = h('p.summary', { role: 'status' }, 'Loading…');
  const body = h('tbody');
  const table = h(
    'table.history',
    { id: 'history-table' },
    h('caption.visually-hidden', {}, 'Print history, newest first'),
    h('thead', {}, h('tr', {}, ...['Queued', 'File', 'Printer', 'By', 'State', 'Duration', 'Filament', ''].map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  const status = h('p.command-status', { role: 'status', id: 'history-status' });
  const node = h(
    'section.page',
    { 'aria-labelledby': 'history-title' },
    h('div.page-head', {}, h('h1', { id: 'history-title' }, 'History'), summary),
    form,
    status,
    h('div.table-wrap', {}, table),
    more,
  );
  let disposed = false;
  let shown = PAGE;

  const query = () => {
    const q = new URLSearchParams();
    for (const f of [fileName, printer, who]) if (f.input.value.trim()) q.set(f.input.name, f.input.value.trim());
    if (state.value) q.set('state', state.value);
    // Dates are the user's local days: from the start of `from` to the end of `to`.
    if (from.input.value) q.set('from', new Date(`${from.input.value}T00:00`).toISOString());
    if (to.input.value) q.set('to', new Date(new Date(`${to.input.value}T00:00`).getTime() + 86_400_000).toISOString());
    return q;
  };

  /** @param {string | null} id */
  const printerLabel = (id) => {
    if (!id) return '—';
    const p = fleet.printers.get(id);
    return p ? printerName(p) : id;
  };

  const refresh = coalesce(async () => {
    const q = query();
    csv.href = `/api/jobs.csv${q.size ? `?${q}` : ''}`;
    q.set('limit', String(shown));
    try {
      const res = await api('GET', `/api/jobs?${q}`);
      if (disposed) return;
      /** @type {Job[]} */
      const items = res.items;
      summary.textContent = res.total === 0 ? 'No jobs match.' : `${res.total} job${res.total === 1 ? '' : 's'}`;
      replace(body, ...items.map(row));
      more.hidden = res.total <= items.length;
    } catch (err) {
      summary.textContent = message(err);
    }
  });

  /** @param {Job} j */
  const row = (j) =>
    h(
      'tr',
      { 'data-job': j.id },
      h('td', { 'data-label': 'Queued' }, when(j.queuedAt)),
      h('td', { 'data-label': 'File' }, j.fileId ? h('a', { href: `#/files/${encodeURIComponent(j.fileId)}` }, j.fileName) : j.fileName),
      h('td', { 'data-label': 'Printer' }, printerLabel(j.printerId)),
      h('td', { 'data-label': 'By' }, j.requestedBy),
      h('td', { 'data-label': 'State' }, jobBadge(j.state), j.reason && j.state !== 'finished' ? h('span.job-reason', {}, j.reason) : null),
      h('td', { 'data-label': 'Duration' }, duration(j.durationS)),
      h('td', { 'data-label': 'Filament' }, filament(j.filamentUsedMm)),
      h(
        'td',
        { 'data-label': '' },
        canReprint(user) && j.fileId
          ? h('button.small', { type: 'button', 'aria-label': `Reprint ${j.fileName}`, onclick: () => void reprint(j) }, 'Reprint')
          : null,
      ),
    );

  /** @param {Job} j */
  const reprint = async (j) => {
    status.className = 'command-status';
    status.textContent = `Reprint ${j.fileName}…`;
    try {
      await jobAction(j.id, 'reprint');
      status.className = 'command-status ok';
      replace(status, document.createTextNode(`${j.fileName} is queued again for ${j.printerId ? printerLabel(j.printerId) : 'the fleet'}. `), h('a', { href: '#/queue' }, 'See the queue'));
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = `Reprint ${j.fileName}: ${message(err)}`;
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    shown = PAGE;
    void refresh();
  });
  more.addEventListener('click', () => {
    shown += PAGE;
    void refresh();
  });
  const fillPrinters = () =>
    replace(printers, ...[...fleet.printers.values()].map((p) => h('option', { value: p.printerId }, printerName(p))));
  const unsubscribe = fleet.subscribe((change) => {
    if (change.kind === 'job') void refresh();
    if (change.kind === 'snapshot' || change.kind === 'removed') fillPrinters();
  });
  fillPrinters();
  document.title = 'History · printfleet';
  void refresh();
  return {
    node,
    dispose: () => {
      disposed = true;
      unsubscribe();
    },
  };
}
