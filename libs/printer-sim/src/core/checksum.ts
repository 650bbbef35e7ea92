/**
 * RepRap line checksum: XOR of every byte before the `*` (Marlin `queue.cpp`,
 * `checksum ^= command[--count]`), written in decimal after the `*`.
 */
export function lineChecksum(text: string): number {
  let cs = 0;
  for (let i = 0; i < text.length; i++) cs ^= text.charCodeAt(i) & 0xff;
  return cs;
}

/** `N<n> <command>*<checksum>` as a careful host sends it (no line ending). */
export function numberedLine(lineNumber: number, command: string): string {
  const body = `N${lineNumber} ${command}`;
  return `${body}*${lineChecksum(body)}`;
}
