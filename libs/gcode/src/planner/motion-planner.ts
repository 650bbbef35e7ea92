import type { MachineLimits } from './machine-limits';

/**
 * What the simulator needs from a planner: the in-thread `Planner`, or `RemotePlanner`, which
 * runs the same `Planner` on a worker thread so that parsing and planning overlap.
 */
export interface MotionPlanner {
  /** dx, dy, dz, de (mm), feed rate (mm/s) and √(dx² + dy² + dz²) of the next `queueMove`. */
  readonly input: Float64Array;
  /** The limits in force; after changing them, call `limitsChanged`. */
  readonly limits: MachineLimits;
  /** Total planned time so far (final after `flush`/`finish`). */
  readonly totalTime: number;
  /** Queues the straight move described by `input` (see `planMove`). */
  queueMove(line: number): void;
  dwell(seconds: number, line: number): void;
  flush(): void;
  limitsChanged(): void;
  /** A layer of list 0 (markers) or 1 (Z) starts at `line` (the time attribution needs it in order). */
  layerStarted(list: number, line: number): void;
}

/** Queues a straight move: dx, dy, dz, de (mm) at `feedrate` (mm/s). */
export function planMove(planner: MotionPlanner, dx: number, dy: number, dz: number, de: number, feedrate: number, line: number): void {
  planMoveOfLength(planner, dx, dy, dz, de, feedrate, Math.sqrt(dx * dx + dy * dy + dz * dz), line);
}

/**
 * `planMove` for callers that have the move's XYZ length, √(dx² + dy² + dz²), already. The
 * numbers go through the planner's `input` array rather than as arguments of `queueMove`, which
 * V8 does not inline: each double argument would be boxed into a heap number. This one is small
 * enough for V8 to inline into the callers on the hot path.
 */
export function planMoveOfLength(planner: MotionPlanner, dx: number, dy: number, dz: number, de: number, feedrate: number, length: number, line: number): void {
  const input = planner.input;
  input[0] = dx;
  input[1] = dy;
  input[2] = dz;
  input[3] = de;
  input[4] = feedrate;
  input[5] = length;
  planner.queueMove(line);
}
