// @ts-check
/**
 * Builds DOM nodes. Text always goes in as text nodes, never as HTML, so names from users,
 * files or printers can never inject markup.
 * @param {string} tag  element name, optionally with classes: "div.card.big"
 * @param {Record<string, string | boolean | number | EventListener | undefined | null>} [attrs]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * Replaces an element's children, skipping empty slots (a bare `replaceChildren(null)` would
 * print "null").
 * @param {HTMLElement} el @param {...(Node | null | undefined | false)} nodes
 */
export function replace(el, ...nodes) {
  el.replaceChildren(.../** @type {Node[]} */ (nodes.filter(Boolean)));
}
