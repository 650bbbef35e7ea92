export interface BackoffOptions {
  /** First wait after a failure (ms). */
  baseMs: number;
  /** Longest wait (ms): a printer that never answers is tried this often, no more. */
  maxMs: number;
}

/** Waits between connection attempts: base, 2×, 4×… up to max; back to base after a success. */
export class Backoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const { baseMs, maxMs } = this.options;
    const ms = Math.min(maxMs, baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return ms;
  }

  reset(): void {
    this.failures = 0;
  }
}

/**
 * One pending reconnection attempt at most, spaced by a `Backoff`: every failure or loss waits
 * longer, so a port whose printer never answers costs a try a minute, not a loop.
 */
export class ReconnectTimer {
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;

  constructor(options: BackoffOptions) {
    this.backoff = new Backoff(options);
  }

  /** A try is already scheduled: a port re-appearing meanwhile waits for it. */
  get pending(): boolean {
    return this.timer !== null;
  }

  /** Schedules `attempt` after the next backoff delay (replacing a pending one); returns the delay. */
  schedule(attempt: () => void): number {
    this.cancel();
    const ms = this.backoff.next();
    this.timer = setTimeout(() => {
      this.timer = null;
      attempt();
    }, ms);
    return ms;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Connected: the next trouble starts from the base delay again. */
  succeeded(): void {
    this.backoff.reset();
  }
}
