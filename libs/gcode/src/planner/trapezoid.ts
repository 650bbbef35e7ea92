/** Kinematics helpers shared by the planner (same formulas as Marlin's planner.cpp). */

/** Distance to go from speed v0 to v1 at acceleration a (a < 0 decelerates). */
export function accelerationDistance(v0: number, v1: number, a: number): number {
  return a === 0 ? 0 : (v1 * v1 - v0 * v0) / (2 * a);
}

/** Distance after which to stop accelerating so that the move ends at v1 (no cruise phase). */
export function intersectionDistance(v0: number, v1: number, a: number, d: number): number {
  return a === 0 ? 0 : (2 * a * d - v0 * v0 + v1 * v1) / (4 * a);
}

/** Highest speed at the start of a distance d from which speed `target` can still be reached at deceleration -a. */
export function maxAllowableSpeed(a: number, target: number, d: number): number {
  return Math.sqrt(Math.max(0, target * target - 2 * a * d));
}

/**
 * Time of one trapezoidal (or triangular) speed profile: accelerate from `entry` to at most
 * `cruise`, hold, decelerate to `exit`.
 */
export function trapezoidTime(d: number, entry: number, cruise: number, exit: number, a: number): number {
  if (d <= 0) return 0;
  if (!(a > 0)) return d / cruise;
  let accelDist = Math.max(0, accelerationDistance(entry, cruise, a));
  const decelDist = Math.max(0, accelerationDistance(cruise, exit, -a));
  const cruiseDist = d - accelDist - decelDist;
  if (cruiseDist >= 0) return (cruise - entry) / a + cruiseDist / cruise + Math.max(0, cruise - exit) / a;
  accelDist = Math.min(d, Math.max(0, intersectionDistance(entry, exit, a, d)));
  const peak = Math.sqrt(entry * entry + 2 * a * accelDist);
  return (peak - entry) / a + Math.max(0, peak - exit) / a;
}
