// @ts-check
import { api, ApiError, uploadFile } from '../api.js';
import { h, replace } from '../dom.js';
import { duration } from '../format.js';
import { bytes, filament, message, thumbnailUrl, when } from '../jobs-format.js';

/** @typedef {import('../api.js').FileRecord} FileRecord */

/** What the lab's printers take; the job-service decides by content, this only guides the picker. */
const ACCEPT = '.gcode,.g,.gco,.gc,.bgcode,text/x-gcode';

/**
 * The file library: upload (drag-and-drop or the picker, with a progress bar), search, and one
 * row per file with its thumbnail and analysis at a glance. A finished upload opens the file's
 * page, where its analysis and "Print on…" are.
 * @param {import('../api.js').User} user
 */
export function filesView(user) {
  const canUpload = user.role !== 'viewer';
  const list = h('ul.file-list', { id: 'file-list', 'aria-label': 'Files' });
  const summary = h('p.summary', { role: 'status' }, 'Loading…');
  const search = /** @type {HTMLInputElement} */ (
    h('input', { id: 'file-search', type: 'search', name: 'search', autocomplete: 'off', placeholder: 'Name contains…' })
  );
  let disposed = false;

  const load = async () => {
    try {
      const q = search.value.trim();
      const res = await api('GET', `/api/files?limit=100${q ? `&search=${encodeURIComponent(q)}` : ''}`);
      if (disposed) return;
      /** @type {FileRecord[]} */
      const items = res.items;
      summary.textContent =
        res.total === 0
          ? q
            ? `No file name contains “${q}”.`
            : 'No files yet.'
          : `${res.total} file${res.total === 1 ? '' : 's'}${res.total > items.length ? `, the newest ${items.length} shown` : ''}`;
      replace(list, ...items.map(fileRow));
    } catch (err) {
      summary.textContent = message(err);
    }
  };

  const searchForm = h(
    'form.search',
    { role: 'search' },
    h('label', { for: 'file-search' }, 'Search files'),
    search,
    h('button', { type: 'submit' }, 'Search'),
  );
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });

  const node = h(
    'section.page',
    { 'aria-labelledby': 'files-title' },
    h('div.page-head', {}, h('h1', { id: 'files-title' }, 'Files'), summary),
    canUpload ? uploadPanel() : h('p.muted', {}, `You are logged in as ${user.role}: you can look at files, not upload them.`),
    searchForm,
    list,
  );
  document.title = 'Files · printfleet';
  void load();
  return { node, dispose: () => void (disposed = true) };
}

/** @param {FileRecord} f */
function fileRow(f) {
  const thumb = f.thumbnails.length
    ? h('img.thumb-small', { src: thumbnailUrl(f.id), alt: '', loading: 'lazy', width: 64, height: 64 })
    : h('span.thumb-small.no-thumb', { 'aria-hidden': 'true' }, 'G');
  const facts =
    f.analysisState === 'pending'
      ? 'Analysing…'
      : f.analysisState === 'failed'
        ? 'Cannot be printed'
        : `${duration(f.estimateS)} · ${filament(f.filamentMm)}`;
  return h(
    'li',
    {},
    h(
      'a.file-row',
      { href: `#/files/${encodeURIComponent(f.id)}`, 'data-file': f.id },
      thumb,
      h(
        'span.file-text',
        {},
        h('span.file-name', {}, f.name),
        h('span.file-facts', { class: f.analysisState === 'failed' ? 'file-facts bad' : 'file-facts' }, facts),
        h('span.file-meta', {}, `${bytes(f.size)} · ${f.uploadedBy} · ${when(f.uploadedAt)}`),
      ),
    ),
  );
}

/** The drop zone, the progress bar and what became of the upload. */
function uploadPanel() {
  const input = /** @type {HTMLInputElement} */ (h('input.visually-hidden', { id: 'file-input', type: 'file', accept: ACCEPT }));
  const fill = h('div.progress-fill');
  const bar = h(
    'div.progress',
    { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': 'Upload progress' },
    fill,
  );
  const barRow = h('div.upload-progress', { hidden: true }, bar, h('span.upload-pct', {}, '0 %'));
  const status = h('p.upload-status', { role: 'status', id: 'upload-status' });
  const error = h('p.form-error', { role: 'alert', id: 'upload-error' });
  const zone = h(
    'label.dropzone',
    { for: 'file-input', id: 'dropzone' },
    h('span.dropzone-title', {}, 'Drop a G-code file here'),
    h('span.muted', {}, 'or '),
    h('span.dropzone-button', {}, 'choose a file'),
    h('span.muted.dropzone-hint', {}, '.gcode, .g, .gco, .gc · analysed as soon as it arrives'),
  );
  let busy = false;

  /** @param {File} file */
  const send = async (file) => {
    if (busy) return;
    busy = true;
    zone.classList.add('busy');
    error.textContent = '';
    barRow.hidden = false;
    const show = (/** @type {number} */ pct) => {
      fill.style.width = `${pct.toFixed(1)}%`;
      bar.setAttribute('aria-valuenow', String(Math.round(pct)));
      /** @type {HTMLElement} */ (barRow.querySelector('.upload-pct')).textContent = `${Math.round(pct)} %`;
    };
    show(0);
    status.textContent = `Uploading ${file.name} (${bytes(file.size)})…`;
    try {
      const res = await uploadFile(file, (sent, total) => show((sent / total) * 100));
      show(100);
      status.textContent = res.duplicate
        ? `${file.name} was already in the library as ${res.file.name}.`
        : `${file.name} uploaded.`;
      location.hash = `#/files/${encodeURIComponent(res.file.id)}`;
    } catch (err) {
      barRow.hidden = true;
      status.textContent = '';
      error.textContent = `${file.name} was refused: ${err instanceof ApiError ? err.message : message(err)}`;
    } finally {
      busy = false;
      zone.classList.remove('busy');
      input.value = '';
    }
  };

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void send(file);
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = /** @type {DragEvent} */ (e).dataTransfer?.files[0];
    if (file) void send(file);
  });
  return h('div.panel.upload', {}, h('h2', {}, 'Upload'), input, zone, barRow, status, error);
}
