// @ts-check
import { ApiError, sendCommand } from '../api.js';
import { h, replace } from '../dom.js';
import { VERB_LABELS } from '../format.js';

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

/** Operators and admins command printers; makers' pause/resume are refused by the gateway for now. */
export const canCommand = (/** @type {import('../api.js').User} */ user) =>
  user.role === 'admin' || user.role === 'operator';

/** A modal dialog for `confirmThen`, one per page. */
export const confirmDialog = () =>
  /** @type {HTMLDialogElement} */ (h('dialog.confirm', { 'aria-labelledby': 'confirm-title' }));

/**
 * Runs `go` at once, or after the modal `dialog` was confirmed for verbs that need a deliberate
 * second tap (cancel, clear, estop). Esc or "Go back" leaves it.
 * @param {HTMLDialogElement} dialog @param {string} verb @param {() => void} go
 */
export function confirmThen(dialog, verb, go) {
  const c = CONFIRM[verb];
  if (!c) return go();
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
    go();
  });
  dialog.showModal();
}

/** @param {string} verb */
const pendingText = (verb) => `${VERB_LABELS[verb] ?? verb}: sent, waiting for the printer…`;

/**
 * Sends a command and says what came of it: the agent's answer as it came, or the gateway's error.
 * @param {string} printerId @param {string} verb
 * @returns {Promise<{ ok: boolean, text: string }>}
 */
async function commandOutcome(printerId, verb) {
  const label = VERB_LABELS[verb] ?? verb;
  try {
    const reply = await sendCommand(printerId, verb);
    return reply.accepted
      ? { ok: true, text: `${label}: accepted by the printer.` }
      : { ok: false, text: `${label}: refused by the printer: ${reply.reason ?? 'no reason given'}` };
  } catch (err) {
    return { ok: false, text: `${label}: ${err instanceof ApiError || err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Sends `verb` and says so in `status` (class `base`), then the printer's answer (`base ok` /
 * `base bad`): one wording for the card and the printer page.
 * @param {string} printerId @param {string} verb @param {HTMLElement} status @param {string} base
 */
export async function sendWithStatus(printerId, verb, status, base) {
  status.className = base;
  status.textContent = pendingText(verb);
  const outcome = await commandOutcome(printerId, verb);
  status.className = `${base} ${outcome.ok ? 'ok' : 'bad'}`;
  status.textContent = outcome.text;
}
