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
  queueMove(line: number): void;
  addMove(dx: number, dy: number, dz: number, de: number, feedrate: number, line: number): void;
  dwell(seconds: number, line: number): void;
  flush(): void;
  limitsChanged(): void;
  /** A layer of tracker 0 (markers) or 1 (Z) starts at `line` (the time attribution needs it in order). */
  layerStarted(tracker: number, line: number): void;
}
