// @ts-check
import { h } from '../dom.js';
import { printerName } from '../format.js';
import { printerCard } from './printer-card.js';
import { canCommand, confirmDialog } from './printer-commands.js';

/**
 * The fleet at a glance: one card per printer the agents have published, updated live, with the
 * commands that fit each printer's state for users who may command (operators, admins).
 * @param {import('../live.js').LiveFleet} fleet @param {import('../api.js').User} user
 * @returns {{ node: HTMLElement, dispose: () => void }}
 */
export function dashboardView(fleet, user) {
  const dialog = confirmDialog();
  const commands = canCommand(user) ? { dialog } : null;
  const grid = h('div.grid', { id: 'fleet', 'aria-live': 'off' });
  const summary = h('p.summary', { role: 'status' });
  const node = h(
    'section',
    { 'aria-labelledby': 'fleet-title' },
    h('div.page-head', {}, h('h1', { id: 'fleet-title' }, 'Fleet'), summary),
    grid,
    dialog,
  );
  /** @type {Map<string, ReturnType<typeof printerCard>>} */
  const cards = new Map();

  const renderAll = () => {
    const printers = [...fleet.printers.values()].sort((a, b) =>
      printerName(a).localeCompare(printerName(b)),
    );
    for (const [id, card] of cards) {
      if (fleet.printers.has(id)) continue;
      card.dispose();
      card.node.remove();
      cards.delete(id);
    }
    for (const [i, p] of printers.entries()) {
      let card = cards.get(p.printerId);
      if (!card) {
        card = printerCard(p.printerId, commands);
        cards.set(p.printerId, card);
      }
      card.fill(p, !fleet.connected);
      // Moved only when out of sort order: moving a node takes keyboard focus off its link or buttons.
      if (card.node !== grid.children[i]) grid.insertBefore(card.node, grid.children[i] ?? null);
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
      if (p && card && card.node.querySelector('.card-name')?.textContent === printerName(p)) {
        card.fill(p, !fleet.connected);
        return updateSummary();
      }
    }
    if (change.kind !== 'event' && change.kind !== 'job') renderAll();
  });
  renderAll();
  return {
    node,
    dispose: () => {
      unsubscribe();
      for (const card of cards.values()) card.dispose();
    },
  };
}
