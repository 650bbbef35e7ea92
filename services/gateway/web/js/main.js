// @ts-check
import { ApiError, logout, whoAmI } from './api.js';
import { h, replace } from './dom.js';
import { LiveFleet } from './live.js';
import { dashboardView } from './views/dashboard.js';
import { loginView } from './views/login.js';
import { printerDetailView } from './views/printer-detail.js';

/** @typedef {import('./api.js').User} User */

const app = /** @type {HTMLElement} */ (document.getElementById('app'));
const who = /** @type {HTMLElement} */ (document.getElementById('who'));
const linkStatus = /** @type {HTMLElement} */ (document.getElementById('link-status'));
const banner = /** @type {HTMLElement} */ (document.getElementById('banner'));

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
  fleet.start();
  route();
}

function route() {
  if (!user) return;
  disposeView?.();
  const m = /^#\/printers\/(.+)$/.exec(location.hash);
  const view = m ? printerDetailView(fleet, decodeURIComponent(m[1] ?? ''), user) : dashboardView(fleet);
  if (!m) document.title = 'Fleet · printfleet';
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
