// @ts-check
import { api, ApiError, sendCommand } from '../api.js';
import { h, replace } from '../dom.js';
import { duration, presentState, printerName, progressOf, VERB_LABELS, verbsFor } from '../format.js';
import { progressBar, temperatures } from './printer-card.js';
import { printerConsole } from './printer-console.js';
import { temperatureChart } from './temperature-chart.js';
import { message } from '../jobs-format.js';

/** @typedef {import('../live.js').PrinterView} PrinterView */

/** Commands that need a second, deliberate tap, and what the dialog says. */
const CONFIRM = /** @type {Record<string, { title: string, text: string, ok: string }>} */ ({
  cancel: {
    title: 'Cancel this print?',
    text: 'The print stops for good and cannot be resumed.',
    ok: 'Cancel print',
  },
  clear: {
    title: 'Is the bed clear?',
    text: 'Confirm only when the print is removed and the bed is empty: the next job may start at once.',
    ok: 'Bed is clear',
  },
  estop: {
    title: 'Emergency stop?',
    text: 'Heaters and motors stop immediately (M112). The printer must be reset before it can print again.',
    ok: 'Stop now',
  },
});

/**
 * One printer: live state, job, temperatures, and the commands that fit its state. The agent
 * decides whether a command applies; its answer is shown as it came.
 * @param {import('../live.js').LiveFleet} fleet @param {string} printerId
 * @param {import('../api.js').User} user
 */
export function printerDetailView(fleet, printerId, user) {
  const canCommand = user.role === 'admin' || user.role === 'operator';
  const canPrint = user.role !== 'viewer';
  const picker = canPrint ? filePicker(fleet, printerId) : null;
  const chart = temperatureChart(printerId);
  const terminal = user.role === 'admin' ? printerConsole(printerId) : null;
  const title = h('h1', { id: 'printer-title' }, printerId);
  const badge = h('span.badge.big', { 'data-testid': 'state' });
  const hint = h('p.hint');
  const body = h('div.detail-body');
  const actions = h('div.actions', { role: 'group', 'aria-label': 'Printer commands' });
  const status = h('p.command-status', { role: 'status', 'aria-live': 'polite', id: 'command-status' });
  const events = h('ol.events', { 'aria-label': 'Recent events' });
  const dialog = /** @type {HTMLDialogElement} */ (
    h('dialog.confirm', { 'aria-labelledby': 'confirm-title' })
  );
  const node = h(
    'section.detail',
    { 'aria-labelledby': 'printer-title' },
    h('a.back', { href: '#/' }, '← Fleet'),
    h('div.detail-head', {}, title, badge),
    hint,
    body,
    h('div.panel.chart-panel', {}, h('h2', {}, 'Temperature history'), chart.node),
    canCommand
      ? h('div.panel', {}, h('h2', {}, 'Control'), actions, status)
      : h('p.muted', {}, `You are logged in as ${user.role}: you can watch, not control.`),
    picker?.node,
    terminal?.node,
    h('div.panel', {}, h('h2', {}, 'Recent events'), events),
    dialog,
  );
  let actionsKey = '';
  let busy = false;

  /** @param {string} verb */
  const run = async (verb) => {
    const label = VERB_LABELS[verb] ?? verb;
    busy = true;
    render();
    status.className = 'command-status';
    status.textContent = `${label}: sent, waiting for the printer…`;
    try {
      const reply = await sendCommand(printerId, verb);
      status.className = `command-status ${reply.accepted ? 'ok' : 'bad'}`;
      status.textContent = reply.accepted
        ? `${label}: accepted by the printer.`
        : `${label}: refused by the printer: ${reply.reason ?? 'no reason given'}`;
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = `${label}: ${err instanceof ApiError || err instanceof Error ? err.message : String(err)}`;
    } finally {
      busy = false;
      actionsKey = '';
      render();
    }
  };

  /** @param {string} verb */
  const ask = (verb) => {
    const c = CONFIRM[verb];
    if (!c) return void run(verb);
    const ok = h('button.danger', { type: 'button', value: 'ok' }, c.ok);
    const back = h('button', { type: 'button', value: 'back', autofocus: true }, 'Go back');
    replace(
      dialog,
      h('h2', { id: 'confirm-title' }, c.title),
      h('p', {}, c.text),
      h('div.dialog-buttons', {}, back, ok),
    );
    back.addEventListener('click', () => dialog.close());
    ok.addEventListener('click', () => {
      dialog.close();
      void run(verb);
    });
    dialog.showModal();
  };

  /** @param {PrinterView} p */
  const renderActions = (p) => {
    const verbs = p.agent === 'offline' || !fleet.connected ? [] : verbsFor(p.state.state);
    const estop =
      p.agent !== 'offline' && fleet.connected && !['offline', 'connecting'].includes(p.state.state);
    const key = `${verbs.join(',')}|${estop}|${busy}`;
    if (key === actionsKey) return; // unchanged: keep the buttons (and keyboard focus) as they are
    actionsKey = key;
    replace(
      actions,
      ...verbs.map((v) =>
        h(
          `button.${v === 'cancel' ? 'danger' : 'primary'}`,
          { type: 'button', disabled: busy, onclick: () => ask(v) },
          VERB_LABELS[v] ?? v,
        ),
      ),
      verbs.length === 0 && !estop
        ? h(
            'p.muted',
            {},
            p.agent === 'offline'
              ? 'No commands while the agent is offline.'
              : 'Nothing to do in this state.',
          )
        : null,
      estop
        ? h(
            'button.estop',
            { type: 'button', disabled: busy, onclick: () => ask('estop') },
            VERB_LABELS.estop ?? 'Emergency stop',
          )
        : null,
    );
  };

  const render = () => {
    const p = fleet.printers.get(printerId);
    if (!p) {
      title.textContent = printerId;
      badge.textContent = fleet.loaded ? 'Not reported' : 'Loading';
      badge.className = 'badge big tone-unknown';
      hint.textContent = fleet.loaded ? 'No agent reports this printer (anymore).' : '';
      replace(body);
      replace(actions);
      actionsKey = '';
      picker?.render(undefined);
      return;
    }
    const s = presentState(p);
    document.title = `${printerName(p)} · printfleet`;
    title.textContent = printerName(p);
    badge.textContent = s.label;
    badge.className = `badge big tone-${s.tone}`;
    node.classList.toggle('stale', !fleet.connected);
    hint.textContent = s.hint;
    if (p.agent !== 'offline') chart.telemetry(p.telemetry);
    const job = p.agent === 'offline' ? null : progressOf(p);
    replace(
      body,
      h(
        'div.panel',
        {},
        h('h2', {}, 'Job'),
        job
          ? h(
              'div.job',
              {},
              h('p.job-name', {}, job.fileName),
              progressBar(job.progress, 'Progress'),
              h(
                'dl.facts',
                {},
                h('dt', {}, 'Progress'),
                h('dd', {}, `${job.progress.toFixed(1)} %`),
                h('dt', {}, 'Elapsed'),
                h('dd', {}, duration(job.elapsedS)),
                h('dt', {}, 'Remaining'),
                h('dd', {}, duration(job.remainingS)),
              ),
            )
          : h('p.muted', {}, 'No job.'),
      ),
      h('div.panel', {}, h('h2', {}, 'Temperatures'), temperatures(p)),
    );
    if (canCommand) renderActions(p);
    picker?.render(p);
    replace(
      events,
      ...[...p.recentEvents]
        .reverse()
        .map((e) =>
          h(
            'li',
            {},
            h('time', { datetime: e.ts }, new Date(e.ts).toLocaleTimeString()),
            ' ',
            e.type.replace('.', ' '),
            e.reason ? `: ${e.reason}` : '',
          ),
        ),
    );
    if (p.recentEvents.length === 0) replace(events, h('li.muted', {}, 'None since the gateway started.'));
  };

  const unsubscribe = fleet.subscribe((change) => {
    if (change.kind === 'job') return;
    if (change.kind === 'console') {
      if (change.line) terminal?.line(change.line);
      return;
    }
    if (
      !change.printerId ||
      change.printerId === printerId ||
      change.kind === 'snapshot' ||
      change.kind === 'link'
    )
      render();
  });
  render();
  return {
    node,
    dispose: () => {
      unsubscribe();
      chart.dispose();
    },
  };
}

/**
 * "Print a file": the library's files that are ready to print (analysis done), started on this
 * printer; the button only works while the printer is ready, as the agent last said.
 * @param {import('../live.js').LiveFleet} fleet @param {string} printerId
 */
function filePicker(fleet, printerId) {
  const select = /** @type {HTMLSelectElement} */ (h('select', { id: 'print-file' }));
  const submit = /** @type {HTMLButtonElement} */ (h('button.primary', { type: 'submit', id: 'print-file-submit' }, 'Print'));
  const hint = h('p.muted', { id: 'print-file-hint' });
  const status = h('p.command-status', { role: 'status', 'aria-live': 'polite', id: 'print-file-status' });
  const form = h(
    'form',
    { id: 'print-file-form' },
    h('label', { for: 'print-file' }, 'File'),
    select,
    h('div.actions', {}, submit),
  );
  const node = h('div.panel', {}, h('h2', {}, 'Print a file'), form, hint, status);
  let loaded = false;
  let sending = false;
  let ready = false;

  const update = () => {
    submit.disabled = !loaded || sending || !ready || select.options.length === 0;
    hint.textContent = !loaded
      ? 'Loading the files…'
      : select.options.length === 0
        ? 'No file is ready to print: upload one on the Files page.'
        : ready
          ? ''
          : 'The printer must be ready to start a file.';
  };

  const load = async () => {
    try {
      const res = await api('GET', '/api/files?limit=100');
      /** @type {import('../api.js').FileRecord[]} */
      const items = res.items;
      replace(
        select,
        ...items
          .filter((f) => f.analysisState === 'done')
          .map((f) => h('option', { value: f.id }, f.name)),
      );
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = `Files not available: ${message(err)}`;
    }
    loaded = true;
    update();
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const option = select.selectedOptions[0];
    if (!option || submit.disabled) return;
    sending = true;
    update();
    status.className = 'command-status';
    status.textContent = `Starting ${option.text}…`;
    api('POST', '/api/jobs', { fileId: option.value, printerId })
      .then(() => {
        status.className = 'command-status ok';
        status.textContent = `${option.text} sent to this printer.`;
      })
      .catch((/** @type {unknown} */ err) => {
        status.className = 'command-status bad';
        status.textContent = `Not sent: ${message(err)}`;
      })
      .finally(() => {
        sending = false;
        update();
      });
  });
  void load();
  return {
    node,
    /** @param {PrinterView | undefined} p */
    render: (p) => {
      ready = !!p && p.agent !== 'offline' && p.state.state === 'ready' && fleet.connected;
      update();
    },
  };
}
