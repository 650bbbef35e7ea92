// @ts-check
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { duration } from '../format.js';
import { bytes, message } from '../jobs-format.js';
import { adminTabs } from './admin-tabs.js';

/** @typedef {{ key: string, value: string | null, source: 'environment' | 'config file' | 'default' | 'unset',
 *   defaultValue: string | null, help: string, redacted: boolean }} Setting */
/** @typedef {{ version: string, node: string, uptimeS: number, dataDir: string,
 *   disk: { freeBytes: number, totalBytes: number } | null, settings: Setting[] }} SystemReport */

/** Below this, uploads and the database are at risk on a small SD card. */
const LOW_DISK_BYTES = 1024 ** 3;

/**
 * System (admins): version, free disk, and every setting in force with where it came from.
 * Read only: settings come from the environment or the config file (the compose file on a Pi).
 */
export function systemView() {
  document.title = 'System · printfleet';
  const facts = h('dl.facts', { id: 'system-facts' });
  const status = h('p.command-status', { role: 'status', id: 'system-status' });
  const body = h('tbody');
  const table = h(
    'table.history.admin-table',
    { id: 'settings-table' },
    h('caption.visually-hidden', {}, 'Settings'),
    h('thead', {}, h('tr', {}, ...['Setting', 'Value', 'From', 'Default'].map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  const node = h(
    'section.page',
    { 'aria-labelledby': 'system-title' },
    h('div.page-head', {}, h('h1', { id: 'system-title' }, 'System'), adminTabs('system')),
    h('div.panel', {}, h('h2', {}, 'This installation'), facts),
    status,
    h(
      'div.panel',
      {},
      h('h2', {}, 'Settings in force'),
      h(
        'p.muted',
        {},
        'Set in the environment (docker-compose.yml) or the PRINTFLEET_CONFIG file, then restart. Passwords and secrets are never shown; URLs only by host. Printer names and scripts are set on the Printers tab.',
      ),
      h('div.table-wrap', {}, table),
    ),
  );

  /** @param {Setting} s */
  const row = (s) =>
    h(
      'tr',
      { 'data-setting': s.key },
      h('td', { 'data-label': 'Setting' }, h('code', {}, s.key), h('p.muted.setting-help', {}, s.help.replaceAll('`', ''))),
      h('td', { 'data-label': 'Value' }, s.value === null ? h('span.muted', {}, 'not set') : h('code', {}, s.value)),
      h('td', { 'data-label': 'From' }, s.source),
      h('td', { 'data-label': 'Default' }, s.defaultValue === null ? '—' : h('code', {}, s.defaultValue)),
    );

  const load = async () => {
    try {
      /** @type {SystemReport} */
      const r = await api('GET', '/api/system');
      const low = r.disk !== null && r.disk.freeBytes < LOW_DISK_BYTES;
      replace(
        facts,
        h('dt', {}, 'Version'),
        h('dd', {}, `printfleet ${r.version} on Node ${r.node}`),
        h('dt', {}, 'Gateway up for'),
        h('dd', {}, duration(r.uptimeS)),
        h('dt', {}, 'Data folder'),
        h('dd', {}, h('code', {}, r.dataDir)),
        h('dt', {}, 'Free disk'),
        h(
          `dd${low ? '.bad' : ''}`,
          { 'data-testid': 'free-disk' },
          r.disk ? `${bytes(r.disk.freeBytes)} of ${bytes(r.disk.totalBytes)}${low ? ' — low: uploads may fail' : ''}` : 'unknown',
        ),
      );
      replace(body, ...r.settings.map(row));
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = message(err);
    }
  };

  void load();
  return { node, dispose: () => undefined };
}
