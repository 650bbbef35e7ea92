// @ts-check
import { h, replace } from '../dom.js';
import { message } from '../jobs-format.js';
import { loadUplot } from '../uplot.js';

/**
 * @typedef {{ date: string, start: string, end: string, jobs: number, finished: number, failed: number,
 *   cancelled: number, interrupted: number, printHours: number, filamentMm: number }} SeriesItem
 * @typedef {{ bucket: 'day' | 'week' | 'month', timeZone: string, items: SeriesItem[] }} Series
 * @typedef {'finished' | 'failed' | 'interrupted' | 'cancelled'} Outcome
 */

/**
 * The outcomes as the bars stack them, bottom first. Each has a colour, a fill pattern (so colour
 * is not the only cue) and a word in the legend.
 * @type {{ key: Outcome, label: string, colour: string, pattern: 'solid' | 'stripes' | 'back-stripes' | 'dots', legend: string }[]}
 */
const OUTCOMES = [
  { key: 'finished', label: 'Finished', colour: '--ok', pattern: 'solid', legend: 'Finished (solid)' },
  { key: 'failed', label: 'Failed', colour: '--bad', pattern: 'stripes', legend: 'Failed (striped ╱)' },
  { key: 'interrupted', label: 'Interrupted', colour: '--warn', pattern: 'back-stripes', legend: 'Interrupted (striped ╲)' },
  { key: 'cancelled', label: 'Cancelled', colour: '--off', pattern: 'dots', legend: 'Cancelled (dotted)' },
];
const HOURS_COLOUR = '--focus';
/** Whole-number steps for the jobs axis. */
const JOB_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

const css = (/** @type {string} */ name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** An 8 × 8 tile of a bar's fill: the colour, with dark stripes or dots over it. @param {string} colour @param {string} kind */
function tile(colour, kind) {
  const c = document.createElement('canvas');
  c.width = 8;
  c.height = 8;
  const g = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
  g.fillStyle = colour;
  g.fillRect(0, 0, 8, 8);
  g.strokeStyle = g.fillStyle = 'rgba(15, 20, 25, 0.55)';
  g.lineWidth = 2;
  g.beginPath();
  for (const o of [-8, 0, 8]) {
    if (kind === 'stripes') {
      g.moveTo(o, 8);
      g.lineTo(o + 8, 0);
    } else if (kind === 'back-stripes') {
      g.moveTo(o, 0);
      g.lineTo(o + 8, 8);
    }
  }
  g.stroke();
  if (kind === 'dots') {
    g.fillRect(1, 1, 3, 3);
    g.fillRect(5, 5, 3, 3);
  }
  return c;
}

/** The bucket's first day, as a Date to format in UTC (the date is already the zone's). @param {string} date */
const dayOf = (date) => new Date(`${date}T00:00:00Z`);
const SHORT = {
  day: new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short' }),
  week: new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short' }),
  month: new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'short', year: '2-digit' }),
};
const LONG = {
  day: new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }),
  week: new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }),
  month: new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'long', year: 'numeric' }),
};
/** @param {Series['bucket']} bucket @param {string} date */
const longLabel = (bucket, date) => (bucket === 'week' ? `Week of ${LONG.week.format(dayOf(date))}` : LONG[bucket].format(dayOf(date)));
const hours = (/** @type {number} */ v) => v.toFixed(1);
const metres = (/** @type {number} */ mm) => (mm / 1000).toFixed(2);
const plural = (/** @type {number} */ n, /** @type {string} */ word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Jobs over time as a uPlot chart: per bucket, the jobs that ended stacked by outcome (bars), and
 * print hours (a line on the right scale). A legend in words, a sentence that sums the chart up
 * for screen readers (the chart is an image), and the same numbers as a table: hidden from view
 * but read by screen readers, shown with a button.
 */
export function statsChart() {
  const plotHost = h('div.chart-plot.stats-plot', { role: 'img', 'aria-label': 'Jobs over time: loading' });
  const readout = h('p.chart-note.stats-readout', { 'aria-hidden': 'true' });
  const note = h('p.chart-note.muted', { id: 'stats-chart-note' });
  const legend = h(
    'ul.chart-legend',
    { 'aria-label': 'Legend' },
    ...OUTCOMES.map((o) => h('li', {}, h(`span.swatch.swatch-${o.key}`, { 'aria-hidden': 'true' }), o.legend)),
    h('li', {}, h('span.swatch.swatch-hours', { 'aria-hidden': 'true' }), 'Print hours (line, right scale)'),
    h('li.muted', {}, 'Bars: jobs ended (left scale), stacked'),
  );
  const tableBox = h('div.visually-hidden', { id: 'stats-series-table' });
  const toggle = /** @type {HTMLButtonElement} */ (
    h('button.small', { type: 'button', 'aria-controls': 'stats-series-table', 'aria-expanded': 'false' }, 'Show the numbers')
  );
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide the numbers' : 'Show the numbers';
    tableBox.className = open ? 'table-wrap' : 'visually-hidden';
  });
  const node = h(
    'div.chart.stats-chart',
    { 'data-testid': 'stats-chart', 'data-buckets': '0', 'data-drawn': '0' },
    legend,
    plotHost,
    readout,
    note,
    h('div.stats-numbers', {}, toggle),
    tableBox,
  );

  /** @type {any} */
  let plot = null;
  /** @type {Series | null} */
  let shown = null;
  let disposed = false;

  /** @param {Series} s */
  const table = (s) =>
    h(
      'table.history.stats-table',
      {},
      h('caption.visually-hidden', {}, `Jobs ended and print hours per ${s.bucket}`),
      h(
        'thead',
        {},
        h('tr', {}, ...[s.bucket === 'week' ? 'Week' : s.bucket === 'month' ? 'Month' : 'Day', 'Jobs', ...OUTCOMES.map((o) => o.label), 'Print hours', 'Filament (m)'].map((c) => h('th', { scope: 'col' }, c))),
      ),
      h(
        'tbody',
        {},
        ...s.items.map((it) =>
          h(
            'tr',
            { 'data-bucket-date': it.date },
            h('th', { scope: 'row', 'data-label': s.bucket === 'week' ? 'Week' : s.bucket === 'month' ? 'Month' : 'Day' }, longLabel(s.bucket, it.date)),
            h('td', { 'data-label': 'Jobs' }, String(it.jobs)),
            ...OUTCOMES.map((o) => h('td', { 'data-label': o.label }, String(it[o.key]))),
            h('td', { 'data-label': 'Print hours' }, hours(it.printHours)),
            h('td', { 'data-label': 'Filament (m)' }, metres(it.filamentMm)),
          ),
        ),
      ),
    );

  /** What the chart shows, in one or two sentences. @param {Series} s */
  const sentence = (s) => {
    const first = s.items[0];
    const last = s.items[s.items.length - 1];
    if (!first || !last) return 'Jobs over time: no ended jobs yet.';
    const sum = (/** @type {keyof SeriesItem} */ k) => s.items.reduce((n, it) => n + Number(it[k]), 0);
    const total = sum('jobs');
    const span = `${s.bucket === 'day' ? 'Jobs per day' : s.bucket === 'week' ? 'Jobs per week' : 'Jobs per month'} from ${longLabel(s.bucket, first.date)} to ${longLabel(s.bucket, last.date)}`;
    if (!total) return `${span}: no jobs ended.`;
    const busiest = s.items.reduce((a, b) => (b.jobs > a.jobs ? b : a));
    return `${span}: ${plural(total, 'job')} ended, ${OUTCOMES.map((o) => `${sum(o.key)} ${o.label.toLowerCase()}`).join(', ')}; ${hours(sum('printHours'))} print hours. Most: ${longLabel(s.bucket, busiest.date)}, ${plural(busiest.jobs, 'job')}.`;
  };

  /** @param {any} UPlot @param {Series} s */
  const draw = (UPlot, s) => {
    plot?.destroy();
    plot = null;
    if (disposed || s.items.length === 0) return;
    const n = s.items.length;
    // Stacked: each outcome's bar runs from 0 to its running total, drawn top outcome first.
    /** @type {number[][]} */
    const running = [];
    let below = s.items.map(() => 0);
    for (const o of OUTCOMES) running.push((below = s.items.map((it, i) => (below[i] ?? 0) + it[o.key])));
    const width = Math.max(240, plotHost.clientWidth || 600);
    const muted = css('--muted');
    const line = css('--line');
    const bars = UPlot.paths.bars({ size: [0.7, 48], align: 0 });
    /** @type {Map<string, CanvasPattern | string>} */
    const fills = new Map();
    const fillOf = (/** @type {typeof OUTCOMES[number]} */ o) => (/** @type {any} */ u) => {
      if (!fills.has(o.key)) fills.set(o.key, o.pattern === 'solid' ? css(o.colour) : u.ctx.createPattern(tile(css(o.colour), o.pattern), 'repeat'));
      return fills.get(o.key);
    };
    // A phone: no axis titles (the legend names the scales), narrower axes.
    const narrow = width < 480;
    // A label per ~64 px of the plot area (bbox is in canvas pixels).
    const labelEvery = (/** @type {any} */ u) => Math.max(1, Math.ceil(n / Math.max(1, Math.floor(u.bbox.width / (window.devicePixelRatio || 1) / 64))));
    plot = new UPlot(
      {
        width,
        height: narrow ? 220 : 280,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: {
          x: { time: false, range: () => [-0.5, n - 0.5] },
          y: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
          h: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          {
            stroke: muted,
            grid: { show: false },
            ticks: { stroke: line },
            splits: (/** @type {any} */ u) => s.items.map((_, i) => i).filter((i) => i % labelEvery(u) === 0),
            values: (/** @type {any} */ _u, /** @type {number[]} */ splits) => splits.map((i) => (s.items[i] ? SHORT[s.bucket].format(dayOf(s.items[i].date)) : '')),
          },
          {
            stroke: muted,
            grid: { stroke: line },
            ticks: { stroke: line },
            label: narrow ? undefined : 'Jobs',
            size: narrow ? 32 : 50,
            incrs: JOB_STEPS,
            values: (/** @type {any} */ _u, /** @type {number[]} */ v) => v.map(String),
          },
          {
            scale: 'h',
            side: 1,
            stroke: muted,
            grid: { show: false },
            ticks: { stroke: line },
            label: narrow ? undefined : 'Print hours',
            size: narrow ? 36 : 50,
            values: (/** @type {any} */ _u, /** @type {number[]} */ v) => v.map((x) => String(+x.toFixed(1))),
          },
        ],
        series: [
          { label: s.bucket },
          ...[...OUTCOMES].reverse().map((o) => ({ label: o.label, scale: 'y', fill: fillOf(o), stroke: css(o.colour), width: 0, paths: bars, points: { show: false } })),
          { label: 'Print hours', scale: 'h', stroke: css(HOURS_COLOUR), width: 2, points: { show: true, size: 5, fill: css(HOURS_COLOUR) } },
        ],
        hooks: {
          setCursor: [
            (/** @type {any} */ u) => {
              const it = s.items[u.cursor.idx ?? -1];
              readout.textContent = it
                ? `${longLabel(s.bucket, it.date)}: ${plural(it.jobs, 'job')} (${OUTCOMES.map((o) => `${it[o.key]} ${o.label.toLowerCase()}`).join(', ')}), ${hours(it.printHours)} print hours`
                : '';
            },
          ],
        },
      },
      [s.items.map((_, i) => i), ...[...running].reverse(), s.items.map((it) => it.printHours)],
      plotHost,
    );
    node.setAttribute('data-drawn', String(n));
  };

  const resize = new ResizeObserver(() => {
    if (plot && plotHost.clientWidth > 0) plot.setSize({ width: plotHost.clientWidth, height: plotHost.clientWidth < 480 ? 220 : 280 });
  });
  resize.observe(plotHost);

  return {
    node,
    /** Shows a series (a new one replaces the chart and the table). @param {Series} s */
    show(s) {
      shown = s;
      node.setAttribute('data-buckets', String(s.items.length));
      node.setAttribute('data-bucket', s.bucket);
      node.setAttribute('data-drawn', '0');
      plotHost.setAttribute('aria-label', sentence(s));
      replace(tableBox, s.items.length ? table(s) : null);
      note.textContent = s.items.length ? `${s.bucket === 'day' ? 'Days' : s.bucket === 'week' ? 'Weeks (Monday to Sunday)' : 'Months'} in ${s.timeZone}; a job counts when it ended.` : 'No ended jobs yet.';
      readout.textContent = '';
      loadUplot().then(
        (UPlot) => {
          if (shown === s) draw(UPlot, s);
        },
        (err) => {
          note.textContent = `No chart: ${message(err)}. The numbers are in the table.`;
        },
      );
    },
    dispose() {
      disposed = true;
      resize.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}
