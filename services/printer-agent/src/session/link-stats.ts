import type { PrinterTelemetry } from '@printfleet/contracts';

export type LinkTelemetry = NonNullable<PrinterTelemetry['link']>;

/**
 * The serial link's health for telemetry: resends and timeouts since the connection opened, and
 * job lines acknowledged per second over a sliding window. One per connection (a reconnect starts
 * from zero). Pure: the clock is injected.
 */
export class LinkStats {
  private resends = 0;
  private timeouts = 0;
  /** When each acknowledged job line was confirmed, oldest first from `head`. */
  private acks: number[] = [];
  private head = 0;

  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  onResend(): void {
    this.resends++;
  }

  onTimeout(): void {
    this.timeouts++;
  }

  /** One job line confirmed by the firmware. */
  onAcknowledged(): void {
    this.acks.push(this.now());
    this.prune();
  }

  /** Job lines acknowledged per second over the last `windowMs` (one decimal). */
  linesPerS(): number {
    this.prune();
    const count = this.acks.length - this.head;
    return Math.round((count / (this.windowMs / 1000)) * 10) / 10;
  }

  snapshot(): LinkTelemetry {
    return { linesPerS: this.linesPerS(), resends: this.resends, timeouts: this.timeouts };
  }

  private prune(): void {
    const oldest = this.now() - this.windowMs;
    while (this.head < this.acks.length && this.acks[this.head]! <= oldest) this.head++;
    // Compact once the dropped prefix dominates, so the array stays about one window long.
    if (this.head > 1024 && this.head * 2 > this.acks.length) {
      this.acks = this.acks.slice(this.head);
      this.head = 0;
    }
  }
}
