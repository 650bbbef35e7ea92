import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AnalysisResult } from './result';

/** Where analyses are kept, by the file's sha256 (injectable: memory, SQLite, disk…). */
export interface AnalysisStore {
  get(sha256: string): Promise<AnalysisResult | undefined> | AnalysisResult | undefined;
  set(sha256: string, result: AnalysisResult): Promise<void> | void;
}

/** A small in-memory LRU store. */
export class LruAnalysisStore implements AnalysisStore {
  private readonly map = new Map<string, AnalysisResult>();
  constructor(private readonly capacity = 100) {}
  get(key: string): AnalysisResult | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: AnalysisResult): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Memoises an analysis function by file hash; concurrent requests for one hash share one run.
 * The job-service already knows each file's sha256 (its content-addressed store) and passes it.
 */
export class CachedAnalyzer {
  private readonly running = new Map<string, Promise<AnalysisResult>>();
  constructor(
    private readonly analyze: (path: string) => Promise<AnalysisResult>,
    private readonly store: AnalysisStore = new LruAnalysisStore(),
  ) {}

  async analyzeFile(path: string, sha256?: string): Promise<AnalysisResult> {
    const key = sha256 ?? (await sha256File(path));
    const hit = await this.store.get(key);
    if (hit !== undefined) return hit;
    const pending = this.running.get(key);
    if (pending) return pending;
    const run = this.analyze(path)
      .then(async (r) => {
        await this.store.set(key, r);
        return r;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }
}
