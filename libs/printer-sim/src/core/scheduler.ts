/**
 * Time for the simulator. The firmware model never reads a clock itself: it asks a Scheduler,
 * so unit tests drive it with a VirtualScheduler (instant, deterministic) and the adapters with
 * a RealTimeScheduler.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Scheduler {
  /** Milliseconds since the scheduler started. */
  now(): number;
  /** Run `fn` once after `delayMs` (0 = as soon as possible, after the current event). */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle | undefined): void;
}

interface VirtualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock that only moves when a test says so; events run in time order, FIFO on ties. */
export class VirtualScheduler implements Scheduler {
  private time = 0;
  private nextId = 1;
  private timers: VirtualTimer[] = [];

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, delayMs), fn };
    // Insert keeping (at, id) order; the list stays short (a handful of timers per printer).
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const i = this.timers.findIndex((t) => t.id === handle.id);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Time of the next pending event, or undefined when nothing is scheduled. */
  nextEventAt(): number | undefined {
    return this.timers[0]?.at;
  }

  /** Run every event due up to `time`, then set the clock to `time`. */
  advanceTo(time: number): void {
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > time) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, time);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /**
   * Step event by event until `done()` holds; returns the time it took.
   * Throws when `limitMs` of virtual time pass first, so a broken test fails instead of hanging.
   */
  runUntil(done: () => boolean, limitMs = 600_000): number {
    const start = this.time;
    const limit = start + limitMs;
    while (!done()) {
      const next = this.nextEventAt();
      if (next === undefined || next > limit) {
        throw new Error(`condition not met within ${limitMs} ms of virtual time`);
      }
      this.advanceTo(next);
    }
    return this.time - start;
  }
}

/** Wall-clock scheduler for the adapters (PTY, in-process binding). */
export class RealTimeScheduler implements Scheduler {
  private readonly origin = performance.now();
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return performance.now() - this.origin;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, delayMs));
    this.timers.set(id, t);
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }

  /** Cancel everything (used when a simulator shuts down). */
  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
