import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { launchChromium, logInThroughPage } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';

const GCODE = resolve(__dirname, '../../../../shared/gcode');
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';

/**
 * The printer page's "Print a file" in a real Chromium, against the gateway, the REAL job-service
 * and a fake agent that takes the start as a printer-agent would. Waits are for the page or MQTT.
 */
describe('printer page: print a file (real job-service)', () => {
  let h: Harness;
  let agent: FakeAgent;
  let mia: ApiClient;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    h = await startGateway({}, { jobService: {} });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    await h.addUser('mia', 'maker');
    await h.addUser('vic', 'viewer');
    mia = await ApiClient.login(h.base, 'mia', 'mia-password-123');
    expect((await mia.upload(MINICUBE, readFileSync(join(GCODE, MINICUBE)))).status).toBe(201);
    // Not G-code: its analysis fails, so it is not offered.
    expect((await mia.upload('notes.gcode', 'hello, these are my notes\nnot a print at all\n')).status).toBe(201);
    await h.jobs!.settle();
    await agent.online();
    await agent.state('mk3-a', 'printing', { displayName: 'Prusa MK3 A', job: { id: 'other', progress: 10 } });
    chrome = await launchChromium();
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  const logIn = async (name: string) => {
    await chrome.context.clearCookies(); // the next user logs in on a browser without a session
    page = await chrome.context.newPage();
    await logInThroughPage(page, h.base, name, `${name}-password-123`);
    await page.goto(`${h.base}/#/printers/mk3-a`);
    await untilText(page, '#printer-title', 'Prusa MK3 A', 'printer page');
  };

  it('lists only files ready to print, and starts one only while the printer is ready', async () => {
    await logIn('mia');
    await untilText(page, '#print-file-hint', 'The printer must be ready to start a file.', 'busy printer');
    expect(await page.locator('#print-file option').allTextContents()).toEqual([MINICUBE]);
    expect(await page.getByRole('button', { name: 'Print', exact: true }).isDisabled()).toBe(true);

    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    await page.locator('#print-file-submit:enabled').waitFor();
    await page.locator('#print-file').selectOption({ label: MINICUBE });
    await page.getByRole('button', { name: 'Print', exact: true }).click();
    await untilText(page, '#print-file-status', `${MINICUBE} sent to this printer.`, 'sent');

    const jobs = await mia.get('/api/jobs?printerId=mk3-a');
    expect(jobs.body.items[0]).toMatchObject({ fileName: MINICUBE, printerId: 'mk3-a', requestedBy: 'mia' });
    const start = await agent.nextStart('mk3-a', jobs.body.items[0].id);
    expect(start.file.name).toBe(MINICUBE);
    await agent.acceptStart('mk3-a', start, { displayName: 'Prusa MK3 A' });
    await untilText(page, '#print-file-hint', 'The printer must be ready to start a file.', 'printing again');
    await page.close();
  });

  it('is not offered to a viewer', async () => {
    await logIn('vic');
    await untilText(page, '[data-testid=state]', /\S/, 'state shown');
    expect(await page.locator('#print-file-form').count()).toBe(0);
    await page.close();
  });
});
