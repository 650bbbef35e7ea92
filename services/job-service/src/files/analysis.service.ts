import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { analyzeInWorker, isGcodeError, toJson, type AnalysisResult } from '@printfleet/gcode';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { BlobStore } from './blob-store';
import { FileRepository } from './file.repository';
import type { FileRecord } from './file.types';

/** Runs one analysis of a stored file; the default uses a worker thread (the compiled lib). */
export type AnalyzeFn = (path: string) => Promise<AnalysisResult>;
export const ANALYZE_FN = Symbol('job-service:analyze');
export const defaultAnalyze: AnalyzeFn = (path) => analyzeInWorker(path);

/**
 * Analyses files one at a time, off the main thread, right after upload; at boot it resumes the
 * ones a restart cut off. A failed analysis is stored with its code: the file stays in the
 * library but cannot be queued (FILE_NOT_PRINTABLE).
 */
@Injectable()
export class AnalysisService implements OnApplicationBootstrap {
  private chain: Promise<void> = Promise.resolve();
  private readonly listeners: ((fileId: string) => void)[] = [];
  private readonly log: Logger;

  constructor(
    private readonly files: FileRepository,
    private readonly store: BlobStore,
    @Inject(ANALYZE_FN) private readonly analyze: AnalyzeFn,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'analysis' });
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const f of await this.files.pendingAnalysis()) void this.start(f);
  }

  onAnalyzed(listener: (fileId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves when every analysis queued so far is stored. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Queues the analysis; resolves when it is stored (tests await it, uploads do not). */
  start(file: Pick<FileRecord, 'id' | 'sha256'>): Promise<void> {
    const run = this.chain.then(() => this.run(file));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async run(file: Pick<FileRecord, 'id' | 'sha256'>): Promise<void> {
    try {
      const r = await this.analyze(this.store.pathOf(file.sha256));
      await this.files.saveAnalysis(file.id, {
        state: 'done',
        json: JSON.stringify(toJson(r)),
        estimateS: r.estimateS,
        filamentMm: r.filamentMm ?? r.computed.consumedMm,
        bbox: r.bbox,
        // Worker messages turn Buffers into plain Uint8Arrays.
        thumbnails: r.images.map((t) => ({ width: t.width, height: t.height, mimeType: t.mimeType, data: Buffer.from(t.data) })),
      });
      this.log.info({ fileId: file.id, estimateS: r.estimateS }, 'file analysed');
    } catch (err) {
      const code = isGcodeError(err) ? err.code : 'ERROR';
      await this.files.saveAnalysis(file.id, { state: 'failed', error: `${code}: ${(err as Error).message}` });
      this.log.warn({ fileId: file.id, code, err: (err as Error).message }, 'file analysis failed');
    }
    for (const l of this.listeners) l(file.id);
  }
}
