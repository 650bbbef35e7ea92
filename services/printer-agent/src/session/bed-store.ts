import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { idSchema, longText, stateJobSchema } from '@printfleet/contracts';
import { BED_HOLDING_STATES, type BedHold } from '@printfleet/printer-state';

const bedHoldSchema = z.object({
  state: z.enum(BED_HOLDING_STATES),
  job: stateJobSchema.optional(),
  reason: longText.optional(),
});

/** Put in place of a record that exists but cannot be read: the bed may hold a print all the same. */
export const UNREADABLE_BED: BedHold = { state: 'failed', reason: "the agent's record of this printer's bed could not be read" };

/**
 * Whether each printer's bed holds a print no operator has cleared yet, in
 * `<dataDir>/agent-state/<printerId>.bed` (beside the job store and the seq store): from a job's
 * start until `cmd/clear`, so neither a lost link nor an agent restart can bring a printer to
 * `ready` with a print on it. Written at state changes only (a few per job), fsynced, to a temp
 * file then renamed. No file: the bed is clear; a file that cannot be read counts as a print.
 */
export class BedStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'agent-state');
    mkdirSync(this.dir, { recursive: true });
  }

  load(printerId: string): BedHold | null {
    let text: string;
    try {
      text = readFileSync(this.pathOf(printerId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return UNREADABLE_BED;
    }
    try {
      const parsed = bedHoldSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : UNREADABLE_BED;
    } catch {
      return UNREADABLE_BED;
    }
  }

  /** `null`: an operator cleared the bed. */
  save(printerId: string, hold: BedHold | null): void {
    const path = this.pathOf(printerId);
    if (!hold) return void rmSync(path, { force: true });
    const fd = openSync(`${path}.tmp`, 'w');
    try {
      writeSync(fd, JSON.stringify(hold));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.tmp`, path);
  }

  private pathOf(printerId: string): string {
    return join(this.dir, `${idSchema.parse(printerId)}.bed`);
  }
}
