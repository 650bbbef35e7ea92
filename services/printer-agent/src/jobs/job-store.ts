import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { idSchema, sha256Hex } from '@printfleet/contracts';

const persistedJobSchema = z.object({
  jobId: idSchema,
  file: z.object({ id: idSchema, name: z.string(), sha256: sha256Hex, size: z.number().int().nonnegative(), url: z.string() }),
  startedAt: z.string(),
  /** Last file line (1-based) the firmware confirmed; a resume continues after it. */
  lastConfirmedFileLine: z.number().int().nonnegative(),
  /** Set while the pause script has moved the head away: where it left Z, and its retraction. */
  parked: z.object({ z: z.number().nullable(), retraction: z.number() }).optional(),
});
export type PersistedJob = z.infer<typeof persistedJobSchema>;

/**
 * The running job of each printer in `<dataDir>/agent-state/<printerId>.json`, so an agent that
 * restarts mid-print marks the job `interrupted` at boot with the line to resume after.
 *
 * Written after every confirmed line, synchronously, to a temp file then renamed: a crash at any
 * instant leaves either the old or the new record, never a torn one, and the line recorded is
 * never ahead of what the firmware confirmed (a resume must not skip) nor behind by more than
 * the write in progress. No fsync per line: that protects against power loss, at a cost a
 * Raspberry Pi's SD card cannot pay 300 times a second; a process crash is covered.
 */
export class JobStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'agent-state');
    mkdirSync(this.dir, { recursive: true });
  }

  save(printerId: string, job: PersistedJob): void {
    const path = this.pathOf(printerId);
    writeFileSync(`${path}.tmp`, JSON.stringify(job));
    renameSync(`${path}.tmp`, path);
  }

  load(printerId: string): PersistedJob | null {
    let text: string;
    try {
      text = readFileSync(this.pathOf(printerId), 'utf8');
    } catch {
      return null;
    }
    const parsed = persistedJobSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  }

  remove(printerId: string): void {
    rmSync(this.pathOf(printerId), { force: true });
  }

  /** Printers that had a job running when the agent last stopped. */
  printersWithJobs(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
  }

  private pathOf(printerId: string): string {
    return join(this.dir, `${idSchema.parse(printerId)}.json`);
  }
}
