import type { Scheduler, TimerHandle } from './scheduler';

/**
 * One direction of a serial link: bytes leave one at a time at the baud rate (10 bits a byte:
 * start, 8 data, stop) and arrive `latencyMs` later (the USB adapter's latency timer).
 * Delivery is event-driven: on a virtual clock every byte lands at its own instant, on a real
 * clock the bytes due by each timer tick land together.
 */
export class Wire {
  private readonly bytes: number[] = [];
  private readonly times: number[] = [];
  private head = 0;
  private busyUntil = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private baudRate: number,
    private readonly latencyMs: number,
    private readonly deliver: (bytes: Buffer) => void,
  ) {}

  /** Seconds per byte; 0 when the link is unlimited (`baudRate` 0). */
  get byteMs(): number {
    return this.baudRate > 0 ? 10_000 / this.baudRate : 0;
  }

  setBaudRate(baudRate: number): void {
    this.baudRate = baudRate;
  }

  /** Bytes not yet delivered. */
  get pending(): number {
    return this.bytes.length - this.head;
  }

  /** Time at which everything sent so far will have left the sender. */
  get idleAt(): number {
    return Math.max(this.busyUntil, this.scheduler.now());
  }

  send(data: Uint8Array): void {
    if (data.length === 0) return;
    const now = this.scheduler.now();
    const start = Math.max(now, this.busyUntil);
    const step = this.byteMs;
    for (let i = 0; i < data.length; i++) {
      this.bytes.push(data[i]!);
      this.times.push(start + (i + 1) * step + this.latencyMs);
    }
    this.busyUntil = start + data.length * step;
    this.arm();
  }

  /** Drop everything in flight (port closed, cable pulled). */
  clear(): void {
    this.bytes.length = 0;
    this.times.length = 0;
    this.head = 0;
    this.busyUntil = 0;
    this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer || this.head >= this.bytes.length) return;
    const at = this.times[this.head]!;
    this.timer = this.scheduler.setTimer(at - this.scheduler.now(), () => {
      this.timer = undefined;
      this.flushDue();
    });
  }

  private flushDue(): void {
    const now = this.scheduler.now() + 1e-9;
    let end = this.head;
    while (end < this.bytes.length && this.times[end]! <= now) end++;
    if (end > this.head) {
      const chunk = Buffer.from(this.bytes.slice(this.head, end));
      this.head = end;
      if (this.head > 4096 && this.head * 2 > this.bytes.length) {
        this.bytes.splice(0, this.head);
        this.times.splice(0, this.head);
        this.head = 0;
      }
      this.deliver(chunk);
    }
    this.arm();
  }
}
