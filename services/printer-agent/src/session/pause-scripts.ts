import type { Position } from '@printfleet/serial-protocol';

/** Retract 2 mm, lift Z 10 mm, park at X0 Y0. Heaters stay on (no M104/M140 here). */
export const DEFAULT_PAUSE_SCRIPT = ['M83', 'G1 E-2 F2400', 'G91', 'G1 Z10 F600', 'G90', 'G1 X0 Y0 F6000'];
/** Heaters and fan off, motors off. No park: a move could hit the print. */
export const DEFAULT_CANCEL_SCRIPT = ['M104 S0', 'M140 S0', 'M107', 'M84'];

/** The modal state a resume must restore: distance modes and the feed rate in force. */
export interface ModalState {
  relativeXYZ: boolean;
  relativeE: boolean;
  feedrate: number | null;
}

type Change = { line: number; code: string; feedrate: number | null };

const MODAL = /^(G9[01]|M8[23])$/;
const MOVE = /^G0?[0-3]$/;

function codeOf(raw: string): string {
  const semi = raw.indexOf(';');
  return (semi >= 0 ? raw.slice(0, semi) : raw).trim().toUpperCase();
}

/**
 * Follows G90/G91, M82/M83 and the modal feed rate of a job's file lines, as the firmware applies
 * them (Marlin: G90/G91 set E too, M82/M83 set E only), up to the last *confirmed* line: lines
 * are seen when read (ahead of the printer), applied when confirmed. Holds only the modal lines
 * between the two, so memory stays flat.
 */
export class ModalTracker {
  private current: ModalState = { relativeXYZ: false, relativeE: false, feedrate: null };
  private readonly pending: Change[] = [];

  see(fileLine: number, raw: string): void {
    const code = codeOf(raw);
    if (!code) return;
    const word = code.split(/\s+/, 1)[0]!;
    const f = MOVE.test(word) ? /\bF(\d*\.?\d+)/.exec(code) : null;
    if (!MODAL.test(word) && !f) return;
    this.pending.push({ line: fileLine, code: word, feedrate: f ? Number(f[1]) : null });
  }

  confirm(fileLine: number): void {
    while (this.pending.length > 0 && this.pending[0]!.line <= fileLine) {
      const c = this.pending.shift()!;
      const s = this.current;
      if (c.code === 'G90' || c.code === 'G91') s.relativeXYZ = s.relativeE = c.code === 'G91';
      else if (c.code === 'M82' || c.code === 'M83') s.relativeE = c.code === 'M83';
      if (c.feedrate !== null) s.feedrate = c.feedrate;
    }
  }

  get state(): ModalState {
    return { ...this.current };
  }
}

/** Net E a script moves in relative-E mode (negative: a retraction), so a resume can undo it. */
export function scriptRetraction(script: readonly string[]): number {
  let relativeE = false;
  let e = 0;
  for (const raw of script) {
    const code = codeOf(raw);
    const word = code.split(/\s+/, 1)[0] ?? '';
    if (word === 'M83' || word === 'G91') relativeE = true;
    else if (word === 'M82' || word === 'G90') relativeE = false;
    else if (relativeE && MOVE.test(word)) {
      const m = /\bE(-?\d*\.?\d+)/.exec(code);
      if (m) e += Number(m[1]);
    }
  }
  return Math.round(e * 1e5) / 1e5;
}

const mm = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * The lines sent before the next file line on resume: back over the print in XY, then down in Z,
 * undo the pause script's retraction, give E its logical value again, then the file's own modes
 * and feed rate. The same order as Marlin's `resume_print()`.
 */
export function resumePrelude(at: Position, modal: ModalState, retraction: number): string[] {
  const lines = ['G90', 'M83', `G1 X${mm(at.x)} Y${mm(at.y)} F6000`, `G1 Z${mm(at.z)} F600`];
  if (retraction < 0) lines.push(`G1 E${mm(-retraction)} F2400`);
  if (at.e !== null) lines.push(`G92 E${mm(at.e)}`);
  lines.push(modal.relativeXYZ ? 'G91' : 'G90', modal.relativeE ? 'M83' : 'M82');
  if (modal.feedrate !== null) lines.push(`G1 F${mm(modal.feedrate)}`);
  return lines;
}

/**
 * A script setting (`PRINTFLEET_PAUSE_SCRIPT`, `PRINTFLEET_CANCEL_SCRIPT`): G-code lines separated
 * by `\n` (the two characters, or a real newline), or the absolute path of a profile file. A
 * profile file holds G-code lines; `[printer-id]` starts a section for that printer only; lines
 * before any section are for every printer without its own. Comments (`;`) and blanks dropped.
 * Returns null where the setting gives nothing for that printer (the default applies).
 */
export function scriptFor(setting: string | undefined, printerId: string, readFile: (path: string) => string): string[] | null {
  if (setting === undefined || setting.trim() === '') return null;
  const text = setting.startsWith('/') ? readFile(setting) : setting.replace(/\\n/g, '\n');
  const sections = new Map<string, string[]>([['', []]]);
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = header[1]!.trim();
      if (!sections.has(section)) sections.set(section, []);
      continue;
    }
    const code = codeOf(raw) && raw.split(';')[0]!.trim();
    if (code) sections.get(section)!.push(code);
  }
  const own = sections.get(printerId);
  if (own) return own;
  const common = sections.get('')!;
  return common.length > 0 ? common : null;
}
