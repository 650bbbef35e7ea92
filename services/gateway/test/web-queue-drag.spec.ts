import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, logInThroughPage } from './support/browser';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');
const GCODE = resolve(__dirname, '../../../../shared/gcode');
const FILES = ['prusaslicer-2.8.1-minicube-qoi.gcode', 'cura-3.6.0-calibration-cube.gcode', 'curaengine-4.13-cube-ender3.gcode'];

/**
 * Reordering the queue by drag and drop, in a real Chromium against the gateway and the REAL
 * job-service: what the page shows after a drop is what `/api/queue` answers.
 */
describe('queue reorder by drag in Chromium (real job-service)', () => {
  let h: Harness;
  let operator: ApiClient;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const jobOf: Record<string, string> = {};

  const queueNames = async () => {
    const r = await operator.get('/api/queue');
    expect(r.status).toBe(200);
    return (r.body.items as { id: string; fileName: string }[]).map((j) => j.fileName);
  };
  const row = (name: string) => page.locator(`#queue-list [data-job="${jobOf[name]}"]`);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startGateway({}, { jobService: {} });
    await h.addUser('olga', 'operator');
    const admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    operator = await ApiClient.login(h.base, 'olga', 'olga-password-123');
    // Held jobs for the fleet queue: with no printer they wait, in the order they came.
    for (const name of FILES) {
      const up = await admin.upload(name, readFileSync(join(GCODE, name)));
      expect(up.status).toBe(201);
      const created = await admin.post('/api/jobs', { fileId: up.body.file.id, held: true });
      expect(created.status).toBe(201);
      jobOf[name] = created.body.jobs[0].id;
    }
    expect(await queueNames()).toEqual(FILES);
    chrome = await launchChromium();
    page = await chrome.context.newPage();
    await logInThroughPage(page, h.base, 'olga', 'olga-password-123');
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  it('moves a job above another when dropped on its upper half, and below when on its lower half', async () => {
    const [a, b, c] = FILES as [string, string, string];
    await page.getByRole('link', { name: 'Queue' }).click();
    await untilText(page, '#queue-list', new RegExp(`1.*${a}.*2.*${b}.*3.*${c}`, 's'), 'queue in creation order');
    expect(await row(c).getAttribute('draggable')).toBe('true');

    // The last job, dropped on the top edge of the first: it goes first.
    await row(c).dragTo(row(a), { targetPosition: { x: 40, y: 3 } });
    await untilText(page, '#queue-status', `Move ${c} to position 1: done.`, 'moved to the front');
    expect(await queueNames()).toEqual([c, a, b]);
    await untilText(page, '#queue-list', new RegExp(`1.*${c}.*2.*${a}.*3.*${b}`, 's'), 'page follows');
    await page.screenshot({ path: join(SHOTS, 'queue-drag.png'), fullPage: true });

    // The first job, dropped on the bottom edge of the second: it goes second.
    const box = (await row(a).boundingBox())!;
    await row(c).dragTo(row(a), { targetPosition: { x: 40, y: box.height - 3 } });
    await untilText(page, '#queue-status', `Move ${c} to position 2: done.`, 'moved below');
    expect(await queueNames()).toEqual([a, c, b]);
    await untilText(page, '#queue-list', new RegExp(`1.*${a}.*2.*${c}.*3.*${b}`, 's'), 'page follows again');

    // The Up/Down buttons are still there for keyboard users.
    await page.getByRole('button', { name: `Move ${b} up` }).focus();
    await page.keyboard.press('Enter');
    await untilText(page, '#queue-status', `Move ${b} up: done.`, 'moved up by keyboard');
    expect(await queueNames()).toEqual([a, b, c]);
  });
});
