import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/install-deps); the tests never download a browser. */
export const CHROMIUM = process.env.PRINTFLEET_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A headless Chromium with a fresh profile (playwright passes it as --user-data-dir); each call is
 * a separate browser, so two of them are two people. `close()` removes the profile.
 */
export async function launchChromium(
  viewport = { width: 1280, height: 800 },
  /** A phone: `{ isMobile: true, hasTouch: true }` (the meta viewport applies, taps are touches). */
  device: { isMobile?: boolean; hasTouch?: boolean } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'printfleet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    ...device,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login form, as a person would, and waits for the app's navigation. */
export async function logInThroughPage(page: Page, base: string, name: string, password: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
