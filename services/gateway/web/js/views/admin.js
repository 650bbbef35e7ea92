// @ts-check
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { adminTabs } from './admin-tabs.js';
import { message, when } from '../jobs-format.js';
import { scriptError, scriptField, SCRIPT_KINDS } from './printer-scripts.js';

/** @typedef {import('../api.js').User} User */
/** @typedef {{ id: string, name: string, role: User['role'], createdAt: string }} Account */
/** @typedef {{ id: string, userName: string, label: string, printerId: string | null, createdAt: string,
 *   lastUsedAt: string | null, revokedAt: string | null }} ApiKeyInfo */

export const ROLES = /** @type {const} */ (['admin', 'operator', 'maker', 'viewer']);
const ROLE_HINTS = {
  admin: 'everything, users and keys',
  operator: 'every printer and job',
  maker: 'uploads and prints own jobs',
  viewer: 'watches only',
};

/** A password for a reset, made in the browser (shown once, never stored). */
function newPassword() {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A "shown once" box: a secret to copy now. @param {string} title @param {string} secret */
function secretBox(title, secret) {
  return h(
    'div.secret',
    { role: 'alert' },
    h('p', {}, title),
    h('code.secret-value', { 'data-testid': 'secret' }, secret),
    h('p.muted', {}, 'Shown once: copy it now. It is stored only as a hash.'),
  );
}

/** @param {string} id @param {string} value */
const roleSelect = (id, value) =>
  /** @type {HTMLSelectElement} */ (
    h('select', { id, name: 'role' }, ...ROLES.map((r) => h('option', { value: r, selected: r === value }, `${r} (${ROLE_HINTS[r]})`)))
  );

/**
 * Users (admins only): add (with a password or a generated one, shown once), change role,
 * reset password (a new one made here, shown once; the user's sessions end), remove.
 * @param {User} me
 */
export function usersView(me) {
  document.title = 'Users · printfleet';
  const name = /** @type {HTMLInputElement} */ (h('input', { id: 'u-name', name: 'name', required: true, autocomplete: 'off', maxlength: '64' }));
  const role = roleSelect('u-role', 'maker');
  const password = /** @type {HTMLInputElement} */ (
    h('input', { id: 'u-password', name: 'password', type: 'password', autocomplete: 'new-password', minlength: '12', placeholder: 'empty: generate one' })
  );
  const secret = h('div.secret-slot');
  const status = h('p.command-status', { role: 'status', id: 'users-status' });
  const form = h(
    'form.admin-form',
    { 'aria-label': 'Add a user' },
    h('div.field', {}, h('label', { for: 'u-name' }, 'User name'), name),
    h('div.field', {}, h('label', { for: 'u-role' }, 'Role'), role),
    h('div.field', {}, h('label', { for: 'u-password' }, 'Password (12+ characters)'), password),
    h('div.filter-buttons', {}, h('button.primary', { type: 'submit' }, 'Add user')),
  );
  const body = h('tbody');
  const table = h(
    'table.history.admin-table',
    { id: 'users-table' },
    h('caption.visually-hidden', {}, 'Users'),
    h('thead', {}, h('tr', {}, ...['User', 'Role', 'Since', ''].map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  const node = h(
    'section.page',
    { 'aria-labelledby': 'users-title' },
    h('div.page-head', {}, h('h1', { id: 'users-title' }, 'Users'), adminTabs('users')),
    h('div.panel', {}, h('h2', {}, 'Add a user'), form, secret),
    status,
    h('div.table-wrap', {}, table),
  );

  /** @param {string} text @param {boolean} ok */
  const say = (text, ok) => {
    status.className = `command-status ${ok ? 'ok' : 'bad'}`;
    status.textContent = text;
  };

  const load = async () => {
    try {
      /** @type {Account[]} */
      const users = await api('GET', '/api/users');
      replace(body, ...users.map(row));
    } catch (err) {
      say(message(err), false);
    }
  };

  /** @param {Account} u */
  const row = (u) => {
    const select = roleSelect(`role-${u.name}`, u.role);
    select.setAttribute('aria-label', `Role of ${u.name}`);
    select.addEventListener('change', async () => {
      try {
        await api('PATCH', `/api/users/${encodeURIComponent(u.name)}`, { role: select.value });
        say(`${u.name} is now ${select.value}.`, true);
      } catch (err) {
        select.value = u.role;
        say(`${u.name}: ${message(err)}`, false);
      }
      await load();
    });
    const reset = h('button.small', { type: 'button', 'aria-label': `Reset password of ${u.name}` }, 'Reset password');
    reset.addEventListener('click', async () => {
      if (!confirm(`Give ${u.name} a new password? Their sessions end now.`)) return;
      const pw = newPassword();
      try {
        await api('PATCH', `/api/users/${encodeURIComponent(u.name)}`, { password: pw });
        replace(secret, secretBox(`New password for ${u.name}:`, pw));
        say(`${u.name} has a new password; their sessions were ended.`, true);
      } catch (err) {
        say(`${u.name}: ${message(err)}`, false);
      }
    });
    const remove = h('button.small.danger', { type: 'button', 'aria-label': `Remove ${u.name}` }, 'Remove');
    remove.addEventListener('click', async () => {
      if (!confirm(`Remove ${u.name}, their sessions and API keys?`)) return;
      try {
        await api('DELETE', `/api/users/${encodeURIComponent(u.name)}`);
        say(`${u.name} was removed.`, true);
      } catch (err) {
        say(`${u.name}: ${message(err)}`, false);
      }
      await load();
    });
    return h(
      'tr',
      { 'data-user': u.name },
      h('td', { 'data-label': 'User' }, u.name, u.name === me.name ? h('span.muted', {}, ' (you)') : null),
      h('td', { 'data-label': 'Role' }, select),
      h('td', { 'data-label': 'Since' }, when(u.createdAt)),
      h('td', { 'data-label': '' }, h('div.job-buttons', {}, reset, remove)),
    );
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      /** @type {{ user: Account, generatedPassword?: string }} */
      const r = await api('POST', '/api/users', { name: name.value.trim(), role: role.value, ...(password.value ? { password: password.value } : {}) });
      replace(secret, r.generatedPassword ? secretBox(`Password for ${r.user.name}:`, r.generatedPassword) : null);
      say(`${r.user.name} was added as ${r.user.role}.`, true);
      name.value = '';
      password.value = '';
      await load();
    } catch (err) {
      say(message(err), false);
    }
  });

  void load();
  return { node, dispose: () => undefined };
}

/**
 * API keys (admins: everyone's): create for a user with a label (the key is shown once),
 * list with last use, revoke.
 * @param {User} me
 */
export function apiKeysView(me) {
  document.title = 'API keys · printfleet';
  const label = /** @type {HTMLInputElement} */ (h('input', { id: 'k-label', name: 'label', required: true, maxlength: '100', placeholder: 'PrusaSlicer in room 2' }));
  const owner = /** @type {HTMLInputElement} */ (h('input', { id: 'k-user', name: 'user', value: me.name, list: 'k-users', autocomplete: 'off' }));
  const users = h('datalist', { id: 'k-users' });
  const secret = h('div.secret-slot');
  const status = h('p.command-status', { role: 'status', id: 'keys-status' });
  const form = h(
    'form.admin-form',
    { 'aria-label': 'Create an API key' },
    h('div.field', {}, h('label', { for: 'k-label' }, 'Label'), label),
    h('div.field', {}, h('label', { for: 'k-user' }, 'For user'), owner, users),
    h('div.filter-buttons', {}, h('button.primary', { type: 'submit' }, 'Create key')),
  );
  const body = h('tbody');
  const table = h(
    'table.history.admin-table',
    { id: 'keys-table' },
    h('caption.visually-hidden', {}, 'API keys'),
    h('thead', {}, h('tr', {}, ...['Label', 'User', 'Created', 'Last used', 'State', ''].map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  const node = h(
    'section.page',
    { 'aria-labelledby': 'keys-title' },
    h('div.page-head', {}, h('h1', { id: 'keys-title' }, 'API keys'), adminTabs('apikeys')),
    h('div.panel', {}, h('h2', {}, 'Create a key'), h('p.muted', {}, 'For scripts and slicers (header X-Api-Key). A key acts with its user’s role.'), form, secret),
    status,
    h('div.table-wrap', {}, table),
  );

  /** @param {string} text @param {boolean} ok */
  const say = (text, ok) => {
    status.className = `command-status ${ok ? 'ok' : 'bad'}`;
    status.textContent = text;
  };

  const load = async () => {
    try {
      /** @type {ApiKeyInfo[]} */
      const keys = await api('GET', '/api/apikeys');
      replace(body, ...keys.map(row));
      if (keys.length === 0) replace(body, h('tr', {}, h('td.muted', { colspan: '6' }, 'No API keys yet.')));
    } catch (err) {
      say(message(err), false);
    }
  };

  /** @param {ApiKeyInfo} k */
  const row = (k) => {
    const revoke = h('button.small.danger', { type: 'button', 'aria-label': `Revoke ${k.label}` }, 'Revoke');
    revoke.addEventListener('click', async () => {
      if (!confirm(`Revoke “${k.label}” of ${k.userName}? Whatever uses it stops working.`)) return;
      try {
        await api('DELETE', `/api/apikeys/${encodeURIComponent(k.id)}`);
        say(`“${k.label}” was revoked.`, true);
      } catch (err) {
        say(message(err), false);
      }
      await load();
    });
    return h(
      'tr',
      { 'data-key': k.id },
      h('td', { 'data-label': 'Label' }, k.label),
      h('td', { 'data-label': 'User' }, k.userName),
      h('td', { 'data-label': 'Created' }, when(k.createdAt)),
      h('td', { 'data-label': 'Last used' }, k.lastUsedAt ? when(k.lastUsedAt) : 'never'),
      h('td', { 'data-label': 'State' }, k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active'),
      h('td', { 'data-label': '' }, k.revokedAt ? null : revoke),
    );
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      /** @type {{ key: string, info: ApiKeyInfo }} */
      const r = await api('POST', '/api/apikeys', { label: label.value.trim(), user: owner.value.trim() || me.name });
      replace(secret, secretBox(`API key “${r.info.label}” for ${r.info.userName}:`, r.key));
      say(`“${r.info.label}” was created.`, true);
      label.value = '';
      await load();
    } catch (err) {
      say(message(err), false);
    }
  });

  api('GET', '/api/users').then(
    (/** @type {Account[]} */ list) => replace(users, ...list.map((u) => h('option', { value: u.name }))),
    () => undefined,
  );
  void load();
  return { node, dispose: () => undefined };
}

/** @typedef {{ name: string, role: string, agentId?: string, createdAt: string, service: boolean }} MqttUser */

const MQTT_ROLE_HINTS = {
  observer: 'reads states, telemetry and events',
  controller: 'reads, and sends printer commands',
};

/**
 * MQTT accounts (admins only) for people and tools such as Home Assistant or Node-RED: add an
 * observer or controller (with a password or a generated one, shown once), remove. Service
 * accounts (gateway, job-service, agents) are listed but managed by the services themselves.
 */
export function mqttUsersView() {
  document.title = 'MQTT accounts · printfleet';
  const name = /** @type {HTMLInputElement} */ (h('input', { id: 'm-name', name: 'name', required: true, autocomplete: 'off', maxlength: '64' }));
  const role = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'm-role', name: 'role' },
      ...Object.entries(MQTT_ROLE_HINTS).map(([r, hint]) => h('option', { value: r }, `${r} (${hint})`)),
    )
  );
  const password = /** @type {HTMLInputElement} */ (
    h('input', { id: 'm-password', name: 'password', type: 'password', autocomplete: 'new-password', minlength: '12', placeholder: 'empty: generate one' })
  );
  const secret = h('div.secret-slot');
  const status = h('p.command-status', { role: 'status', id: 'mqtt-status' });
  const form = h(
    'form.admin-form',
    { 'aria-label': 'Add an MQTT account' },
    h('div.field', {}, h('label', { for: 'm-name' }, 'Account name'), name),
    h('div.field', {}, h('label', { for: 'm-role' }, 'MQTT role'), role),
    h('div.field', {}, h('label', { for: 'm-password' }, 'MQTT password (12+ characters)'), password),
    h('div.filter-buttons', {}, h('button.primary', { type: 'submit' }, 'Add account')),
  );
  const body = h('tbody');
  const table = h(
    'table.history.admin-table',
    { id: 'mqtt-table' },
    h('caption.visually-hidden', {}, 'MQTT accounts'),
    h('thead', {}, h('tr', {}, ...['Account', 'Role', 'Since', ''].map((c) => h('th', { scope: 'col' }, c)))),
    body,
  );
  const node = h(
    'section.page',
    { 'aria-labelledby': 'mqtt-title' },
    h('div.page-head', {}, h('h1', { id: 'mqtt-title' }, 'MQTT accounts'), adminTabs('mqtt')),
    h(
      'div.panel',
      {},
      h('h2', {}, 'Add an account'),
      h('p.muted', {}, 'For tools that read the broker directly. The broker picks up changes at once.'),
      form,
      secret,
    ),
    status,
    h('div.table-wrap', {}, table),
  );

  /** @param {string} text @param {boolean} ok */
  const say = (text, ok) => {
    status.className = `command-status ${ok ? 'ok' : 'bad'}`;
    status.textContent = text;
  };

  const load = async () => {
    try {
      /** @type {MqttUser[]} */
      const users = await api('GET', '/api/mqtt-users');
      replace(body, ...users.map(row));
      if (users.length === 0) replace(body, h('tr', {}, h('td.muted', { colspan: '4' }, 'No MQTT accounts yet.')));
    } catch (err) {
      say(message(err), false);
    }
  };

  /** @param {MqttUser} u */
  const row = (u) => {
    let action = null;
    if (!u.service) {
      action = h('button.small.danger', { type: 'button', 'aria-label': `Remove MQTT account ${u.name}` }, 'Remove');
      action.addEventListener('click', async () => {
        if (!confirm(`Remove the MQTT account ${u.name}? Whatever uses it can no longer connect.`)) return;
        try {
          await api('DELETE', `/api/mqtt-users/${encodeURIComponent(u.name)}`);
          say(`${u.name} was removed.`, true);
        } catch (err) {
          say(`${u.name}: ${message(err)}`, false);
        }
        await load();
      });
    }
    return h(
      'tr',
      { 'data-mqtt-user': u.name },
      h('td', { 'data-label': 'Account' }, u.name),
      h('td', { 'data-label': 'Role' }, u.role, u.service ? h('span.muted', {}, ' (service)') : null),
      h('td', { 'data-label': 'Since' }, when(u.createdAt)),
      h('td', { 'data-label': '' }, action),
    );
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      /** @type {{ user: MqttUser, generatedPassword?: string }} */
      const r = await api('POST', '/api/mqtt-users', { name: name.value.trim(), role: role.value, ...(password.value ? { password: password.value } : {}) });
      replace(secret, r.generatedPassword ? secretBox(`MQTT password for ${r.user.name}:`, r.generatedPassword) : null);
      say(`${r.user.name} was added as ${r.user.role}.`, true);
      name.value = '';
      password.value = '';
      await load();
    } catch (err) {
      say(message(err), false);
    }
  });

  void load();
  return { node, dispose: () => undefined };
}

/** @typedef {{ bed: { x: number, y: number, z: number } | null, nozzleDiameter: number | null, filamentType: string | null, tags: string[] }} PrinterProfile */
/** @typedef {{ id: string, displayName: string | null, location: string | null, state: string, profile: PrinterProfile,
 *   pauseScript?: string[] | null, cancelScript?: string[] | null }} PrinterRecord */

/**
 * Printer names and profiles (admins): one form per printer the job-service knows, for the name
 * and location people see (the agent publishes that name), the bed, nozzle, filament and tags the
 * fleet queue matches jobs against, and the G-code the agent runs at a pause or cancel. An empty
 * field clears the value; an empty script box means the agent's default.
 */
export function printerProfilesView() {
  document.title = 'Printers · printfleet';
  const status = h('p.command-status', { role: 'status', id: 'profiles-status' });
  const list = h('div.profile-list', { id: 'profiles' });
  const node = h(
    'section.page',
    { 'aria-labelledby': 'profiles-title' },
    h('div.page-head', {}, h('h1', { id: 'profiles-title' }, 'Printer names and profiles'), adminTabs('printers')),
    h('p.muted', {}, 'The fleet queue sends a job only to a printer whose bed, nozzle, filament and tags fit it.'),
    status,
    list,
  );

  /** @param {string} text @param {boolean} ok */
  const say = (text, ok) => {
    status.className = `command-status ${ok ? 'ok' : 'bad'}`;
    status.textContent = text;
  };

  /** @param {string} id @param {string} label @param {string} value @param {Record<string, string>} [extra] */
  const field = (id, label, value, extra = {}) => {
    const input = /** @type {HTMLInputElement} */ (h('input', { id, name: id, value, autocomplete: 'off', ...extra }));
    return { input, node: h('div.field', {}, h('label', { for: id }, label), input) };
  };
  const num = { type: 'number', step: 'any', min: '0', inputmode: 'decimal' };

  /** @param {PrinterRecord} p */
  const form = (p) => {
    const key = p.id.replace(/[^A-Za-z0-9_-]/g, '_');
    const name = field(`pp-${key}-name`, 'Display name', p.displayName ?? '', { maxlength: '200' });
    const location = field(`pp-${key}-location`, 'Location', p.location ?? '', { maxlength: '200' });
    const tags = field(`pp-${key}-tags`, 'Tags (comma-separated)', p.profile.tags.join(', '));
    const bx = field(`pp-${key}-bx`, 'Bed X (mm)', p.profile.bed ? String(p.profile.bed.x) : '', num);
    const by = field(`pp-${key}-by`, 'Bed Y (mm)', p.profile.bed ? String(p.profile.bed.y) : '', num);
    const bz = field(`pp-${key}-bz`, 'Height Z (mm)', p.profile.bed ? String(p.profile.bed.z) : '', num);
    const nozzle = field(`pp-${key}-nozzle`, 'Nozzle (mm)', p.profile.nozzleDiameter === null ? '' : String(p.profile.nozzleDiameter), num);
    const filament = field(`pp-${key}-filament`, 'Filament', p.profile.filamentType ?? '', { maxlength: '50', placeholder: 'PLA' });
    const scripts = SCRIPT_KINDS.map((kind) => scriptField(`pp-${key}`, kind, p[kind.key] ?? null));
    const f = h(
      'form.admin-form.profile-form',
      { 'aria-label': `Profile of ${p.id}`, 'data-printer': p.id },
      h('h2', {}, p.id, h('span.muted', {}, ` · ${p.state}`)),
      name.node,
      location.node,
      tags.node,
      bx.node,
      by.node,
      bz.node,
      nozzle.node,
      filament.node,
      h(
        'fieldset.script-fields',
        {},
        h('legend', {}, 'Pause and cancel scripts'),
        h(
          'p.muted.script-hint',
          {},
          'G-code the printer’s agent runs at the next pause or cancel, one line per line; text after “;” and blank lines are dropped. ',
          'An empty box means the agent’s default: its configured script, or the built-in one (pause: retract 2 mm, lift 10 mm, park at X0 Y0).',
        ),
        ...scripts.map((s) => s.node),
      ),
      h('div.filter-buttons', {}, h('button.primary', { type: 'submit', 'aria-label': `Save ${p.id}` }, 'Save')),
    );
    /** @param {HTMLInputElement} i */
    const textOf = (i) => i.value.trim() || null;
    /** @param {HTMLInputElement} i */
    const numberOf = (i) => (i.value.trim() === '' ? null : Number(i.value));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      say(`Saving ${p.id}…`, true);
      const bed = [bx, by, bz].map((b) => numberOf(b.input));
      if (bed.some((v) => v === null) && bed.some((v) => v !== null)) {
        say(`${p.id}: give all three bed sizes (X, Y and Z), or none.`, false);
        return;
      }
      for (const s of scripts) s.box.removeAttribute('aria-invalid');
      /** @type {Record<string, string[] | null>} */
      const scriptUpdate = {};
      /** @type {Record<string, number[]>} */
      const lineNumbers = {};
      for (const s of scripts) {
        const { value, at } = s.pending();
        lineNumbers[s.kind.key] = at;
        if (value !== undefined) scriptUpdate[s.kind.key] = value;
      }
      const update = {
        displayName: textOf(name.input),
        location: textOf(location.input),
        tags: tags.input.value.split(',').map((t) => t.trim()).filter(Boolean),
        bed: bed[0] === null ? null : { x: bed[0], y: /** @type {number} */ (bed[1]), z: /** @type {number} */ (bed[2]) },
        nozzleDiameter: numberOf(nozzle.input),
        filamentType: textOf(filament.input),
        // Only a changed script is sent (absent keeps it).
        ...scriptUpdate,
      };
      try {
        /** @type {PrinterRecord} */
        const saved = await api('PUT', `/api/printers/${encodeURIComponent(p.id)}/profile`, update);
        for (const s of scripts) {
          const now = saved[s.kind.key];
          if (now !== undefined) s.show(now);
        }
        say(`${saved.displayName ?? saved.id} was saved.`, true);
      } catch (err) {
        say(`${p.id}: ${scriptError(message(err), scripts, lineNumbers)}`, false);
      }
    });
    return f;
  };

  const load = async () => {
    try {
      /** @type {{ items: PrinterRecord[] }} */
      const r = await api('GET', '/api/printer-profiles');
      replace(list, ...r.items.map(form));
      if (r.items.length === 0) replace(list, h('p.muted', {}, 'No printer has reported yet.'));
    } catch (err) {
      say(message(err), false);
    }
  };

  void load();
  return { node, dispose: () => undefined };
}
