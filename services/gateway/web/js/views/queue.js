// @ts-check
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { printerName } from '../format.js';
import { coalesce, jobBadge, message, when } from '../jobs-format.js';
import { canCancel, isOperator, jobAction } from './job-actions.js';

/** @typedef {import('../api.js').Job} Job */

const ACTIVE = 'dispatching,printing,paused';

/**
 * The queue: what is printing now, then the waiting jobs in the order the dispatcher takes them.
 * Operators drag jobs into place or move them up and down, hold and release them; makers cancel their own. Refreshed
 * when the job-service announces a change (over /api/live), and after each action.
 * @param {import('../live.js').LiveFleet} fleet @param {import('../api.js').User} user
 */
export function queueView(fleet, user) {
  const summary = h('p.summary', { role: 'status' }, 'Loading…');
  const active = h('ul.job-list', { id: 'active-jobs', 'aria-label': 'Printing now' });
  const waiting = h('ol.job-list', { id: 'queue-list', 'aria-label': 'Waiting jobs' });
  const status = h('p.command-status', { role: 'status', id: 'queue-status' });
  const node = h(
    'section.page',
    { 'aria-labelledby': 'queue-title' },
    h('div.page-head', {}, h('h1', { id: 'queue-title' }, 'Queue'), summary),
    status,
    h('div.panel', {}, h('h2', {}, 'Printing now'), active),
    h('div.panel', {}, h('h2', {}, 'Waiting'), waiting),
  );
  let disposed = false;
  /** @param {string | null} id */
  const printerLabel = (id) => {
    if (!id) return 'Any printer';
    const p = fleet.printers.get(id);
    return p ? printerName(p) : id;
  };

  const refresh = coalesce(async () => {
    try {
      const [q, now] = await Promise.all([api('GET', '/api/queue'), api('GET', `/api/jobs?state=${ACTIVE}&limit=100`)]);
      if (disposed) return;
      /** @type {Job[]} */
      const items = q.items;
      /** @type {Job[]} */
      const running = now.items;
      summary.textContent = `${running.length} printing · ${items.length} waiting`;
      replace(active, ...running.map((j) => row(j, null, running.length)));
      if (running.length === 0) replace(active, h('li.muted', {}, 'Nothing is printing.'));
      replace(waiting, ...items.map((j, i) => row(j, i, items.length)));
      if (items.length === 0) replace(waiting, h('li.muted', {}, 'The queue is empty.'));
    } catch (err) {
      summary.textContent = message(err);
    }
  });

  /** @param {string} what @param {() => Promise<unknown>} call */
  const act = async (what, call) => {
    status.className = 'command-status';
    status.textContent = `${what}…`;
    try {
      await call();
      status.className = 'command-status ok';
      status.textContent = `${what}: done.`;
    } catch (err) {
      status.className = 'command-status bad';
      status.textContent = `${what}: ${message(err)}`;
    }
    await refresh();
  };

  /**
   * Reorder by drag (operators): a waiting row dropped on the upper half of another goes above
   * it, on the lower half below it, through the same move route as the Up/Down buttons (which
   * stay for keyboard users).
   */
  /** @type {{ id: string, index: number, name: string } | null} */
  let dragged = null;
  /** @param {HTMLElement} li */
  const clearMarks = (li) => li.classList.remove('drop-above', 'drop-below');
  /** @param {DragEvent} e @param {HTMLElement} li */
  const above = (e, li) => {
    const box = li.getBoundingClientRect();
    return e.clientY < box.top + box.height / 2;
  };
  /** @param {HTMLElement} li @param {Job} j @param {number} index */
  const makeDraggable = (li, j, index) => {
    li.draggable = true;
    li.classList.add('draggable');
    li.addEventListener('dragstart', (e) => {
      dragged = { id: j.id, index, name: j.fileName };
      e.dataTransfer?.setData('text/plain', j.id);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      li.classList.add('dragging');
    });
    li.addEventListener('dragend', () => {
      dragged = null;
      li.classList.remove('dragging');
      for (const other of waiting.querySelectorAll('.job-row')) clearMarks(/** @type {HTMLElement} */ (other));
    });
    li.addEventListener('dragover', (e) => {
      if (!dragged || dragged.id === j.id) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
      const up = above(e, li);
      li.classList.toggle('drop-above', up);
      li.classList.toggle('drop-below', !up);
    });
    li.addEventListener('dragleave', () => clearMarks(li));
    li.addEventListener('drop', (e) => {
      e.preventDefault();
      clearMarks(li);
      const from = dragged;
      dragged = null;
      if (!from || from.id === j.id) return;
      // The position counts the queue without the moved job: dropping below a later row lands on its index.
      const slot = above(e, li) ? index : index + 1;
      const position = from.index < slot ? slot - 1 : slot;
      if (position === from.index) return;
      void act(`Move ${from.name} to position ${position + 1}`, () => jobAction(from.id, 'move', { position }));
    });
  };

  /** @param {Job} j @param {number | null} index position in the queue, null for running jobs @param {number} count */
  const row = (j, index, count) => {
    const buttons = [];
    if (index !== null && isOperator(user)) {
      buttons.push(
        h('button.small', { type: 'button', disabled: index === 0, 'aria-label': `Move ${j.fileName} up`, onclick: () => void act(`Move ${j.fileName} up`, () => jobAction(j.id, 'move', { position: index - 1 })) }, '↑ Up'),
        h('button.small', { type: 'button', disabled: index === count - 1, 'aria-label': `Move ${j.fileName} down`, onclick: () => void act(`Move ${j.fileName} down`, () => jobAction(j.id, 'move', { position: index + 1 })) }, '↓ Down'),
      );
      if (j.state === 'queued') buttons.push(h('button.small', { type: 'button', onclick: () => void act(`Hold ${j.fileName}`, () => jobAction(j.id, 'hold')) }, 'Hold'));
      if (j.state === 'held') buttons.push(h('button.small', { type: 'button', onclick: () => void act(`Release ${j.fileName}`, () => jobAction(j.id, 'release')) }, 'Release'));
    }
    if (canCancel(user, j))
      buttons.push(
        h('button.small.danger', {
          type: 'button',
          onclick: () => {
            if (confirm(`Cancel ${j.fileName}${j.state === 'printing' || j.state === 'paused' ? ' (it stops the print for good)' : ''}?`))
              void act(`Cancel ${j.fileName}`, () => jobAction(j.id, 'cancel'));
          },
        }, 'Cancel'),
      );
    const li = h(
      'li.job-row',
      { 'data-job': j.id },
      index !== null ? h('span.job-pos', { 'aria-label': `Position ${index + 1}` }, String(index + 1)) : null,
      h(
        'span.job-main',
        {},
        j.fileId ? h('a.job-file', { href: `#/files/${encodeURIComponent(j.fileId)}` }, j.fileName) : h('span.job-file', {}, j.fileName),
        h('span.job-meta', {}, `${printerLabel(j.printerId ?? j.queue?.targetPrinterId ?? null)} · ${j.requestedBy} · ${when(j.queuedAt)}`),
        j.reason && j.state === 'queued' ? h('span.job-meta', {}, j.reason) : null,
      ),
      jobBadge(j.state),
      j.progress !== null && index === null ? h('span.job-progress', {}, `${j.progress.toFixed(0)} %`) : null,
      buttons.length ? h('span.job-buttons', { role: 'group', 'aria-label': `Actions for ${j.fileName}` }, ...buttons) : null,
    );
    if (index !== null && isOperator(user)) makeDraggable(li, j, index);
    return li;
  };

  const unsubscribe = fleet.subscribe((change) => {
    if (change.kind === 'job' || change.kind === 'snapshot') void refresh();
  });
  document.title = 'Queue · printfleet';
  void refresh();
  return {
    node,
    dispose: () => {
      disposed = true;
      unsubscribe();
    },
  };
}
