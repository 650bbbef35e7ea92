import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { printerCommandReplyTopic, printerCommandTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import { launchChromium, logInThroughPage } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');
const GCODE = resolve(__dirname, '../../../../shared/gcode');
const EXPECTED = JSON.parse(readFileSync(join(GCODE, 'expected.json'), 'utf8')).files as Record<
  string,
  { filamentMm: number | null; filamentG: number | null; thumbnails: { width: number; height: number }[] }
>;
/** Two PNG thumbnails, 16×16 and 220×124 (expected.json); the largest is index 0. */
const BENCHY = 'prusaslicer-2.6.1-benchy-png.gcode';
/** No thumbnail at all. */
const NO_THUMB = 'prusaslicer-2.1.1-part-nothumb.gcode';
/** Has thumbnails, but its file is deleted while it prints. */
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';

const NAMES: Record<string, string> = {
  'mk3-a': 'Prusa MK3 A',
  'mk4-b': 'Prusa MK4 B',
  'voron-c': 'Voron C',
  'prusa-d': 'Prusa D',
};

/** The page's own formatting (jobs-format.js), applied to the API's numbers. */
const filamentText = (mm: number, g: number) =>
  `${(mm / 1000).toFixed(mm < 10_000 ? 2 : 1)} m · ${g.toFixed(g < 10 ? 2 : 0)} g`;
const sizeText = (b: { minX: number; maxX: number; minY: number; maxY: number; maxZ: number }) =>
  `${(b.maxX - b.minX).toFixed(1)} × ${(b.maxY - b.minY).toFixed(1)} × ${b.maxZ.toFixed(1)} mm`;

/** Loosely typed DOM for functions run in the page (this file is checked without the DOM library). */
type Img = { complete: boolean; naturalWidth: number; getAttribute(n: string): string | null; alt: string };
type Doc = {
  querySelector(s: string): Img | null;
  activeElement: { className: string; closest(s: string): { getAttribute(n: string): string | null } | null } | null;
};
/** What the test reads of a file's analysis (GET /api/files/{id}). */
interface FileBody {
  id: string;
  filamentMm: number;
  bbox: { minX: number; maxX: number; minY: number; maxY: number; maxZ: number };
  analysis: {
    filamentG: number;
    layers: number;
    layerHeight: number;
    objectsBbox: { minX: number; maxX: number; minY: number; maxY: number; maxZ: number };
  };
}

/**
 * What is being printed: the thumbnail on every dashboard card and the current job's file facts on
 * the printer page, in a real Chromium against the gateway, the REAL job-service (real analysis of
 * real slicer files) and a real broker, with a fake agent that takes the starts as a printer-agent
 * would. Also the card's own buttons: an operator pauses from the card, clears the bed after a
 * confirmation; viewers and makers get none. Every wait is for the page or MQTT, never a sleep.
 */
describe('current job on the dashboard and the printer page (real job-service)', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let olga: ApiClient;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const files: Record<string, { id: string; body: FileBody }> = {};
  const jobs = { benchy: '', nothumb: '', gone: '' };
  /** Every GET the operator's page made to the jobs and files API. */
  const requests: string[] = [];

  const card = (id: string, inner = '') => `[data-printer="${id}"]${inner ? ` ${inner}` : ''}`;

  /** Queues the file on the printer as olga; the fake agent takes the start and prints it. */
  async function print(printerId: string, file: string): Promise<string> {
    const res = await olga.post('/api/jobs', { fileId: files[file]!.id, printerId });
    expect(res.status).toBe(201);
    const jobId = res.body.jobs[0].id as string;
    const start = await agent.nextStart(printerId, jobId);
    await agent.acceptStart(printerId, start, { displayName: NAMES[printerId] });
    await h.jobs!.waitForJob(jobId, (j) => j.state === 'printing' && j.startedAt !== null);
    return jobId;
  }

  /** Resolves once the img is loaded and decoded; returns what the page says about it. */
  async function loadedImage(p: Page, selector: string) {
    await p.locator(selector).waitFor();
    await p.waitForFunction((sel) => {
      const img = (globalThis as unknown as { document: Doc }).document.querySelector(sel);
      return img !== null && img.complete && img.naturalWidth > 0;
    }, selector);
    return p.locator(selector).evaluate((el) => {
      const img = el as unknown as Img;
      return { src: img.getAttribute('src'), alt: img.alt, naturalWidth: img.naturalWidth };
    });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startGateway({}, { jobService: {} });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(Object.keys(NAMES).map((id) => TOPIC_PATTERNS.printerCommandsOf(id)));
    await h.addUser('olga', 'operator');
    await h.addUser('vic', 'viewer');
    await h.addUser('mia', 'maker');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
    for (const name of [BENCHY, NO_THUMB, MINICUBE]) {
      const up = await admin.upload(name, readFileSync(join(GCODE, name)));
      expect(up.status).toBe(201);
      files[name] = { id: up.body.file.id, body: up.body.file };
    }
    await h.jobs!.settle();
    for (const name of [BENCHY, NO_THUMB, MINICUBE]) {
      const res = await admin.get(`/api/files/${files[name]!.id}`);
      expect(res.body.analysisState).toBe('done');
      files[name]!.body = res.body;
    }
    await agent.online();
    for (const id of ['mk3-a', 'mk4-b', 'voron-c']) await agent.state(id, 'ready', { displayName: NAMES[id] });
    jobs.benchy = await print('mk3-a', BENCHY);
    jobs.nothumb = await print('mk4-b', NO_THUMB);
    jobs.gone = await print('voron-c', MINICUBE);
    // Deleted while it prints: the job keeps its name, loses its file.
    expect((await admin.request('DELETE', `/api/files/${files[MINICUBE]!.id}`)).status).toBe(200);
    expect((await admin.get(`/api/jobs/${jobs.gone}`)).body).toMatchObject({ fileId: null, fileName: MINICUBE });
    // A job the job-service never heard of (an agent's leftover, say).
    await agent.state('prusa-d', 'printing', {
      displayName: NAMES['prusa-d'],
      job: { id: 'ghost-job', progress: 12, fileName: 'mystery.gcode' },
    });
    expect((await admin.get('/api/jobs/ghost-job')).status).toBe(404);
    await agent.telemetry('mk3-a', [214.6, 215], [59.8, 60], { id: jobs.benchy, progress: 42.5, elapsedS: 1830, remainingS: 2460 });
    await agent.telemetry('mk4-b', [240.1, 240], [99.7, 100], { id: jobs.nothumb, progress: 71, elapsedS: 4100, remainingS: 1700 });

    chrome = await launchChromium();
    page = await chrome.context.newPage();
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() === 'GET' && /^\/api\/(jobs|files)\//.test(path)) requests.push(path);
    });
    await logInThroughPage(page, h.base, 'olga', 'olga-password-123');
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  it('shows the file’s thumbnail on the card, and a placeholder where there is none', async () => {
    await untilText(page, '.summary', '4 printers · 4 printing · 0 ready', 'fleet');
    const img = await loadedImage(page, card('mk3-a', '.card-thumb img'));
    expect(img).toEqual({
      src: `/api/files/${files[BENCHY]!.id}/thumbnail?index=0`,
      alt: BENCHY,
      naturalWidth: EXPECTED[BENCHY]!.thumbnails[1]!.width, // 220: the largest of the two
    });
    expect(await page.locator(card('mk3-a', '.card-thumb img')).getAttribute('loading')).toBe('lazy');
    // No thumbnail in the file, the file deleted, the job unknown: a neutral box, no image.
    for (const id of ['mk4-b', 'voron-c', 'prusa-d']) {
      await untilText(page, card(id, '.card-thumb'), 'No preview', `${id} placeholder`);
      expect(await page.locator(card(id, 'img')).count()).toBe(0);
    }
    // The box has the same size with or without an image: cards do not jump.
    const boxes = await Promise.all(
      ['mk3-a', 'mk4-b'].map((id) => page.locator(card(id, '.card-thumb')).boundingBox()),
    );
    expect(boxes[0]!.width).toBeGreaterThan(40);
    expect([boxes[0]!.width, boxes[0]!.height]).toEqual([boxes[1]!.width, boxes[1]!.height]);
    await page.screenshot({ path: join(SHOTS, 'dashboard-jobs.png') });
  });

  it('keeps the image, keyboard focus and the cache across telemetry updates', async () => {
    const thumb = card('mk3-a', '.card-thumb img');
    await page.locator(thumb).evaluate((el) => {
      (el as unknown as { dataset: Record<string, string> }).dataset.probe = 'first';
    });
    await page.locator(card('mk3-a', '.card-link')).focus();
    const asked = requests.length;
    for (const progress of [43.2, 50.4, 57.1])
      await agent.telemetry('mk3-a', [215, 215], [60, 60], { id: jobs.benchy, progress, elapsedS: 2000, remainingS: 2000 });
    await untilText(page, card('mk3-a', '.job-times'), /^57 %/, 'third update shown');
    // The same img element (not a new one loading the same URL), focus still on the card's link,
    // and no new request for the job or its file: one lookup per job id.
    expect(await page.locator(card('mk3-a', '.card-thumb img[data-probe=first]')).count()).toBe(1);
    expect(await page.evaluate(() => {
      const a = (globalThis as unknown as { document: Doc }).document.activeElement;
      return a ? `${a.closest('[data-printer]')?.getAttribute('data-printer')} ${a.className}` : null;
    })).toBe('mk3-a card-link');
    expect(requests.length).toBe(asked);
    for (const id of [jobs.benchy, jobs.nothumb, jobs.gone, 'ghost-job'])
      expect(requests.filter((r) => r === `/api/jobs/${id}`)).toHaveLength(1);
    expect(requests.filter((r) => r === `/api/files/${files[BENCHY]!.id}`)).toHaveLength(1);
  });

  it('shows the current job’s thumbnail, times, filament, size, layers and who started it on the printer page', async () => {
    // A click anywhere on the card opens the printer (the name's link covers it).
    await page.locator(card('mk3-a')).click();
    await untilText(page, '#printer-title', 'Prusa MK3 A', 'printer page');
    const f = files[BENCHY]!.body;
    expect(f.filamentMm).toBeCloseTo(EXPECTED[BENCHY]!.filamentMm!, 2);
    expect(f.analysis.filamentG).toBeCloseTo(EXPECTED[BENCHY]!.filamentG!, 2);
    await untilText(page, '#job-facts', /Filament/, 'job facts');
    const facts = await page.locator('#job-facts').textContent();
    expect(facts).toContain(`Filament${filamentText(f.filamentMm, f.analysis.filamentG)}`);
    // the Benchy's own size (its objects' box), not the 130 × 107.2 mm that its purge line spans
    expect(sizeText(f.analysis.objectsBbox)).toBe('59.4 × 30.4 × 48.0 mm');
    expect(sizeText(f.bbox)).toBe('130.0 × 107.2 × 48.0 mm');
    expect(facts).toContain(`Size${sizeText(f.analysis.objectsBbox)}`);
    expect(facts).toContain(`Layers${f.analysis.layers} × ${f.analysis.layerHeight} mm`);
    expect(facts).toMatch(/Print timeabout \d/);
    expect(facts).toMatch(/Slicer’s estimate\d/);
    expect(facts).toMatch(/Started byolga, \S/);
    const img = await loadedImage(page, '.job-thumb img');
    expect(img).toEqual({ src: `/api/files/${f.id}/thumbnail?index=0`, alt: BENCHY, naturalWidth: 220 });
    // The name links to the file's page; the live part still follows telemetry.
    expect(await page.getByRole('link', { name: BENCHY }).getAttribute('href')).toBe(`#/files/${f.id}`);
    await agent.telemetry('mk3-a', [215, 215], [60, 60], { id: jobs.benchy, progress: 61.3, elapsedS: 2222, remainingS: 1500 });
    await untilText(page, '.job-panel', /Progress61\.3 %.*Remaining25 min/s, 'live part');

    // Loaded at phone size, as a phone would (the chart sizes itself when drawn).
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload();
    await untilText(page, '#job-facts', /Filament/, 'phone');
    await loadedImage(page, '.job-thumb img');
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    // The top of the page: title, the job and the temperatures (the chart and the rest follow).
    await page.screenshot({ path: join(SHOTS, 'printer-job-phone.png'), fullPage: true, clip: { x: 0, y: 0, width: 375, height: 1100 } });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says why there is no thumbnail or no file facts', async () => {
    await page.goto(`${h.base}/#/printers/mk4-b`);
    const f = files[NO_THUMB]!.body;
    await untilText(page, '#job-facts', `Filament${filamentText(f.filamentMm, f.analysis.filamentG)}`, 'facts without thumbnail');
    await untilText(page, '.job-thumb', 'No preview', 'placeholder');
    expect(await page.locator('.job-panel img').count()).toBe(0);

    await page.goto(`${h.base}/#/printers/voron-c`);
    await untilText(page, '#job-facts-note', 'Its file is no longer in the library', 'file deleted');
    await untilText(page, '.job-panel', MINICUBE, 'name kept');
    await untilText(page, '#job-facts', 'Started byolga', 'the job is still known');

    await page.goto(`${h.base}/#/printers/prusa-d`);
    await untilText(page, '#job-facts-note', 'The job-service has no record of this job', 'unknown job');
    await untilText(page, '.job-panel', /mystery\.gcode.*Progress12\.0 %/s, 'the agent’s own word');
  });

  it('lets an operator pause from the card, and clear the bed after asking', async () => {
    await page.goto(`${h.base}/#/`);
    await untilText(page, card('mk3-a', '[data-testid=state]'), 'Printing', 'printing');
    await loadedImage(page, card('mk3-a', '.card-thumb img'));
    await page.locator(card('mk3-a', '.card-thumb img')).evaluate((el) => {
      (el as unknown as { dataset: Record<string, string> }).dataset.probe = 'before-pause';
    });
    const pauseTopic = printerCommandTopic('mk3-a', 'pause');
    expect(h.agent.received(pauseTopic)).toHaveLength(0);
    // Pause and Resume only; cancel and the emergency stop are on the printer page.
    expect(await page.locator(card('mk3-a', 'button')).allTextContents()).toEqual(['Pause']);
    expect(await page.getByRole('group', { name: 'Prusa MK3 A commands' }).count()).toBe(1);
    await page.locator(card('mk3-a')).getByRole('button', { name: 'Pause' }).click();
    const cmd = (await h.agent.waitFor(pauseTopic)).json<{ commandId: string; requestedBy: string }>();
    expect(cmd.requestedBy).toBe('olga');
    await untilText(page, card('mk3-a', '.card-status'), 'Pause: sent, waiting for the printer…', 'pending');
    await h.agent.client.publishAsync(printerCommandReplyTopic('mk3-a', 'pause'), JSON.stringify({ commandId: cmd.commandId, accepted: true }), { qos: 1 });
    await agent.state('mk3-a', 'paused', { displayName: NAMES['mk3-a'], job: { id: jobs.benchy, progress: 61.3, fileName: BENCHY } });
    await untilText(page, card('mk3-a', '[data-testid=state]'), 'Paused', 'card paused');
    await page.locator(card('mk3-a')).getByRole('button', { name: 'Resume' }).waitFor();
    // The image survives the state change too.
    expect(await page.locator(card('mk3-a', '.card-thumb img[data-probe=before-pause]')).count()).toBe(1);

    await agent.event({ type: 'job.finished', printerId: 'mk4-b', jobId: jobs.nothumb, durationS: 5800, ts: new Date().toISOString() });
    await agent.state('mk4-b', 'finished', { displayName: NAMES['mk4-b'], job: { id: jobs.nothumb, progress: 100, fileName: NO_THUMB } });
    const clear = page.locator(card('mk4-b')).getByRole('button', { name: 'Bed cleared' });
    await clear.click();
    await page.getByRole('dialog', { name: 'Is the bed clear?' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'dashboard-clear-confirm.png') });
    await page.getByRole('button', { name: 'Go back' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(h.agent.received(printerCommandTopic('mk4-b', 'clear'))).toHaveLength(0);
    await clear.click();
    await page.getByRole('button', { name: 'Bed is clear' }).click();
    const cleared = (await h.agent.waitFor(printerCommandTopic('mk4-b', 'clear'))).json<{ commandId: string }>();
    await h.agent.client.publishAsync(printerCommandReplyTopic('mk4-b', 'clear'), JSON.stringify({ commandId: cleared.commandId, accepted: true }), { qos: 1 });
    await agent.state('mk4-b', 'ready', { displayName: NAMES['mk4-b'] });
    await untilText(page, card('mk4-b', '[data-testid=state]'), 'Ready', 'ready after clear');
    expect(await page.locator(card('mk4-b', 'button')).count()).toBe(0);
    await agent.state('mk4-b', 'finished', { displayName: NAMES['mk4-b'], job: { id: jobs.nothumb, progress: 100, fileName: NO_THUMB } });
    await page.locator(card('mk4-b')).getByRole('button', { name: 'Bed cleared' }).waitFor();
  });

  it('gives viewers and makers the thumbnails and facts, but no buttons', async () => {
    // In these states the operator's cards have Resume and Bed cleared (checked above).
    for (const name of ['vic', 'mia']) {
      const other = await launchChromium();
      try {
        const p = await other.context.newPage();
        await logInThroughPage(p, h.base, name, `${name}-password-123`);
        await untilText(p, card('mk3-a', '[data-testid=state]'), 'Paused', `${name}: paused`);
        await untilText(p, card('mk4-b', '[data-testid=state]'), 'Finished', `${name}: finished`);
        const img = await loadedImage(p, card('mk3-a', '.card-thumb img'));
        expect(img.src).toBe(`/api/files/${files[BENCHY]!.id}/thumbnail?index=0`);
        await untilText(p, card('mk4-b', '.card-thumb'), 'No preview', `${name}: placeholder`);
        expect(await p.locator('#fleet button').count()).toBe(0);
        await p.locator(card('mk3-a', '.card-link')).click();
        await untilText(p, '#job-facts', 'Started byolga', `${name}: printer page`);
      } finally {
        await other.close();
      }
    }
  });
});
