// @ts-check
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { duration, presentState, printerName } from '../format.js';
import { bytes, filament, message, sizeFact, thumbnailUrl, when } from '../jobs-format.js';

/** @typedef {import('../api.js').FileRecord} FileRecord */
/** @typedef {import('../live.js').PrinterView} PrinterView */

const FLEET = '';

/**
 * One file: thumbnail, what the analysis found, why it cannot be printed (when so), and
 * "Print on…": one or more ready printers, or the fleet queue. Printers come from the live fleet, so the
 * choice follows their real state.
 * @param {import('../live.js').LiveFleet} fleet @param {string} fileId @param {import('../api.js').User} user
 */
export function fileDetailView(fleet, fileId, user) {
  const canPrint = user.role !== 'viewer';
  const title = h('h1', { id: 'file-title' }, 'File');
  const badge = h('span.badge.big.tone-off', { 'data-testid': 'analysis-state' }, 'Loading');
  const preview = h('div.panel.preview', {}, h('h2', {}, 'Preview'));
  const facts = h('div.panel', {}, h('h2', {}, 'Analysis'));
  const refusal = h('p.refusal', { role: 'alert', id: 'file-refusal', hidden: true });
  const printPanel = h('div.panel.print-on');
  const actions = h('div.actions');
  const node = h(
    'section.detail',
    { 'aria-labelledby': 'file-title' },
    h('a.back', { href: '#/files' }, '← Files'),
    h('div.detail-head', {}, title, badge),
    refusal,
    h('div.detail-body', {}, preview, facts),
    printPanel,
    h('div.panel', {}, h('h2', {}, 'File'), actions),
  );
  /** @type {FileRecord | null} */
  let file = null;
  let disposed = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** Where to print: the fleet queue alone, or one or more printers. */
  let selected = new Set([FLEET]);
  let printersKey = '';
  const status = h('p.command-status', { role: 'status', id: 'print-status' });

  const load = async (waitMs = 400) => {
    try {
      file = /** @type {FileRecord} */ (await api('GET', `/api/files/${encodeURIComponent(fileId)}`));
    } catch (err) {
      title.textContent = 'File not available';
      badge.hidden = true;
      refusal.hidden = false;
      refusal.textContent = message(err);
      return;
    }
    if (disposed) return;
    render();
    // Analysis runs in the job-service right after upload and announces nothing: ask again,
    // a little less often each time, until it is done (a few seconds for most files).
    if (file.analysisState === 'pending') timer = setTimeout(() => void load(Math.min(waitMs * 1.5, 5000)), waitMs);
  };

  const render = () => {
    if (!file) return;
    const f = file;
    const a = f.analysis ?? null;
    document.title = `${f.name} · printfleet`;
    title.textContent = f.name;
    const [label, tone] =
      f.analysisState === 'pending'
        ? ['Analysing…', 'busy']
        : f.analysisState === 'failed'
          ? ['Cannot be printed', 'bad']
          : ['Ready to print', 'ok'];
    badge.textContent = label;
    badge.className = `badge big tone-${tone}`;
    refusal.hidden = f.analysisState !== 'failed';
    refusal.textContent = f.analysisState === 'failed' ? `This file cannot be printed: ${f.analysisError ?? 'the analysis failed'}` : '';

    replace(
      preview,
      h('h2', {}, 'Preview'),
      f.thumbnails.length
        ? h('img.thumb', {
            src: thumbnailUrl(f.id),
            alt: `Preview of ${f.name}`,
            width: f.thumbnails[0]?.width ?? 0,
            height: f.thumbnails[0]?.height ?? 0,
            id: 'file-thumbnail',
          })
        : h('p.muted', {}, f.analysisState === 'pending' ? 'Looking for a preview…' : 'This file has no preview image.'),
    );
    /** @type {[string, string][]} */
    const rows = [
      ['Slicer', a?.slicer ? `${a.slicer}${a.slicerVersion ? ` ${a.slicerVersion}` : ''}` : '—'],
      ['Print time', f.estimateS === null ? '—' : `about ${duration(f.estimateS)}`],
      ['Slicer’s estimate', a?.slicerEstimateS ? duration(a.slicerEstimateS) : '—'],
      ['Filament', filament(f.filamentMm, a?.filamentG ?? null)],
      sizeFact(f.bbox, a),
      ['Layers', a?.layers ? `${a.layers}${a.layerHeight ? ` × ${a.layerHeight} mm` : ''}` : '—'],
      ['File size', bytes(f.size)],
      ['Uploaded', `${when(f.uploadedAt)} by ${f.uploadedBy}`],
      ['Last printed', when(f.lastPrintedAt)],
    ];
    replace(
      facts,
      h('h2', {}, 'Analysis'),
      f.analysisState === 'pending'
        ? h('p.muted', { role: 'status' }, 'The file is being analysed…')
        : h('dl.facts', { id: 'file-facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    );
    renderPrint(true);
    replace(
      actions,
      h('a.button', { href: `/api/files/${encodeURIComponent(f.id)}/download`, download: f.name }, 'Download'),
      canDelete(f) ? h('button.danger', { type: 'button', onclick: () => void remove(f) }, 'Delete…') : null,
    );
  };

  /** @param {FileRecord} f */
  const canDelete = (f) =>
    user.role === 'admin' || user.role === 'operator' || (user.role === 'maker' && f.uploadedBy.toLowerCase() === user.name.toLowerCase());

  /** @param {FileRecord} f */
  const remove = async (f) => {
    if (!confirm(`Delete ${f.name}? Its print history stays.`)) return;
    try {
      await api('DELETE', `/api/files/${encodeURIComponent(f.id)}`);
      location.hash = '#/files';
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = message(err);
    }
  };

  /** "Print on…": the fleet queue, then every printer; only ready ones can be ticked, several at once. */
  const renderPrint = (force = false) => {
    if (!file) return;
    if (!canPrint) return replace(printPanel, h('h2', {}, 'Print on…'), h('p.muted', {}, `You are logged in as ${user.role}: you can look, not print.`));
    if (file.analysisState === 'failed') return replace(printPanel, h('h2', {}, 'Print on…'), h('p.muted', {}, 'This file cannot be sent to a printer.'));
    const printers = [...fleet.printers.values()].sort((a, b) => printerName(a).localeCompare(printerName(b)));
    const ready = (/** @type {PrinterView} */ p) => p.agent !== 'offline' && p.state.state === 'ready' && fleet.connected;
    const key = printers.map((p) => `${p.printerId}:${ready(p)}:${presentState(p).label}`).join('|');
    if (!force && key === printersKey) return;
    printersKey = key;
    for (const id of selected) if (id !== FLEET && !printers.some((p) => p.printerId === id && ready(p))) selected.delete(id);
    if (selected.size === 0) selected.add(FLEET);
    /** The fleet queue excludes printers and the other way round; several printers may be ticked. @param {string} value @param {boolean} on */
    const choose = (value, on) => {
      if (value === FLEET || selected.has(FLEET)) selected.clear();
      if (on) selected.add(value);
      else selected.delete(value);
      if (selected.size === 0) selected.add(FLEET);
      // In place, not re-rendered: focus and screen-reader position stay on the box just used.
      for (const b of boxes) b.checked = selected.has(b.value);
    };
    /** @type {HTMLInputElement[]} */
    const boxes = [];
    /** @param {string} value @param {string} label @param {string} hint @param {boolean} enabled */
    const option = (value, label, hint, enabled) => {
      const id = `print-on-${value || 'fleet'}`;
      const box = /** @type {HTMLInputElement} */ (
        h('input', { type: 'checkbox', name: 'print-on', id, value, checked: selected.has(value), disabled: !enabled })
      );
      box.addEventListener('change', () => choose(value, box.checked));
      boxes.push(box);
      return h('div.choice', { class: enabled ? 'choice' : 'choice disabled' }, box, h('label', { for: id }, h('span.choice-label', {}, label), h('span.muted', {}, hint)));
    };
    const submit = h('button.primary', { type: 'submit', id: 'print-submit' }, 'Print');
    const form = h(
      'form',
      { id: 'print-form' },
      h(
        'fieldset.choices',
        {},
        h('legend', {}, 'Print on… (one printer, several, or the fleet queue)'),
        option(FLEET, 'Fleet queue', 'the first free printer that fits', true),
        ...printers.map((p) => option(p.printerId, printerName(p), ready(p) ? 'Ready' : presentState(p).label, ready(p))),
      ),
      file.analysisState === 'pending' ? h('p.muted', {}, 'A job waits in the queue until the analysis is done.') : null,
      h('div.actions', {}, submit),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void print(/** @type {HTMLButtonElement} */ (submit));
    });
    replace(printPanel, form, status);
  };

  /** @param {HTMLButtonElement} submit */
  const print = async (submit) => {
    if (!file) return;
    submit.disabled = true;
    const targets = [...selected].filter((id) => id !== FLEET);
    const names = targets.map((id) => {
      const p = fleet.printers.get(id);
      return p ? printerName(p) : id;
    });
    const where = targets.length === 0 ? 'the fleet queue' : names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    const body =
      targets.length === 0 ? { fileId: file.id, printerId: null } : targets.length === 1 ? { fileId: file.id, printerId: targets[0] } : { fileId: file.id, printerIds: targets };
    status.className = 'command-status';
    status.textContent = `Sending to ${where}…`;
    try {
      await api('POST', '/api/jobs', body);
      status.className = 'command-status ok';
      replace(status, document.createTextNode(`Sent to ${where}. `), h('a', { href: '#/queue' }, 'See the queue'));
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = `Not sent: ${message(err)}`;
    } finally {
      submit.disabled = false;
    }
  };

  const unsubscribe = fleet.subscribe((change) => {
    if (change.kind !== 'event' && change.kind !== 'job') renderPrint();
  });
  void load();
  return {
    node,
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
