// @ts-check
import { sendCommand } from '../api.js';
import { h } from '../dom.js';
import { message } from '../jobs-format.js';

/** @typedef {{ printerId: string, ts: string, direction: 'tx' | 'rx', line: string }} ConsoleLine */

const MAX_LINES = 300;

/**
 * The printer's serial console, for admins: what the agent sends (`tx`, "→") and receives (`rx`,
 * "←") as `/api/live` relays it (to admins only), and a field to send one raw G-code line. Lines
 * go in as text nodes, never HTML.
 * @param {string} printerId
 */
export function printerConsole(printerId) {
  const log = h('ol.console-log', { id: 'console-log', 'aria-label': 'Console', 'aria-live': 'off', tabindex: '0' });
  const empty = h('li.muted', {}, 'Nothing yet: lines appear as the printer talks.');
  log.append(empty);
  const input = /** @type {HTMLInputElement} */ (
    h('input', { id: 'gcode-line', name: 'gcode', autocomplete: 'off', spellcheck: 'false', placeholder: 'M105', required: true, maxlength: '200' })
  );
  const status = h('p.command-status', { role: 'status', id: 'gcode-status' });
  const send = h('button.primary', { type: 'submit' }, 'Send');
  const form = h(
    'form.console-form',
    { 'aria-label': 'Send G-code' },
    h('label', { for: 'gcode-line' }, 'G-code'),
    input,
    send,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const lines = [text];
    send.setAttribute('disabled', '');
    status.className = 'command-status';
    status.textContent = `${lines[0]}: sent, waiting for the printer…`;
    try {
      const reply = await sendCommand(printerId, 'gcode', { lines });
      status.className = `command-status ${reply.accepted ? 'ok' : 'bad'}`;
      status.textContent = reply.accepted
        ? `${lines[0]}: accepted by the printer.`
        : `${lines[0]}: refused by the printer: ${reply.reason ?? 'no reason given'}`;
      if (reply.accepted) input.value = '';
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = `${lines[0]}: ${message(err)}`;
    } finally {
      send.removeAttribute('disabled');
      input.focus();
    }
  });

  const node = h(
    'div.panel.console',
    { id: 'console' },
    h('h2', {}, 'Console'),
    h('p.muted', {}, 'Admins only. A G-code line can do anything the firmware can: heaters, motion, stored settings.'),
    log,
    form,
    status,
  );

  return {
    node,
    /** @param {ConsoleLine} l */
    line(l) {
      if (l.printerId !== printerId) return;
      empty.remove();
      // Keep the view at the bottom only if the reader was there already.
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 8;
      log.append(
        h(
          `li.${l.direction}`,
          {},
          h('time', { datetime: l.ts }, new Date(l.ts).toLocaleTimeString()),
          h('span.dir', { 'aria-label': l.direction === 'tx' ? 'sent' : 'received' }, l.direction === 'tx' ? ' → ' : ' ← '),
          l.line,
        ),
      );
      while (log.childElementCount > MAX_LINES) log.firstElementChild?.remove();
      if (atBottom) log.scrollTop = log.scrollHeight;
    },
  };
}
