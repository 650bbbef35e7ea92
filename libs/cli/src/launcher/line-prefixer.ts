import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** Copies each line of a child's output to `write`, prefixed with the child's name. */
export function prefixLines(
  stream: Readable,
  name: string,
  write: (line: string) => void,
  transform: (line: string) => string = (l) => l,
): void {
  const label = `[${name}]`.padEnd(16);
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => write(`${label}${transform(line)}\n`));
}
