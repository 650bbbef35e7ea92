// @ts-check
import { api } from '../api.js';
import { h } from '../dom.js';
import { heaterName } from '../format.js';
import { message } from '../jobs-format.js';
import { loadUplot } from '../uplot.js';

/** @typedef {import('../live.js').Telemetry} Telemetry */

/** The chart shows the last half hour: the job-service's history, then every live reading. */
export const WINDOW_S = 30 * 60;
const COLOURS = ['#ff8c42', '#5aa9ff', '#3ddc84', '#ffd166', '#b9a3ff', '#ff5d5d'];

/** Bed last, tools in order. @param {string[]} keys */
const heaterOrder = (keys) => [...keys].sort((a, b) => (a === 'bed' ? 1 : b === 'bed' ? -1 : a.localeCompare(b)));

/**
 * A live temperature chart (uPlot): actual (solid) and target (dashed) per heater. History comes
 * from `GET /api/printers/{id}/temperatures` (one sample per 10 s, recorded by the job-service);
 * live points are the telemetry `/api/live` pushes, about one a second. Readings are keyed by
 * their own timestamps, so a reading seen twice is drawn once.
 * @param {string} printerId
 */
export function temperatureChart(printerId) {
  const plotHost = h('div.chart-plot');
  const note = h('p.chart-note.muted', { id: 'temp-chart-note' }, 'Loading temperature history…');
  const node = h(
    'div.chart',
    { 'data-testid': 'temp-chart', 'data-points': '0', 'data-history': 'pending', role: 'img', 'aria-label': 'Temperature chart, last 30 minutes' },
    plotHost,
    note,
  );
  /** @type {Map<number, Record<string, { actual: number, target: number }>>} seconds → heaters */
  const points = new Map();
  /** @type {string[]} */
  let heaters = [];
  /** @type {any} */
  let plot = null;
  /** @type {any} */
  let UPlot = null;
  let disposed = false;
  let lastTs = '';

  /** @param {string} ts @param {Record<string, { actual: number, target: number }>} readings */
  const add = (ts, readings) => {
    const t = Date.parse(ts) / 1000;
    if (!Number.isFinite(t)) return;
    points.set(t, readings);
  };

  const data = () => {
    const cutoff = Date.now() / 1000 - WINDOW_S;
    for (const t of points.keys()) if (t < cutoff) points.delete(t);
    const xs = [...points.keys()].sort((a, b) => a - b);
    /** @type {(number | null)[][]} */
    const series = heaters.flatMap((k) => [
      xs.map((t) => points.get(t)?.[k]?.actual ?? null),
      xs.map((t) => points.get(t)?.[k]?.target ?? null),
    ]);
    return [xs, ...series];
  };

  const draw = () => {
    if (disposed || !UPlot) return;
    const seen = new Set(heaters);
    for (const r of points.values()) for (const k of Object.keys(r)) seen.add(k);
    const wanted = heaterOrder([...seen]);
    const rebuild = !plot || wanted.join() !== heaters.join();
    heaters = wanted;
    const d = data();
    node.setAttribute('data-points', String(d[0]?.length ?? 0));
    if (!rebuild) return void plot.setData(d);
    // First data, or a heater appeared: build the chart (again) with its series.
    plot?.destroy();
    const width = Math.max(280, plotHost.clientWidth || node.clientWidth || 600);
    plot = new UPlot(
      {
        width,
        height: 260,
        scales: { x: { time: true }, y: { range: (/** @type {any} */ _u, /** @type {number} */ _min, /** @type {number} */ max) => [0, Math.max(50, Math.ceil((max + 10) / 10) * 10)] } },
        axes: [
          { stroke: '#a7b3c2', grid: { stroke: '#334155' }, ticks: { stroke: '#334155' } },
          { stroke: '#a7b3c2', grid: { stroke: '#334155' }, ticks: { stroke: '#334155' }, label: '°C' },
        ],
        series: [
          { label: 'Time' },
          ...heaters.flatMap((k, i) => {
            const colour = COLOURS[i % COLOURS.length];
            return [
              { label: `${heaterName(k)}`, stroke: colour, width: 2, value: (/** @type {any} */ _u, /** @type {number | null} */ v) => (v == null ? '–' : `${v.toFixed(1)} °C`) },
              { label: `${heaterName(k)} target`, stroke: colour, width: 1, dash: [6, 4], value: (/** @type {any} */ _u, /** @type {number | null} */ v) => (v == null ? '–' : v > 0 ? `${v.toFixed(0)} °C` : 'off') },
            ];
          }),
        ],
      },
      d,
      plotHost,
    );
    node.setAttribute('data-points', String(d[0]?.length ?? 0));
  };

  const resize = new ResizeObserver(() => {
    if (plot && plotHost.clientWidth > 0) plot.setSize({ width: plotHost.clientWidth, height: 260 });
  });
  resize.observe(plotHost);

  const from = new Date(Date.now() - WINDOW_S * 1000).toISOString();
  Promise.all([
    loadUplot(),
    api('GET', `/api/printers/${encodeURIComponent(printerId)}/temperatures?from=${encodeURIComponent(from)}`).then(
      (/** @type {{ items: { ts: string, heaters: Record<string, { actual: number, target: number }> }[] }} */ r) => {
        for (const s of r.items) add(s.ts, s.heaters);
        node.setAttribute('data-history', String(r.items.length));
        note.textContent = r.items.length
          ? 'Last 30 minutes: history every 10 s, then live. Dashed: target.'
          : 'No recorded history yet; live readings follow. Dashed: target.';
      },
      (err) => {
        node.setAttribute('data-history', 'failed');
        note.textContent = `History unavailable (${message(err)}); live readings only.`;
      },
    ),
  ]).then(
    ([u]) => {
      UPlot = u;
      draw();
    },
    (err) => {
      note.textContent = `No chart: ${message(err)}.`;
    },
  );

  return {
    node,
    /** A live reading; the same telemetry twice (a state change re-sends the view) is drawn once. @param {Telemetry | null} t */
    telemetry(t) {
      if (!t || t.ts === lastTs) return;
      lastTs = t.ts;
      add(t.ts, t.heaters);
      draw();
    },
    dispose() {
      disposed = true;
      resize.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}
