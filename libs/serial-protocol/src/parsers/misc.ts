/**
 *   `start`                                  boot banner of all three firmwares (a reset)
 *   `echo:Unknown command: "G999"`           Marlin
 *   `Unknown G code: G999`, `Unknown M code: M999`   Prusa
 *   `Unknown command:G999`                   Repetier
 *   `skip 12`                                Repetier: duplicate line 12 ignored (an `ok` follows)
 *   `wait`                                   Repetier: idle for a second with an empty buffer
 */
export function parseStart(line: string): boolean {
  return line.trim() === 'start';
}

export function parseUnknownCommand(line: string): string | null {
  const m = /^(?:echo:\s*)?Unknown (?:command|[GMT] code):\s*"?(.*?)"?\s*(?:\(\d+\))?$/i.exec(line.trim());
  return m ? (m[1] ?? '') : null;
}

export function parseSkip(line: string): number | null {
  const m = /^skip\s+(\d+)$/.exec(line.trim());
  return m ? Number(m[1]) : null;
}

export function parseWait(line: string): boolean {
  return line.trim() === 'wait';
}
