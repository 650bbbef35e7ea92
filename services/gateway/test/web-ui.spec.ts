import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { printerCommandReplyTopic, printerCommandTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import { launchChromium } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');

/**
 * The web UI in a real Chromium against the real gateway module and a real broker, with a fake
 * agent publishing what a printer-agent would. Every wait is for something visible on the page
 * (playwright's auto-waiting assertions poll the DOM), never a sleep.
 */
describe('web UI in Chromium', () => {
  let h: Harness;
  let agent: FakeAgent;
  let chrome: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startGateway({ loginLimits: { perUser: 3, perIp: 50, windowMs: 60_000 } });
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    await h.addUser('olga', 'operator');
    await h.addUser('vic', 'viewer');
    chrome = await launchChromium();
    page = await chrome.context.newPage();
  });

  afterAll(async () => {
    await chrome?.close();
    await h?.close();
  });

  const card = (id: string) => page.locator(`[data-printer="${id}"]`);
  const cardSel = (id: string, inner = '') => `[data-printer="${id}"]${inner ? ` ${inner}` : ''}`;
  /**
   * Waits until the text of `selector` matches, checked inside the page on every animation frame
   * (no sleeps); on timeout the error shows what the page said instead.
   */
  const until = async (selector: string, expected: RegExp | string, what: string, p: Page = page) => {
    const [source, flags] =
      typeof expected === 'string'
        ? [expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), '']
        : [expected.source, expected.flags];
    try {
      // A function, not a string: the page's CSP forbids eval. Typed loosely because this file
      // is type-checked without the DOM library.
      type Doc = { querySelector(s: string): { textContent: string | null } | null };
      await p.waitForFunction(
        ([sel, src, fl]) =>
          new RegExp(src, fl).test(
            (globalThis as unknown as { document: Doc }).document.querySelector(sel)?.textContent ?? '',
          ),
        [selector, source, flags] as const,
        { timeout: 10_000 },
      );
    } catch {
      throw new Error(
        `${what}: expected ${String(expected)} in ${selector}, page shows ${JSON.stringify(
          await p
            .locator(selector)
            .first()
            .textContent()
            .catch(() => null),
        )}`,
      );
    }
  };

  async function logIn(p: Page, name: string, password: string) {
    await p.goto(h.base);
    await p.getByLabel('User name').fill(name);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Log in' }).click();
  }

  it('says clearly when the password is wrong', async () => {
    await logIn(page, 'olga', 'wrong-password-0');
    await until('#login-error', 'Wrong user name or password.', 'login error');
    await page.screenshot({ path: join(SHOTS, 'login-error.png') });
  });

  it('logs in and shows a printer as soon as its agent publishes retained state', async () => {
    await logIn(page, 'olga', 'olga-password-123');
    await until('.summary', 'No printers yet', 'empty fleet');
    await agent.online();
    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    await until(cardSel('mk3-a', '[data-testid=state]'), 'Ready', 'card state');
    expect(await card('mk3-a').locator('.card-name').textContent()).toBe('Prusa MK3 A');
  });

  it('follows state changes live and shows temperatures, progress and times', async () => {
    await agent.state('mk3-a', 'printing', {
      displayName: 'Prusa MK3 A',
      job: { id: 'job-1', progress: 42, fileName: 'benchy_0.2mm_PLA.gcode' },
    });
    await agent.telemetry('mk3-a', [214.6, 215], [59.8, 60], {
      id: 'job-1',
      progress: 42.5,
      elapsedS: 1830,
      remainingS: 2460,
    });
    await until(
      cardSel('mk3-a'),
      /Printing.*benchy_0\.2mm_PLA\.gcode.*43 %.*Elapsed 30 min.*Left 41 min.*Nozzle214\.6 \/ 215\.0 °C.*Bed59\.8 \/ 60\.0 °C/s,
      'card while printing',
    );
    await agent.online();
    await agent.state('mk4-b', 'finished', { displayName: 'Prusa MK4 B' });
    await agent.state('voron-c', 'error', { reason: 'thermal runaway on the hotend' });
    await until('.summary', '3 printers · 1 printing · 0 ready', 'summary');
    await page.screenshot({ path: join(SHOTS, 'dashboard-desktop.png'), fullPage: true });
  });

  it('pauses from the printer page: the command goes out on MQTT and the agent’s answer shows', async () => {
    await card('mk3-a').click();
    await until('#printer-title', 'Prusa MK3 A', 'detail page');
    const arrived = h.agent.waitFor(printerCommandTopic('mk3-a', 'pause'));
    await page.getByRole('button', { name: 'Pause' }).click();
    const cmd = (await arrived).json<{ commandId: string; requestedBy: string }>();
    expect(cmd).toEqual({ commandId: expect.any(String), requestedBy: 'olga' });
    await until('#command-status', 'Pause: sent, waiting for the printer…', 'pending status');
    await h.agent.client.publishAsync(
      printerCommandReplyTopic('mk3-a', 'pause'),
      JSON.stringify({ commandId: cmd.commandId, accepted: true }),
      { qos: 1 },
    );
    await until('#command-status', 'Pause: accepted by the printer.', 'accepted status');
    await agent.state('mk3-a', 'paused', {
      displayName: 'Prusa MK3 A',
      job: { id: 'job-1', progress: 42.5, fileName: 'benchy_0.2mm_PLA.gcode' },
    });
    await until('.detail [data-testid=state]', 'Paused', 'paused badge');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'printer-paused.png'), fullPage: true });
  });

  it('shows a refusal with the agent’s reason, and asks before an emergency stop', async () => {
    void h.agent.waitFor(printerCommandTopic('mk3-a', 'resume')).then((m) =>
      h.agent.client.publishAsync(
        printerCommandReplyTopic('mk3-a', 'resume'),
        JSON.stringify({
          commandId: m.json<{ commandId: string }>().commandId,
          accepted: false,
          reason: 'the nozzle is still heating',
        }),
        { qos: 1 },
      ),
    );
    await page.getByRole('button', { name: 'Resume' }).click();
    await until('#command-status', 'Resume: refused by the printer: the nozzle is still heating', 'refusal');
    await page.getByRole('button', { name: 'Emergency stop' }).click();
    await page.getByRole('dialog').waitFor();
    await page.screenshot({ path: join(SHOTS, 'estop-confirm.png') });
    await page.getByRole('button', { name: 'Go back' }).click();
    expect(h.agent.received(printerCommandTopic('mk3-a', 'estop'))).toHaveLength(0);
  });

  it('says "Unknown" instead of the last state when the agent goes offline', async () => {
    await page.goto(`${h.base}/#/`);
    await agent.online('offline');
    await until(cardSel('mk3-a'), /Unknown.*Agent pi-1 is offline\. Last report: paused/s, 'unknown card');
    await page.screenshot({ path: join(SHOTS, 'dashboard-agent-offline.png'), fullPage: true });
    await agent.online();
    await until(cardSel('mk3-a', '[data-testid=state]'), 'Paused', 'back online');
  });

  it('works on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${h.base}/#/printers/mk3-a`);
    await until('.detail [data-testid=state]', 'Paused', 'phone detail');
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(Number(width)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'printer-phone.png'), fullPage: true });
    await page.goto(`${h.base}/#/`);
    await until('.summary', '3 printers', 'phone fleet');
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows a viewer no control buttons', async () => {
    const other = await launchChromium({ width: 1920, height: 1080 });
    try {
      const p = await other.context.newPage();
      await logIn(p, 'vic', 'vic-password-123');
      await p.locator('[data-printer="mk3-a"]').click();
      await p.getByText('you can watch, not control').waitFor();
      expect(await p.getByRole('button', { name: 'Pause' }).count()).toBe(0);
      expect(await p.getByRole('button', { name: 'Emergency stop' }).count()).toBe(0);
      await p.goto(`${h.base}/#/`);
      await p.locator('[data-printer="voron-c"]').waitFor();
      await p.screenshot({ path: join(SHOTS, 'dashboard-big-screen.png') });
    } finally {
      await other.close();
    }
  });

  it('returns to the login page after logging out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('User name').waitFor();
    const res = await page.request.get(`${h.base}/api/printers`);
    expect(res.status()).toBe(401);
  });

  it('escapes names from agents instead of rendering them as HTML', async () => {
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await agent.state('evil', 'ready', { displayName: '<img src=x onerror=alert(1)>' });
    await until(cardSel('evil', '.card-name'), '<img src=x onerror=alert(1)>', 'escaped name');
    expect(await card('evil').locator('img').count()).toBe(0);
  });
});
