// @ts-check
import { h } from '../dom.js';

/**
 * The pause and cancel scripts on the admin printers page: raw G-code the printer's agent runs at
 * the next pause or cancel (docs/http-api.md). A textarea holds one line per line; `;` comments
 * and blank lines are dropped before sending; an empty box means the agent's default (null).
 */

export const SCRIPT_KINDS = /** @type {const} */ ([
  {
    key: 'pauseScript',
    label: 'Pause script',
    defaultText: 'the agent’s configured pause script, or its built-in one: retract 2 mm, lift 10 mm, park at X0 Y0',
  },
  {
    key: 'cancelScript',
    label: 'Cancel script',
    defaultText: 'the agent’s configured cancel script, or its built-in one: heaters and fan off, motors off',
  },
]);

/** @typedef {(typeof SCRIPT_KINDS)[number]} ScriptKind */

/**
 * The lines to send for what was typed, and for each the line number in the box (to point at the
 * line the API refused).
 * @param {string} text @returns {{ lines: string[], at: number[] }}
 */
export function parseScript(text) {
  /** @type {string[]} */
  const lines = [];
  /** @type {number[]} */
  const at = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') return;
    lines.push(line);
    at.push(i + 1);
  });
  return { lines, at };
}

/**
 * One script box: label, textarea (current lines), and a note saying whether the agent's default
 * or this script runs.
 * @param {string} key  the form's id prefix @param {ScriptKind} kind @param {string[] | null} current
 */
export function scriptField(key, kind, current) {
  const id = `${key}-${kind.key === 'pauseScript' ? 'pause' : 'cancel'}`;
  const note = h('p.script-note.muted', { id: `${id}-note` });
  const box = /** @type {HTMLTextAreaElement} */ (
    h('textarea.script', {
      id,
      name: kind.key,
      rows: '6',
      spellcheck: 'false',
      autocomplete: 'off',
      autocapitalize: 'off',
      wrap: 'off',
      placeholder: 'Empty: the agent’s default',
      'aria-describedby': `${id}-note`,
    })
  );
  /** What the job-service has now; the box is sent only when it differs. */
  let saved = current;
  /** @param {string[] | null} lines */
  const show = (lines) => {
    saved = lines;
    box.value = lines ? lines.join('\n') : '';
    box.removeAttribute('aria-invalid');
    note.textContent = lines
      ? `Runs instead of the default: ${lines.length} ${lines.length === 1 ? 'line' : 'lines'}. Empty the box and save for the default again.`
      : `Default: ${kind.defaultText}.`;
  };
  show(current);
  return {
    kind,
    box,
    node: h('div.field', {}, h('label', { for: id }, `${kind.label} (G-code)`), box, note),
    /** The value to send, or undefined when unchanged (absent = keep). */
    pending() {
      const { lines, at } = parseScript(box.value);
      const next = lines.length ? lines : null;
      return { value: JSON.stringify(next) === JSON.stringify(saved) ? undefined : next, at };
    },
    show,
  };
}

/**
 * The API's message with `pauseScript.3` made into "Pause script line 5" (the line in the box),
 * and the boxes it names marked invalid.
 * @param {string} text @param {ReturnType<typeof scriptField>[]} fields @param {Record<string, number[]>} lineNumbers
 */
export function scriptError(text, fields, lineNumbers) {
  return text.replace(/\b(pauseScript|cancelScript)(?:\.(\d+))?: /g, (_all, key, index) => {
    const field = fields.find((f) => f.kind.key === key);
    if (!field) return `${key}: `;
    field.box.setAttribute('aria-invalid', 'true');
    const line = index === undefined ? undefined : lineNumbers[key]?.[Number(index)];
    return `${field.kind.label}${line === undefined ? '' : ` line ${line}`}: `;
  });
}
