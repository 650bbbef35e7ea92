import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { launchChromium, logInThroughPage } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');
const GCODE = resolve(__dirname, '../../../../shared/gcode');
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';

/**
 * Files, "Print on…", the queue and history in a real Chromium, against the gateway, the REAL
 * job-service and a real broker, with a fake agent that takes the start as a printer-agent
 * would. Every wait is for something on the page or on MQTT, never a sleep.
 */
describe('files, queue and history pages in Chromium (real job-service)', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let fileId: string;
  let jobId: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startGateway({}, { jobService: {} });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    await h.addUser('mia', 'maker');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    await agent.online();
    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    await agent.state('mk4-b', 'printing', { displayName: 'Prusa MK4 B', job: { id: 'other', progress: 10 } });
    chrome = await launchChromium();
    page = await chrome.context.newPage();
    await logInThroughPage(page, h.base, 'mia', 'mia-password-123');
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  it('uploads a file from the page and shows its thumbnail and estimate', async () => {
    await page.getByRole('link', { name: 'Files' }).click();
    await untilText(page, '.summary', 'No files yet.', 'empty library');
    await page.setInputFiles('#file-input', join(GCODE, MINICUBE));
    await untilText(page, '#file-title', MINICUBE, 'file page after upload');
    await untilText(page, '[data-testid=analysis-state]', 'Ready to print', 'analysis done');
    await untilText(page, '#file-facts', /SlicerPrusaSlicer 2\.8\.1.*Print timeabout 3 min.*Filament0\.25 m · 0\.75 g.*Size12\.1 × 12\.1 × 6\.2 mm.*Layers31 × 0\.2 mm/s, 'analysis facts');
    const thumb = page.locator('#file-thumbnail');
    await thumb.waitFor();
    await page.waitForFunction(() => {
      const img = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('#file-thumbnail');
      return img !== null && img.complete && img.naturalWidth === 313;
    });
    fileId = decodeURIComponent(new URL(page.url()).hash.replace('#/files/', ''));
    // Only ready printers can be chosen; a busy one is listed with its state.
    expect(await page.getByLabel(/Prusa MK4 B/).isDisabled()).toBe(true);
    expect(await page.getByLabel(/Fleet queue/).isChecked()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'file-detail.png'), fullPage: true });
  });

  it('sends it to a ready printer and follows it in the queue', async () => {
    // Two held jobs of the admin's wait in the fleet queue: a maker sees them, without buttons.
    for (let i = 0; i < 2; i++) expect((await admin.post('/api/jobs', { fileId, held: true })).status).toBe(201);
    await page.getByLabel(/Prusa MK3 A/).check();
    await page.getByRole('button', { name: 'Print' }).click();
    await untilText(page, '#print-status', 'Sent to Prusa MK3 A. See the queue', 'sent');
    const jobs = await admin.get(`/api/jobs?printerId=mk3-a`);
    jobId = jobs.body.items[0].id;
    const start = await agent.nextStart('mk3-a', jobId);

    await page.getByRole('link', { name: 'See the queue' }).click();
    await untilText(page, '#queue-list', /1.*prusaslicer-2\.8\.1-minicube-qoi\.gcode.*Any printer · admin.*Held.*2.*Held/s, 'waiting jobs');
    await agent.acceptStart('mk3-a', start, { displayName: 'Prusa MK3 A' });
    await untilText(page, '#active-jobs', /prusaslicer-2\.8\.1-minicube-qoi\.gcode.*Prusa MK3 A · mia.*Printing/s, 'printing, live');
    expect(await page.locator('#queue-list button').count()).toBe(0);
    expect(await page.locator(`[data-job="${jobId}"] button`, { hasText: 'Cancel' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'queue.png'), fullPage: true });
  });

  it('shows the finished print in the history, with duration, filament, reprint and CSV', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await untilText(page, `[data-job="${jobId}"]`, /Printing/, 'history row while printing');
    await agent.event({ type: 'job.finished', printerId: 'mk3-a', jobId, durationS: 225, ts: new Date().toISOString() });
    await agent.state('mk3-a', 'finished', { displayName: 'Prusa MK3 A', job: { id: jobId, progress: 100 } });
    await untilText(page, `[data-job="${jobId}"]`, /minicube.*Prusa MK3 A.*mia.*Finished.*3 min.*0\.25 m.*Reprint/s, 'finished row, live');
    await page.getByLabel('State').selectOption('finished');
    await page.getByRole('button', { name: 'Apply' }).click();
    await untilText(page, '.summary', '1 job', 'filtered');
    expect(await page.locator('#history-csv').getAttribute('href')).toBe('/api/jobs.csv?state=finished');
    await page.screenshot({ path: join(SHOTS, 'history.png'), fullPage: true });
    await page.getByRole('button', { name: `Reprint ${MINICUBE}` }).click();
    await untilText(page, '#history-status', `${MINICUBE} is queued again for Prusa MK3 A.`, 'reprint');
  });

  it('sends one file to two printers at once, or to the fleet queue, from the same choice list', async () => {
    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    await agent.state('mk4-b', 'ready', { displayName: 'Prusa MK4 B' });
    const before = (await admin.get(`/api/jobs?fileId=${fileId}&limit=100`)).body.items.map((j: { id: string }) => j.id) as string[];
    await page.goto(`${h.base}/#/files/${fileId}`);
    const [a, b, fleet] = [page.getByLabel(/Prusa MK3 A/), page.getByLabel(/Prusa MK4 B/), page.getByLabel(/Fleet queue/)];
    await b.and(page.locator(':enabled')).waitFor();
    await a.check();
    await b.check();
    expect(await fleet.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Print' }).click();
    await untilText(page, '#print-status', 'Sent to Prusa MK3 A and Prusa MK4 B. See the queue', 'sent to two');
    const added = async () =>
      ((await admin.get(`/api/jobs?fileId=${fileId}&limit=100`)).body.items as { id: string; printerId: string | null; queue: { targetPrinterId: string | null } | null }[])
        .filter((j) => !before.includes(j.id))
        // Where the job was sent: its printer once dispatched, its target while it waits.
        .map((j) => j.printerId ?? j.queue?.targetPrinterId ?? 'fleet');
    expect((await added()).sort()).toEqual(['mk3-a', 'mk4-b']);

    // Ticking the fleet queue unticks the printers: the queue's job has no printer.
    await fleet.check();
    expect([await a.isChecked(), await b.isChecked()]).toEqual([false, false]);
    await page.getByRole('button', { name: 'Print' }).click();
    await untilText(page, '#print-status', 'Sent to the fleet queue. See the queue', 'sent to the queue');
    expect((await added()).sort()).toEqual(['fleet', 'mk3-a', 'mk4-b']);
  });

  it('says plainly why a dropped file is refused', async () => {
    await page.getByRole('link', { name: 'Files', exact: true }).click();
    await page.locator(`[data-file="${fileId}"] img`).waitFor();
    await page.locator('#dropzone').evaluate((zone) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(f: unknown): void } };
        File: new (parts: unknown[], name: string) => unknown;
        DragEvent: new (type: string, init: object) => unknown;
      };
      const data = new g.DataTransfer();
      data.items.add(new g.File([new Uint8Array([0x47, 0x31, 0x00, 0xff, 0xd8, 0x00])], 'photo.gcode'));
      (zone as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(new g.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await untilText(page, '#upload-error', /^photo\.gcode was refused: .+/, 'refusal');
    await page.screenshot({ path: join(SHOTS, 'files-refused.png'), fullPage: true });
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const [hash, ready, shot] of [
      ['#/files', `[data-file="${fileId}"]`, 'files-phone.png'],
      ['#/history', `[data-job="${jobId}"]`, 'history-phone.png'],
      [`#/files/${fileId}`, '#file-facts', 'file-detail-phone.png'],
    ] as const) {
      await page.goto(`${h.base}/${hash}`);
      await page.locator(ready).waitFor();
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('sends the same content as the job-service stored', async () => {
    const res = await page.request.get(`${h.base}/api/files/${fileId}/download`);
    expect(res.status()).toBe(200);
    expect(Buffer.from(await res.body()).equals(readFileSync(join(GCODE, MINICUBE)))).toBe(true);
  });
});
