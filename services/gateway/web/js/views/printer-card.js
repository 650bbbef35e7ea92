// @ts-check
import { currentJob, thumbnailBox } from '../current-job.js';
import { h, replace } from '../dom.js';
import {
  celsius,
  duration,
  heaterName,
  presentState,
  printerName,
  progressOf,
  VERB_LABELS,
  verbsFor,
} from '../format.js';
import { confirmThen, sendWithStatus } from './printer-commands.js';

/** @typedef {import('../live.js').PrinterView} PrinterView */

/**
 * A progress bar with its number in words, for screen readers too.
 * @param {number} progress 0-100 @param {string} label
 */
export function progressBar(progress, label) {
  const pct = Math.max(0, Math.min(100, progress));
  const fill = h('div.progress-fill');
  // Through CSSOM, not a style attribute: the page's CSP forbids inline styles.
  fill.style.width = `${pct.toFixed(1)}%`;
  return h(
    'div.progress',
    {
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': Math.round(pct),
      'aria-label': label,
    },
    fill,
  );
}

/** Temperatures as "actual / target °C", only while the agent is not offline (else telemetry is null). @param {PrinterView} p */
export function temperatures(p) {
  const heaters = p.telemetry?.heaters;
  if (!heaters)
    return h(
      'p.temps.muted',
      {},
      p.agent === 'offline' ? 'No temperatures: agent offline' : 'No temperature reading yet',
    );
  const order = Object.keys(heaters).sort((a, b) =>
    a === 'bed' ? 1 : b === 'bed' ? -1 : a.localeCompare(b),
  );
  return h(
    'dl.temps',
    {},
    ...order.flatMap((key) => {
      const t = /** @type {import('../live.js').Heater} */ (heaters[key]);
      return [
        h('dt', {}, heaterName(key)),
        h(
          'dd',
          {},
          h('span.temp-actual', {}, celsius(t.actual)),
          h('span.temp-target', {}, ` / ${t.target > 0 ? celsius(t.target) : 'off'}`),
          ' °C',
        ),
      ];
    }),
  );
}

/**
 * One dashboard card: an article whose name is the link to the printer page (a link cannot hold
 * buttons; CSS stretches the link over the card, so a click anywhere still opens the page). Its
 * parts are made once and `fill` updates them in place on every state or telemetry update: the
 * link and buttons stay the same elements, so keyboard focus survives, and the thumbnail's `img`
 * is never recreated (see current-job.js). Buttons (`commands`, null for roles that only watch)
 * are what fits the state: Pause or Resume, and Bed cleared after a print (asks first).
 * @param {string} printerId
 * @param {{ dialog: HTMLDialogElement } | null} commands
 */
export function printerCard(printerId, commands) {
  const link = h('a.card-link', { href: `#/printers/${encodeURIComponent(printerId)}` });
  const badge = h('span.badge', { 'data-testid': 'state' });
  const hint = h('p.hint');
  const thumb = thumbnailBox('div.card-thumb');
  const jobText = h('div.job-text');
  const job = h('div.job.card-job', {}, thumb.node, jobText);
  /** @type {HTMLElement} */
  let temps = h('p.temps');
  const actions = h('div.card-actions', { role: 'group', hidden: true });
  const status = h('p.card-status', { role: 'status' });
  const node = h(
    'article.card',
    { 'data-printer': printerId },
    h('div.card-head', {}, h('h2.card-name', {}, link), badge),
    hint,
    job,
    temps,
    actions,
    status,
  );
  /** @type {{ p: PrinterView, linkDown: boolean } | null} */
  let last = null;
  let actionsKey = '';
  let busy = false;
  /** The state a command was sent in: its answer is shown until the state moves on. */
  let sentIn = '';
  let disposed = false;
  const refill = () => {
    if (!disposed && last) fill(last.p, last.linkDown);
  };

  /** @param {string} verb */
  const send = async (verb) => {
    busy = true;
    sentIn = last?.p.state.state ?? '';
    refill();
    await sendWithStatus(printerId, verb, status, 'card-status');
    busy = false;
    refill();
  };

  /** @param {PrinterView} p @param {boolean} linkDown */
  const renderActions = (p, linkDown) => {
    const verbs =
      commands && p.agent !== 'offline' && !linkDown
        ? verbsFor(p.state.state).filter((v) => CARD_VERBS.includes(v))
        : [];
    const key = `${verbs.join(',')}|${p.state.displayName ?? ''}`;
    for (const b of actions.querySelectorAll('button')) b.disabled = busy;
    if (key === actionsKey) return;
    actionsKey = key;
    const hadFocus = actions.contains(document.activeElement);
    actions.setAttribute('aria-label', `${printerName(p)} commands`);
    actions.hidden = verbs.length === 0;
    replace(
      actions,
      ...verbs.map((v) =>
        h(
          `button.small${v === 'clear' ? '' : '.primary'}`,
          {
            type: 'button',
            disabled: busy,
            onclick: () => commands && confirmThen(commands.dialog, v, () => void send(v)),
          },
          VERB_LABELS[v] ?? v,
        ),
      ),
    );
    // Pause became Resume under the keyboard user's focus: keep them on the card's buttons.
    if (hadFocus) actions.querySelector('button')?.focus();
  };

  /** @param {PrinterView} p @param {boolean} linkDown */
  const fill = (p, linkDown) => {
    last = { p, linkDown };
    const s = presentState(p);
    const current = p.agent === 'offline' ? null : progressOf(p);
    node.className = `card tone-${s.tone}${linkDown ? ' stale' : ''}`;
    node.setAttribute('data-state', p.agent === 'offline' ? 'unknown' : p.state.state);
    link.textContent = printerName(p);
    badge.textContent = s.label;
    hint.textContent = s.hint;
    hint.hidden = !s.hint;
    job.hidden = !current;
    if (current && p.state.job) {
      const info = currentJob(p.state.job.id, refill);
      const name = info?.file?.name ?? current.fileName;
      thumb.show(info, name);
      replace(
        jobText,
        h('p.job-name', { title: current.fileName }, current.fileName),
        progressBar(current.progress, `${printerName(p)} progress`),
        h(
          'p.job-times',
          {},
          h('span', {}, `${current.progress.toFixed(0)} %`),
          h('span', {}, `Elapsed ${duration(current.elapsedS)}`),
          h('span', {}, `Left ${duration(current.remainingS)}`),
        ),
      );
    }
    const nextTemps = temperatures(p);
    temps.replaceWith(nextTemps);
    temps = nextTemps;
    if (!busy && sentIn && sentIn !== p.state.state) {
      sentIn = '';
      status.textContent = '';
    }
    renderActions(p, linkDown);
  };

  return {
    node,
    fill,
    dispose: () => {
      disposed = true;
    },
  };
}

/** The card's compact commands; cancel and the emergency stop are on the printer page. */
const CARD_VERBS = ['pause', 'resume', 'clear'];
