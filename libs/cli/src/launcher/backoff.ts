/**
 * Restart delay after the n-th consecutive crash: 0.5 s, 1 s, 2 s … capped at 30 s. A process
 * that stayed up for `stableMs` is considered healthy again and starts over at 0.5 s.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 30_000,
    readonly stableMs = 30_000,
  ) {}

  nextDelay(uptimeMs: number): number {
    if (uptimeMs >= this.stableMs) this.failures = 0;
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** this.failures);
    this.failures++;
    return delay;
  }
}
