// @ts-check
import { h, replace } from '../dom.js';
import { celsius, duration, heaterName, presentState, printerName, progressOf } from '../format.js';

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
 * Fills a dashboard card in place (the link element stays, so keyboard focus on it survives
 * the once-a-second telemetry updates).
 * @param {HTMLElement} card @param {PrinterView} p @param {boolean} linkDown
 */
export function fillCard(card, p, linkDown) {
  const s = presentState(p);
  const job = p.agent === 'offline' ? null : progressOf(p);
  card.className = `card tone-${s.tone}${linkDown ? ' stale' : ''}`;
  card.setAttribute('href', `#/printers/${encodeURIComponent(p.printerId)}`);
  card.setAttribute('data-printer', p.printerId);
  card.setAttribute('data-state', p.agent === 'offline' ? 'unknown' : p.state.state);
  replace(
    card,

    h(
      'div.card-head',
      {},
      h('h2.card-name', {}, printerName(p)),
      h('span.badge', { 'data-testid': 'state' }, s.label),
    ),
    s.hint ? h('p.hint', {}, s.hint) : null,
    job
      ? h(
          'div.job',
          {},
          h('p.job-name', { title: job.fileName }, job.fileName),
          progressBar(job.progress, `${printerName(p)} progress`),
          h(
            'p.job-times',
            {},
            h('span', {}, `${job.progress.toFixed(0)} %`),
            h('span', {}, `Elapsed ${duration(job.elapsedS)}`),
            h('span', {}, `Left ${duration(job.remainingS)}`),
          ),
        )
      : null,
    temperatures(p),
  );
}
