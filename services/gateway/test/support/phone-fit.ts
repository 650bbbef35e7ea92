import type { Page } from 'playwright-core';

/** The little of the DOM the check below uses (this file is type-checked without the DOM library). */
type Rect = { left: number; right: number; top: number; bottom: number; width: number; height: number };
type El = {
  tagName: string;
  id: string;
  textContent: string | null;
  parentElement: El | null;
  classList: { contains(c: string): boolean };
  getAttribute(name: string): string | null;
  closest(selector: string): El | null;
  getBoundingClientRect(): Rect;
  checkVisibility(options?: Record<string, boolean>): boolean;
};
type Win = {
  document: {
    scrollingElement: { scrollWidth: number; clientWidth: number };
    body: El;
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): ArrayLike<El>;
  };
  getComputedStyle(el: El): { overflowX: string };
};

/**
 * What would bother a person on this screen, in words (empty: nothing):
 * - the page scrolls sideways (document.scrollingElement.scrollWidth > clientWidth);
 * - a form control, button, button-styled link or tab in the page is hidden, has no size, is
 *   smaller than 24 × 24 px (WCAG 2.5.8) or sticks out of the screen's width (a visually hidden
 *   file input counts through its label, which is what people tap);
 * - a table is wider than the screen and does not scroll inside its own container, or that
 *   container itself is wider than the screen.
 * Controls inside a closed `<dialog>` or under a `hidden` attribute are skipped: the page does not
 * offer them (a "Show more" with nothing more to show).
 */
export async function phoneProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Win;
    const doc = w.document;
    const width = doc.scrollingElement.clientWidth;
    const problems: string[] = [];
    if (doc.scrollingElement.scrollWidth > width)
      problems.push(`the page scrolls sideways: ${doc.scrollingElement.scrollWidth} px wide on a ${width} px screen`);
    const describe = (el: El) => {
      const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const name = el.getAttribute('name');
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${name ? ` name=${name}` : ''}>${text ? ` "${text}"` : ''}`;
    };
    const outside = (r: Rect) => r.left < -0.5 || r.right > width + 0.5;
    const span = (r: Rect) => `${Math.round(r.left)}..${Math.round(r.right)} px`;
    /** The nearest ancestor that scrolls sideways on its own. */
    const scroller = (el: El): El | null => {
      for (let p = el.parentElement; p && p !== doc.body; p = p.parentElement) {
        const o = w.getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') return p;
      }
      return null;
    };

    const controls = Array.from(doc.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button, main a.button, main nav a, header button'));
    for (const control of controls) {
      if (control.closest('dialog:not([open]), [hidden]')) continue;
      let el = control;
      if (control.classList.contains('visually-hidden')) {
        const label = control.id ? doc.querySelector(`label[for="${control.id}"]`) : null;
        if (!label) {
          problems.push(`${describe(control)} is visually hidden and has no label to use instead`);
          continue;
        }
        el = label;
      }
      const r = el.getBoundingClientRect();
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) || r.width === 0 || r.height === 0)
        problems.push(`${describe(el)} is not visible`);
      else if (outside(r)) problems.push(`${describe(el)} sticks out of the screen: ${span(r)} of ${width} px`);
      else if (r.width < 24 || r.height < 24) problems.push(`${describe(el)} is too small to tap: ${Math.round(r.width)} × ${Math.round(r.height)} px`);
    }

    for (const table of Array.from(doc.querySelectorAll('main table'))) {
      const r = table.getBoundingClientRect();
      if (!outside(r)) continue;
      const box = scroller(table);
      if (!box) problems.push(`${describe(table)} is ${Math.round(r.width)} px wide and does not scroll in its own container`);
      else if (outside(box.getBoundingClientRect()))
        problems.push(`the container of ${describe(table)} is wider than the screen: ${span(box.getBoundingClientRect())}`);
    }
    return problems;
  });
}
