// @ts-check
import { api } from '../api.js';
import { currentJob, thumbnailBox } from '../current-job.js';
import { h, replace } from '../dom.js';
import { duration, presentState, printerName, progressOf, VERB_LABELS, verbsFor } from '../format.js';
import { progressBar, temperatures } from './printer-card.js';
import { canCommand as mayCommand, confirmDialog, confirmThen, sendWithStatus } from './printer-commands.js';
import { printerConsole } from './printer-console.js';
import { temperatureChart } from './temperature-chart.js';
import { filament, message, sizeFact, when } from '../jobs-format.js';

/** @typedef {import('../live.js').PrinterView} PrinterView */
/** @typedef {import('../current-job.js').CurrentJob} CurrentJob */

/**
 * One printer: live state, job, temperatures, and the commands that fit its state. The agent
 * decides whether a command applies; its answer is shown as it came.
 * @param {import('../live.js').LiveFleet} fleet @param {string} printerId
 * @param {import('../api.js').User} user
 */
export function printerDetailView(fleet, printerId, user) {
  const canCommand = mayCommand(user);
  const canPrint = user.role !== 'viewer';
  const picker = canPrint ? filePicker(fleet, printerId) : null;
  const chart = temperatureChart(printerId);
  const terminal = user.role === 'admin' ? printerConsole(printerId) : null;
  const title = h('h1', { id: 'printer-title' }, printerId);
  const badge = h('span.badge.big', { 'data-testid': 'state' });
  const hint = h('p.hint');
  const job = jobPanel();
  const tempsBody = h('div');
  const body = h('div.detail-body', {}, job.node, h('div.panel', {}, h('h2', {}, 'Temperatures'), tempsBody));
  const actions = h('div.actions', { role: 'group', 'aria-label': 'Printer commands' });
  const status = h('p.command-status', { role: 'status', 'aria-live': 'polite', id: 'command-status' });
  const events = h('ol.events', { 'aria-label': 'Recent events' });
  const dialog = confirmDialog();
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
  let disposed = false;
  /** One callback (the job lookup keeps a set of them): redraw when the job-service answers. */
  const refresh = () => void (disposed || render());

  /** @param {string} verb */
  const run = async (verb) => {
    busy = true;
    render();
    await sendWithStatus(printerId, verb, status, 'command-status');
    busy = false;
    actionsKey = '';
    render();
  };

  /** @param {string} verb */
  const ask = (verb) => confirmThen(dialog, verb, () => void run(verb));

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
      body.hidden = true;
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
    body.hidden = false;
    job.render(p, refresh);
    replace(tempsBody, temperatures(p));
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
      disposed = true;
      unsubscribe();
      chart.dispose();
    },
  };
}

/**
 * The current job: its thumbnail (larger), file name (a link to the file's page), live progress
 * and times, and from the job-service (current-job.js, asked once per job) our and the slicer's
 * time estimate, filament, object size, layers and who started it. The thumbnail, the name and
 * the facts are rebuilt only when the job or what is known about it changes, so the link keeps
 * keyboard focus and the image never reloads; only the live part follows every telemetry update.
 */
function jobPanel() {
  const thumb = thumbnailBox('div.job-thumb');
  const head = h('div');
  const live = h('div.job');
  const facts = h('div');
  const current = h('div.job-current', {}, thumb.node, h('div.job-info', {}, head, live, facts));
  const none = h('p.muted', {}, 'No job.');
  const node = h('div.panel.job-panel', {}, h('h2', {}, 'Job'), current, none);
  /** @type {CurrentJob | null | undefined} */
  let shownInfo;
  let shownKey = '';

  return {
    node,
    /** @param {PrinterView} p @param {() => void} refresh called when the job-service answers */
    render(p, refresh) {
      const job = p.agent === 'offline' ? null : progressOf(p);
      current.hidden = !job;
      none.hidden = !!job;
      if (!job || !p.state.job) return;
      const info = currentJob(p.state.job.id, refresh);
      replace(
        live,
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
      );
      const key = `${p.state.job.id}|${job.fileName}`;
      if (key === shownKey && info === shownInfo) return;
      shownKey = key;
      shownInfo = info;
      const f = info?.file ?? null;
      thumb.show(info, f?.name ?? job.fileName);
      replace(
        head,
        h(
          'p.job-name',
          {},
          f ? h('a', { href: `#/files/${encodeURIComponent(f.id)}` }, f.name) : job.fileName,
        ),
      );
      replace(facts, jobFacts(info));
    },
  };
}

/** What the job-service knows about the job, or why it says nothing. @param {CurrentJob | null} info */
function jobFacts(info) {
  if (!info) return h('p.muted', {}, 'Looking up the file…');
  const f = info.file;
  const a = f?.analysis ?? null;
  /** @type {[string, string][]} */
  const rows = [];
  if (f && f.analysisState === 'done')
    rows.push(
      ['Print time', f.estimateS === null ? '—' : `about ${duration(f.estimateS)}`],
      ['Slicer’s estimate', a?.slicerEstimateS ? duration(a.slicerEstimateS) : '—'],
      ['Filament', filament(f.filamentMm, a?.filamentG ?? null)],
      sizeFact(f.bbox, a),
      ['Layers', a?.layers ? `${a.layers}${a.layerHeight ? ` × ${a.layerHeight} mm` : ''}` : '—'],
    );
  if (info.job)
    rows.push(['Started by', `${info.job.requestedBy}${info.job.startedAt ? `, ${when(info.job.startedAt)}` : ''}`]);
  const why = info.error
    ? `File details not available now: ${info.error}`
    : !info.job
      ? 'The job-service has no record of this job, so there are no file details.'
      : !f
        ? 'Its file is no longer in the library (deleted, or removed as unused), so its details are gone.'
        : f.analysisState !== 'done'
          ? 'The file is still being analysed.'
          : '';
  return h(
    'div',
    {},
    rows.length
      ? h('dl.facts', { id: 'job-facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))
      : null,
    why ? h('p.muted', { id: 'job-facts-note' }, why) : null,
  );
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
