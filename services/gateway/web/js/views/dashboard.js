// @ts-check
import { h } from '../dom.js';
import { printerName } from '../format.js';
import { fillCard } from './printer-card.js';

/**
 * The fleet at a glance: one card per printer the agents have published, updated live.
 * @param {import('../live.js').LiveFleet} fleet
 * @returns {{ node: HTMLElement, dispose: () => void }}
 */
export function dashboardView(fleet) {
  const grid = h('div.grid', { id: 'fleet', 'aria-live': 'off' });
  const summary = h('p.summary', { role: 'status' });
  const node = h(
    'section',
    { 'aria-labelledby': 'fleet-title' },
    h('div.page-head', {}, h('h1', { id: 'fleet-title' }, 'Fleet'), summary),
    grid,
  );
  /** @type {Map<string, HTMLElement>} */
  const cards = new Map();

  const renderAll = () => {
    const printers = [...fleet.printers.values()].sort((a, b) =>
      printerName(a).localeCompare(printerName(b)),
    );
    for (const [id, card] of cards) {
      if (fleet.printers.has(id)) continue;
      card.remove();
      cards.delete(id);
    }
    for (const p of printers) {
      let card = cards.get(p.printerId);
      if (!card) {
        card = h('a.card');
        cards.set(p.printerId, card);
      }
      fillCard(card, p, !fleet.connected);
      grid.append(card); // append moves an existing node: this keeps the sort order
    }
    updateSummary();
  };

  const updateSummary = () => {
    const printers = [...fleet.printers.values()];
    if (!fleet.loaded) summary.textContent = 'Connecting…';
    else if (printers.length === 0)
      summary.textContent = 'No printers yet. They appear here as soon as an agent reports one.';
    else {
      const busy = printers.filter((p) => p.agent !== 'offline' && p.state.state === 'printing').length;
      const free = printers.filter((p) => p.agent !== 'offline' && p.state.state === 'ready').length;
      summary.textContent = `${printers.length} printer${printers.length === 1 ? '' : 's'} · ${busy} printing · ${free} ready`;
    }
  };

  const unsubscribe = fleet.subscribe((change) => {
    if (change.kind === 'printer' && change.printerId) {
      const p = fleet.printers.get(change.printerId);
      const card = cards.get(change.printerId);
      // A known card is refilled in place; anything else (new printer, order change) redraws the grid.
      if (p && card && card.querySelector('.card-name')?.textContent === printerName(p)) {
        fillCard(card, p, !fleet.connected);
        return updateSummary();
      }
    }
    if (change.kind !== 'event' && change.kind !== 'job') renderAll();
  });
  renderAll();
  return { node, dispose: () => unsubscribe() };
}
