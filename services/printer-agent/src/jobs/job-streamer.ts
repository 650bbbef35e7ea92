import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ModalTracker } from '../session/pause-scripts';
import { slicerRemainingMinutes } from './job-progress';

/** What the streamer needs of the serial side. */
export interface JobSink {
  enqueueJob(lines: string[], options: { jobId: string; final: boolean }): void;
  /** File lines handed over but not yet sent. */
  queuedLines(): number;
}

export interface StreamerOptions {
  /** Lines per chunk handed to the engine. */
  chunkLines?: number;
  /** Refill when fewer than this many lines wait in the engine. */
  lowWater?: number;
}

/**
 * Feeds a job from local disk to the protocol engine in chunks, so memory stays flat whatever the
 * file's size (a 500 MB file is never read whole): the engine holds at most `lowWater + chunk`
 * lines, the read stream one buffer. The engine numbers the lines it is given from 1; when a job
 * resumes at `fromLine`, the lines before it are read and dropped, and `offset` turns the
 * engine's numbers back into file lines.
 */
export class JobStreamer {
  readonly offset: number;
  private readonly lines: AsyncIterator<string>;
  private readonly close: () => void;
  private filling = false;
  private ended = false;
  private stopped = false;
  /** The slicer's latest `M73 R` among the lines handed over (ahead of the printer by the queue). */
  slicerRemainingMin: number | undefined;
  /** Distance modes and feed rate as of the last confirmed line (what a resume restores). */
  readonly modal = new ModalTracker();
  private nextFileLine: number;

  constructor(
    private readonly path: string,
    private readonly jobId: string,
    private readonly sink: JobSink,
    fromLine = 1,
    private readonly options: StreamerOptions = {},
  ) {
    this.offset = fromLine - 1;
    this.nextFileLine = fromLine;
    const stream = createReadStream(path, { encoding: 'latin1', highWaterMark: 64 * 1024 });
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    this.lines = rl[Symbol.asyncIterator]();
    this.close = () => {
      rl.close();
      stream.destroy();
    };
  }

  get done(): boolean {
    return this.ended;
  }

  /** File line of an engine line number. */
  fileLine(engineLine: number): number {
    return engineLine + this.offset;
  }

  /** Skips to `fromLine`, then hands over the first chunk. */
  async start(): Promise<void> {
    for (let skipped = 0; skipped < this.offset; skipped++) {
      const next = await this.lines.next();
      if (next.done) throw new Error(`the file has only ${skipped} lines; cannot resume at line ${this.offset + 1}`);
      this.modal.see(skipped + 1, next.value);
    }
    this.modal.confirm(this.offset);
    await this.fill();
  }

  /** Tops the engine's queue up; call on progress. Concurrent calls share one read. */
  async fill(): Promise<void> {
    if (this.filling || this.ended || this.stopped) return;
    this.filling = true;
    const chunkLines = this.options.chunkLines ?? 200;
    const lowWater = this.options.lowWater ?? 100;
    try {
      while (!this.ended && !this.stopped && this.sink.queuedLines() < lowWater) {
        const chunk: string[] = [];
        while (chunk.length < chunkLines) {
          const next = await this.lines.next();
          if (next.done) {
            this.ended = true;
            break;
          }
          chunk.push(next.value);
          this.modal.see(this.nextFileLine++, next.value);
          const remaining = slicerRemainingMinutes(next.value);
          if (remaining !== null) this.slicerRemainingMin = remaining;
        }
        if (this.stopped) return;
        this.sink.enqueueJob(chunk, { jobId: this.jobId, final: this.ended });
      }
    } finally {
      this.filling = false;
    }
    if (this.ended) this.close();
  }

  /** The firmware confirmed file lines up to `fileLine`. */
  confirmed(fileLine: number): void {
    this.modal.confirm(fileLine);
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }
}
