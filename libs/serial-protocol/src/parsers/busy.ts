/**
 * Keep-alives sent while a command blocks (Marlin/Prusa every 2 s, HOST_KEEPALIVE_FEATURE).
 *
 *   `echo:busy: processing`   `echo:busy: paused for user`   Marlin, Prusa
 *   `busy:processing`         `busy:heating`                 Repetier
 */
export function parseBusy(line: string): string | null {
  const m = /^(?:echo:\s*)?busy:\s*(.*)$/i.exec(line.trim());
  return m ? (m[1] ?? '').trim() || 'processing' : null;
}
