import type { Page } from 'playwright-core';

/**
 * Waits until the text of `selector` matches, checked inside the page on every animation frame
 * (no sleeps); on timeout the error shows what the page said instead.
 */
export async function untilText(p: Page, selector: string, expected: RegExp | string, what: string): Promise<void> {
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
        new RegExp(src, fl).test((globalThis as unknown as { document: Doc }).document.querySelector(sel)?.textContent ?? ''),
      [selector, source, flags] as const,
      { timeout: 10_000 },
    );
  } catch {
    const shown = await p
      .locator(selector)
      .first()
      .textContent()
      .catch(() => null);
    throw new Error(`${what}: expected ${String(expected)} in ${selector}, page shows ${JSON.stringify(shown)}`);
  }
}
