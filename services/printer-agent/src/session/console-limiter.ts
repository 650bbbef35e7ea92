/**
 * Token bucket for console lines: a streaming printer exchanges ~600 lines/s, far more than any
 * reader wants over MQTT. Lines beyond the rate are counted, and the count is reported with the
 * next line that passes, so a reader knows the console is sampled, not complete.
 */
export class ConsoleLimiter {
  private tokens: number;
  private last: number;
  private dropped = 0;

  constructor(
    private readonly perSecond = 20,
    private readonly burst = 40,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** null: drop this line; otherwise how many lines were dropped before it. */
  admit(now = Date.now()): number | null {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) {
      this.dropped++;
      return null;
    }
    this.tokens -= 1;
    const skipped = this.dropped;
    this.dropped = 0;
    return skipped;
  }
}
