// @ts-check
import { ApiError, logout, whoAmI } from './api.js';
import { h, replace } from './dom.js';
import { LiveFleet } from './live.js';
import { apiKeysView, mqttUsersView, printerProfilesView, usersView } from './views/admin.js';
import { systemView } from './views/admin-system.js';
import { dashboardView } from './views/dashboard.js';
import { fileDetailView } from './views/file-detail.js';
import { filesView } from './views/files.js';
import { historyView } from './views/history.js';
import { loginView } from './views/login.js';
import { printerDetailView } from './views/printer-detail.js';
import { queueView } from './views/queue.js';
import { statsView } from './views/stats.js';

/** @typedef {import('./api.js').User} User */

const app = /** @type {HTMLElement} */ (document.getElementById('app'));
const who = /** @type {HTMLElement} */ (document.getElementById('who'));
const linkStatus = /** @type {HTMLElement} */ (document.getElementById('link-status'));
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));
const nav = /** @type {HTMLElement} */ (document.getElementById('mainnav'));

const fleet = new LiveFleet();
/** @type {User | null} */
let user = null;
/** @type {(() => void) | null} */
let disposeView = null;

function showLogin() {
  user = null;
  fleet.stop();
  disposeView?.();
  disposeView = null;
  who.replaceChildren();
  nav.hidden = true;
  nav.querySelector('[data-nav=admin]')?.remove();
  linkStatus.textContent = '';
  banner.hidden = true;
  document.title = 'Log in · printfleet';
  replace(
    app,
    loginView((u) => start(u)),
  );
}

/** @param {User} u */
function start(u) {
  user = u;
  who.replaceChildren(
    h('span', {}, `${u.name} · ${u.role}`),
    h(
      'button.link',
      { type: 'button', onclick: () => void logout().finally(() => ((location.hash = '#/'), showLogin())) },
      'Log out',
    ),
  );
  // Admin links exist in the page only for admins (not merely hidden).
  nav.querySelector('[data-nav=admin]')?.remove();
  if (u.role === 'admin') nav.append(h('a', { href: '#/admin/users', 'data-nav': 'admin' }, 'Admin'));
  nav.hidden = false;
  fleet.start();
  route();
}

/**
 * `#/`, `#/printers/{id}`, `#/files`, `#/files/{id}`, `#/queue`, `#/history`, `#/stats`, and for
 * admins `#/admin/users`, `#/admin/apikeys`, `#/admin/mqtt`, `#/admin/printers`, `#/admin/system` (others get the fleet; the API refuses them anyway).
 * @param {User} u @returns {{ view: { node: HTMLElement, dispose: () => void }, section: string }}
 */
function pick(u) {
  const hash = location.hash;
  const param = (/** @type {RegExpExecArray} */ m) => decodeURIComponent(m[1] ?? '');
  let m = /^#\/printers\/(.+)$/.exec(hash);
  if (m) return { view: printerDetailView(fleet, param(m), u), section: 'fleet' };
  m = /^#\/files\/(.+)$/.exec(hash);
  if (m) return { view: fileDetailView(fleet, param(m), u), section: 'files' };
  if (hash === '#/files') return { view: filesView(u), section: 'files' };
  if (hash === '#/queue') return { view: queueView(fleet, u), section: 'queue' };
  if (hash === '#/history') return { view: historyView(fleet, u), section: 'history' };
  if (hash === '#/stats') return { view: statsView(fleet), section: 'stats' };
  if (u.role === 'admin' && hash === '#/admin/users') return { view: usersView(u), section: 'admin' };
  if (u.role === 'admin' && hash === '#/admin/apikeys') return { view: apiKeysView(u), section: 'admin' };
  if (u.role === 'admin' && hash === '#/admin/mqtt') return { view: mqttUsersView(), section: 'admin' };
  if (u.role === 'admin' && hash === '#/admin/printers') return { view: printerProfilesView(), section: 'admin' };
  if (u.role === 'admin' && hash === '#/admin/system') return { view: systemView(), section: 'admin' };
  document.title = 'Fleet · printfleet';
  return { view: dashboardView(fleet, u), section: 'fleet' };
}

function route() {
  if (!user) return;
  disposeView?.();
  const { view, section } = pick(user);
  for (const a of nav.querySelectorAll('a'))
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  disposeView = view.dispose;
  replace(app, view.node);
}

/** The link indicator and banner: while the socket is down, say that what is shown may be old. */
fleet.subscribe(async (change) => {
  if (change.kind !== 'link' && change.kind !== 'snapshot') return;
  linkStatus.className = `link-status ${fleet.connected ? 'up' : 'down'}`;
  linkStatus.textContent = fleet.connected ? 'Live' : 'Reconnecting…';
  banner.hidden = fleet.connected;
  banner.textContent = fleet.connected
    ? ''
    : 'Connection to the gateway lost. Reconnecting… What is shown may be out of date.';
  // A socket that keeps closing may mean the session ended: ask once, go to login if so.
  if (!fleet.connected && user && (await whoAmI().catch(() => user)) === null) showLogin();
});

window.addEventListener('hashchange', route);

whoAmI()
  .then((u) => (u ? start(u) : showLogin()))
  .catch((err) => {
    replace(
      app,
      h(
        'p.form-error',
        { role: 'alert' },
        err instanceof ApiError || err instanceof Error ? err.message : String(err),
      ),
    );
  });
