import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { printerTelemetryTopic } from '@printfleet/contracts';
import { uplotDist } from '../../src/web/web-assets';
import { DEFAULT_WEB_ROOT } from '../../src/settings';
import { launchChromium } from '../support/browser';
import { FakeAgent } from '../support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from '../support/gateway-harness';
import { ApiClient } from '../support/http-client';

/**
 * Measures, never asserts (docs/performance.md): the JS and CSS the browser gets, gzipped; time
 * to first render of the dashboard on loopback; telemetry-to-browser latency with 20 printers
 * publishing once a second, measured in the page on the app's own WebSocket against the
 * telemetry's timestamp (publisher and browser share the machine's clock).
 */
const PRINTERS = 20;
const LATENCY_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RENDER_RUNS = 7;

const out = (line: string) => process.stdout.write(`${line}\n`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('web UI bench', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('bytes shipped to the browser', () => {
    const ours = files(DEFAULT_WEB_ROOT).filter((f) => /\.(js|css)$/.test(f));
    const vendor = ['uPlot.iife.min.js', 'uPlot.min.css'].map((f) => join(uplotDist(), f));
    let raw = 0;
    let gz = 0;
    const rows: string[] = [];
    for (const f of [...ours, ...vendor]) {
      const body = readFileSync(f);
      const z = gzipSync(body, { level: 9 }).length;
      raw += body.length;
      gz += z;
      rows.push(`  ${relative(join(DEFAULT_WEB_ROOT, '..'), f).replace(/^.*node_modules\//, 'node_modules/')}: ${body.length} B, ${z} B gzipped`);
    }
    const uplotGz = vendor.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    out(`JS+CSS shipped: ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped (uPlot ${(uplotGz / 1024).toFixed(1)} KiB of it; goal < 300 KB)`);
    for (const r of rows) out(r);
  });

  it('first render of the dashboard, and telemetry-to-browser latency with 20 printers', async () => {
    const agent = new FakeAgent(h.agent);
    await agent.online();
    const ids = Array.from({ length: PRINTERS }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);
    for (const id of ids) await agent.state(id, 'printing', { displayName: `Bench ${id}`, job: { id: `job-${id}`, progress: 10 } });
    const admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    const [name, value] = admin.cookie.split('=') as [string, string];
    const chrome = await launchChromium();
    try {
      await chrome.context.addCookies([{ name, value, url: h.base }]);
      // Runs before the page's own scripts (CDP, so the CSP does not apply): notes when the
      // first card appears, and the latency of every new telemetry on the app's WebSocket.
      await chrome.context.addInitScript(() => {
        const w = globalThis as unknown as Record<string, unknown> & {
          WebSocket: new (url: string) => { addEventListener(t: string, f: (e: { data: unknown }) => void): void };
          document: { querySelector(s: string): unknown };
          MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void; disconnect(): void };
          performance: { now(): number };
        };
        const lat: number[] = [];
        w.__latencies = lat;
        const lastTs = new Map<string, string>();
        const Native = w.WebSocket;
        w.WebSocket = class extends Native {
          constructor(url: string) {
            super(url);
            this.addEventListener('message', (e) => {
              const now = Date.now();
              const m = JSON.parse(String(e.data)) as { type: string; printer?: { printerId: string; telemetry: { ts: string } | null } };
              const t = m.type === 'printer' ? m.printer?.telemetry : null;
              if (!t || !m.printer || lastTs.get(m.printer.printerId) === t.ts) return;
              lastTs.set(m.printer.printerId, t.ts);
              lat.push(now - Date.parse(t.ts));
            });
          }
        } as unknown as typeof Native;
        const seen = new w.MutationObserver(() => {
          if (w.document.querySelector('[data-printer]')) {
            w.__firstCard = w.performance.now();
            seen.disconnect();
          }
        });
        seen.observe(w.document, { childList: true, subtree: true });
      });

      const renders: number[] = [];
      const loads: number[] = [];
      for (let i = 0; i < RENDER_RUNS; i++) {
        const page = await chrome.context.newPage();
        await page.goto(h.base);
        await page.locator(`[data-printer="${ids[PRINTERS - 1]}"]`).waitFor();
        renders.push(Number(await page.evaluate('window.__firstCard')));
        loads.push(Number(await page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")));
        await page.close();
      }
      out(`dashboard first render (20 cards, navigation start → first card in the DOM): first load ${renders[0]!.toFixed(0)} ms, median of ${RENDER_RUNS} ${median(renders).toFixed(0)} ms (DOMContentLoaded median ${median(loads).toFixed(0)} ms)`);

      const page = await chrome.context.newPage();
      await page.goto(h.base);
      await page.locator(`[data-printer="${ids[PRINTERS - 1]}"]`).waitFor();
      // Each printer publishes once a second, the 20 spread over the second as real agents are.
      const timers = ids.map((id, i) => {
        let n = 0;
        const publish = () =>
          void h.agent.client.publishAsync(
            printerTelemetryTopic(id),
            JSON.stringify({
              printerId: id,
              ts: new Date().toISOString(),
              heaters: { tool0: { actual: 200 + (n++ % 20), target: 215 }, bed: { actual: 60, target: 60 } },
              job: { id: `job-${id}`, progress: 10 + (n % 80), elapsedS: n, remainingS: 1000 - n, line: n },
            }),
            { qos: 0 },
          );
        let interval: NodeJS.Timeout | undefined;
        const start = setTimeout(() => {
          publish();
          interval = setInterval(publish, 1000);
        }, (1000 / PRINTERS) * i);
        return () => (clearTimeout(start), clearInterval(interval));
      });
      await new Promise((r) => setTimeout(r, LATENCY_SECONDS * 1000)); // a measuring window, not a wait for an event
      for (const stop of timers) stop();
      const lat = ((await page.evaluate('window.__latencies')) as number[]).sort((a, b) => a - b);
      out(`telemetry → browser, ${PRINTERS} printers × 1/s for ${LATENCY_SECONDS} s, ${lat.length} readings: p50 ${pct(lat, 50)} ms, p90 ${pct(lat, 90)} ms, p99 ${pct(lat, 99)} ms, max ${lat[lat.length - 1]} ms (goal p99 < 100 ms)`);
      expect(lat.length).toBeGreaterThan(0);
    } finally {
      await chrome.close();
    }
  });
});
