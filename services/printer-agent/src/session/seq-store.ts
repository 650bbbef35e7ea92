import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { idSchema } from '@printfleet/contracts';

/**
 * The last published state `seq` of each printer, in `<dataDir>/agent-state/<printerId>.seq`
 * (beside the job store), so a restarted agent continues the numbering: readers that drop
 * lower seqs never drop its states. Written before each state is published (a crash after the
 * publish cannot make a seq be used twice), fsynced (transitions are rare: a few per job), to a
 * temp file then renamed.
 */
export class SeqStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'agent-state');
    mkdirSync(this.dir, { recursive: true });
  }

  load(printerId: string): number {
    try {
      const n = Number(readFileSync(this.pathOf(printerId), 'utf8').trim());
      return Number.isSafeInteger(n) && n >= 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  save(printerId: string, seq: number): void {
    const path = this.pathOf(printerId);
    const fd = openSync(`${path}.tmp`, 'w');
    try {
      writeSync(fd, String(seq));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.tmp`, path);
  }

  private pathOf(printerId: string): string {
    return join(this.dir, `${idSchema.parse(printerId)}.seq`);
  }
}
