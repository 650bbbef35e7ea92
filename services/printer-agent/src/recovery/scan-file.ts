import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { MachineTracker, type MachineState } from './machine-state';

/**
 * The machine state after file line `line` and after each of the `ahead` lines that follow
 * (fewer at the end of the file). Reads the file as a stream and keeps only the tracker, so
 * memory stays flat for any file size.
 */
export async function scanStates(path: string, line: number, ahead: number): Promise<MachineState[]> {
  const tracker = new MachineTracker();
  const states: MachineState[] = [];
  if (line === 0) states.push(tracker.state);
  const stream = createReadStream(path, { encoding: 'latin1', highWaterMark: 64 * 1024 });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const raw of rl) {
      tracker.see(raw);
      const n = tracker.line;
      if (n >= line) states.push(tracker.state);
      if (n >= line + ahead) break;
    }
  } finally {
    rl.close();
    stream.destroy();
  }
  if (states.length === 0) throw new Error(`the file has fewer than ${line} lines`);
  return states;
}
