/** Axis positions in mm. */
export interface Position {
  x: number;
  y: number;
  z: number;
  e: number;
}

export interface PlannerOptions {
  /** BLOCK_BUFFER_SIZE: moves the planner holds (Marlin default 16). */
  blocks?: number;
  /** mm/s² for printing and travel moves (Marlin DEFAULT_ACCELERATION 3000; Ender-3 profile 500). */
  acceleration?: number;
  /** Speed at which consecutive blocks join, mm/s (0 = every block starts and ends at rest). */
  junctionSpeed?: number;
  /** Ceiling on any feed rate, mm/s. */
  maxFeedrate?: number;
}

/**
 * Time to travel `distance` mm with a trapezoidal speed profile: accelerate from `vJunction` to
 * `vMax` at `accel`, cruise, decelerate back to `vJunction`; a triangle when too short to cruise.
 */
export function moveDurationMs(distance: number, vMax: number, accel: number, vJunction = 0): number {
  if (distance <= 0 || vMax <= 0) return 0;
  const v0 = Math.min(vJunction, vMax);
  const rampDist = (vMax * vMax - v0 * v0) / (2 * accel);
  if (2 * rampDist <= distance) {
    const rampTime = (vMax - v0) / accel;
    return (2 * rampTime + (distance - 2 * rampDist) / vMax) * 1000;
  }
  // Triangle: peak speed reached halfway.
  const vPeak = Math.sqrt(v0 * v0 + accel * distance);
  return ((2 * (vPeak - v0)) / accel) * 1000;
}

interface Block {
  durationMs: number;
  to: Position;
}

/**
 * Marlin's planner, reduced to timing: moves queue up as blocks (BLOCK_BUFFER_SIZE) and run one
 * after another; a command that needs a free block or an empty planner waits.
 */
export class Planner {
  readonly capacity: number;
  readonly acceleration: number;
  readonly junctionSpeed: number;
  readonly maxFeedrate: number;
  /** Where the last queued move ends (Marlin's `current_position`). */
  position: Position = { x: 0, y: 0, z: 0, e: 0 };
  /** Where the steppers are (end of the last finished block). */
  machinePosition: Position = { x: 0, y: 0, z: 0, e: 0 };
  private readonly blocks: Block[] = [];
  /** End time of the running (head) block. */
  private headEndsAt = 0;

  constructor(options: PlannerOptions = {}) {
    this.capacity = options.blocks ?? 16;
    this.acceleration = options.acceleration ?? 3000;
    this.junctionSpeed = options.junctionSpeed ?? 0;
    this.maxFeedrate = options.maxFeedrate ?? 500;
  }

  /** Retire blocks that have finished by `now`. */
  update(now: number): void {
    while (this.blocks.length > 0 && this.headEndsAt <= now) {
      const done = this.blocks.shift()!;
      this.machinePosition = { ...done.to };
      const next = this.blocks[0];
      if (next) this.headEndsAt += next.durationMs;
    }
  }

  get queued(): number {
    return this.blocks.length;
  }

  /** Free blocks as ADVANCED_OK reports them (`planner.moves_free()` is capacity - queued - 1). */
  movesFree(): number {
    return Math.max(0, this.capacity - this.blocks.length - 1);
  }

  isFull(): boolean {
    return this.blocks.length >= this.capacity - 1;
  }

  /** ms until the running block ends (0 when idle). */
  msUntilNextBlockDone(now: number): number {
    return this.blocks.length === 0 ? 0 : Math.max(0, this.headEndsAt - now);
  }

  /** ms until every queued block has run. */
  msUntilEmpty(now: number): number {
    if (this.blocks.length === 0) return 0;
    let t = this.headEndsAt;
    for (let i = 1; i < this.blocks.length; i++) t += this.blocks[i]!.durationMs;
    return Math.max(0, t - now);
  }

  /** Queue a move to `to` at `feedMmS`; the caller has checked `isFull()`. */
  addMove(now: number, to: Position, feedMmS: number): number {
    const from = this.position;
    const dxyz = Math.hypot(to.x - from.x, to.y - from.y, to.z - from.z);
    const distance = dxyz > 0 ? dxyz : Math.abs(to.e - from.e);
    const durationMs = moveDurationMs(distance, Math.min(feedMmS, this.maxFeedrate), this.acceleration, this.junctionSpeed);
    return this.addTimed(now, to, durationMs);
  }

  /** Queue something that takes a known time (homing, arcs split by the caller). */
  addTimed(now: number, to: Position, durationMs: number): number {
    this.update(now);
    if (this.blocks.length === 0) this.headEndsAt = now + durationMs;
    this.blocks.push({ durationMs, to: { ...to } });
    this.position = { ...to };
    return durationMs;
  }

  /** G92: set the logical position without moving. */
  setPosition(p: Position): void {
    this.position = { ...p };
    if (this.blocks.length === 0) this.machinePosition = { ...p };
  }

  /** Quick stop / reset: drop every queued move where it is. */
  clear(): void {
    this.blocks.length = 0;
    this.machinePosition = { ...this.position };
  }
}
