import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { JOB_SETTINGS, type JobSettings } from '../settings';
import { FileLibraryService } from './file-library.service';
import { FileRepository } from './file.repository';

const HOUR_MS = 3600_000;

/**
 * Deletes files neither printed nor uploaded for `PRINTFLEET_FILE_RETENTION_DAYS` (0: never),
 * hourly and at boot. Jobs keep the file's name and hash, so history stays complete; a file that
 * is queued or printing is never deleted.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;

  constructor(
    private readonly files: FileRepository,
    private readonly library: FileLibraryService,
    @Inject(JOB_SETTINGS) private readonly settings: JobSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'retention' });
  }

  onApplicationBootstrap(): void {
    if (this.settings.retentionDays <= 0) return;
    const run = () => void this.runOnce().catch((err: Error) => this.log.error({ err: err.message }, 'retention sweep failed'));
    run();
    this.timer = setInterval(run, HOUR_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Returns the ids deleted. */
  async runOnce(now = Date.now()): Promise<string[]> {
    if (this.settings.retentionDays <= 0) return [];
    const cutoff = new Date(now - this.settings.retentionDays * 24 * HOUR_MS).toISOString();
    const stale = await this.files.unusedSince(cutoff);
    for (const f of stale) await this.library.delete(f.id, 'retention', 'file.retention');
    if (stale.length) this.log.info({ deleted: stale.length, cutoff }, 'old files deleted');
    return stale.map((f) => f.id);
  }
}
