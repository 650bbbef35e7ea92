/** A command as the firmware parser sees it after line number and checksum are stripped. */
export interface GcodeCommand {
  /** e.g. `G1`, `M105`, `T0`; upper case. Empty when the line has no command word. */
  readonly code: string;
  /** Parameter letters (upper case) to their text values (`''` for a bare flag). */
  readonly params: ReadonlyMap<string, string>;
  /** The command text as executed (`G1 X10 Y20`), used in messages and the record. */
  readonly text: string;
}

/** Strip a leading `N<n>` and a trailing `*<cs>`, collapse spaces. Comments must already be gone. */
export function commandText(line: string): string {
  let s = line.trim();
  const star = s.lastIndexOf('*');
  if (star >= 0) s = s.slice(0, star);
  s = s.replace(/^N-?\d+\s*/i, '');
  return s.trim().replace(/\s+/g, ' ');
}

export function parseCommand(text: string): GcodeCommand {
  const m = /^([GMT])(\d+)(?:\.\d+)?/i.exec(text);
  const params = new Map<string, string>();
  if (!m) return { code: '', params, text };
  const rest = text.slice(m[0].length);
  // Parameters are a letter followed by its value; Marlin allows no space between them.
  const re = /([A-Z])\s*([-+]?[0-9.]*)/gi;
  for (let p = re.exec(rest); p; p = re.exec(rest)) {
    params.set(p[1]!.toUpperCase(), p[2] ?? '');
  }
  return { code: `${m[1]!.toUpperCase()}${Number(m[2])}`, params, text };
}

export function numParam(cmd: GcodeCommand, letter: string): number | undefined {
  const v = cmd.params.get(letter);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
