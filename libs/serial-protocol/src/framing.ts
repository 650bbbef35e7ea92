/**
 * Host-side framing of G-code lines: comment stripping, `N<n> … *<xor>` framing, and the
 * "dangerous tail" test used by the send-ahead profiles.
 */

/** XOR of every byte before `*`, as Marlin's `queue.cpp`, Prusa's `cmdqueue.cpp` and Repetier's `gcode.cpp` compute it. */
export function xorChecksum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i) & 0xff;
  return sum;
}

/**
 * Strips `;` comments and surrounding whitespace. Returns null for a line with nothing to send.
 * Prusa drops a line containing `;` without an `ok` (FIRMWARE.md), so comments never reach the wire.
 */
export function cleanGcodeLine(raw: string): string | null {
  const semi = raw.indexOf(';');
  const code = (semi >= 0 ? raw.slice(0, semi) : raw).trim();
  return code.length > 0 ? code : null;
}

/** `N<n> <code>*<checksum>` without the line end. */
export function frameLine(lineNumber: number, code: string): string {
  const body = `N${lineNumber} ${code}`;
  return `${body}*${xorChecksum(body)}`;
}

/** `M110 N<n>` must not be streamed as a job line: it would reset the numbering behind the engine's back. */
export function isLineNumberReset(code: string): boolean {
  return /^M110(?!\d)/i.test(code);
}

/** Commands that block the firmware while heating; their temperature reports count as keep-alives. */
export function isHeatingWait(code: string): boolean {
  return /^(M109|M190|M191|M116|M303)(?!\d)/i.test(code);
}

/**
 * True when some suffix of the framed line could be executed by Repetier if it arrived alone after
 * a receive-buffer flush. Repetier's `GCode::parseAscii` (gcode.cpp) takes a line without `N` when
 * its `*` checksum matches and it holds a G, M or T letter; the suffix starting at byte `c`
 * matches exactly when the XOR of the bytes before `c` is 0 (checksum(full) = xor(head) ^ xor(tail)).
 * A suffix cut after `*` has no checksum and no command letter, and is refused as a format error.
 */
export function hasDangerousTail(framed: string): boolean {
  const star = framed.lastIndexOf('*');
  if (star < 0) return true;
  let head = 0;
  for (let c = 1; c < star; c++) {
    head ^= framed.charCodeAt(c - 1) & 0xff;
    if (head === 0 && /[GMTgmt]/.test(framed.slice(c, star))) return true;
  }
  return false;
}
