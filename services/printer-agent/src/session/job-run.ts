import type { StartCommand, PrinterState } from '@printfleet/contracts';
import type { Position } from '@printfleet/serial-protocol';
import type { JobStreamer } from '../jobs/job-streamer';
import { jobProgress } from '../jobs/job-progress';
import type { Parked } from '../recovery/resume-plan';

type StateJob = NonNullable<PrinterState['job']>;

/** The job a printer is running: what it prints, how far the firmware has confirmed, time spent. */
export class JobRun {
  /** Last file line the firmware confirmed (1-based; 0 before the first). */
  lastConfirmedFileLine: number;
  pauseReason: string | undefined;
  cancelReason: string | undefined;
  /** Set while paused: M114 then the pause script; a resume waits for it. */
  pauseScript: Promise<void> | null = null;
  /** Where the print was when it paused (before the pause script moved away), for the resume. */
  pausedAt: Position | null = null;
  /**
   * Net relative E of the pause script that ran (negative: retracted), for the resume to undo.
   * Kept from the pause itself: the script in force may change while paused.
   */
  pauseRetraction = 0;
  /** Where the pause script left the head (persisted: a resume after a reset starts from there). */
  parked: Parked | null = null;
  readonly startedAt = new Date();
  private elapsedMs = 0;
  private runningSince: number | null = Date.now();

  constructor(
    readonly jobId: string,
    readonly file: StartCommand['file'],
    readonly totalLines: number,
    readonly streamer: JobStreamer,
  ) {
    this.lastConfirmedFileLine = streamer.offset;
  }

  /** Time spent printing, pauses excluded. */
  elapsedS(now = Date.now()): number {
    const running = this.runningSince === null ? 0 : now - this.runningSince;
    return Math.round((this.elapsedMs + running) / 100) / 10;
  }

  held(now = Date.now()): void {
    if (this.runningSince !== null) this.elapsedMs += now - this.runningSince;
    this.runningSince = null;
  }

  running(now = Date.now()): void {
    this.runningSince ??= now;
  }

  progress(): { progress: number; remainingS: number | null } {
    return jobProgress({
      confirmedLine: this.lastConfirmedFileLine,
      totalLines: this.totalLines,
      elapsedS: this.elapsedS(),
      slicerRemainingMin: this.streamer.slicerRemainingMin,
    });
  }

  stateJob(progress = this.progress().progress): StateJob {
    return {
      id: this.jobId,
      progress,
      fileName: this.file.name.slice(0, 200),
      line: this.lastConfirmedFileLine,
      startedAt: this.startedAt.toISOString(),
    };
  }

  telemetryJob() {
    const { progress, remainingS } = this.progress();
    return { id: this.jobId, progress, line: this.lastConfirmedFileLine, elapsedS: this.elapsedS(), remainingS };
  }
}
