import { planMove, type MotionPlanner } from '../planner/motion-planner';
import type { Arc } from './arc';

/** PrusaSlicer and Prusa firmware cut arcs into 1 mm chords (MM_PER_ARC_SEGMENT). */
const MM_PER_ARC_SEGMENT = 1;

/** How many chords an arc (a helix with Z) of length `length` is cut into. */
export function chordCount(length: number): number {
  return Math.max(1, Math.floor(length / MM_PER_ARC_SEGMENT));
}

/**
 * Plans an arc from (x0, y0) to (x1, y1) as the firmware runs it: `segments` straight chords,
 * the last one ending exactly at the target, Z and E shared out evenly.
 */
export function planArcChords(
  planner: MotionPlanner,
  arc: Arc,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  dz: number,
  de: number,
  segments: number,
  feed: number,
  line: number,
): void {
  let px = x0;
  let py = y0;
  for (let s = 1; s <= segments; s++) {
    let sx: number;
    let sy: number;
    if (s === segments) {
      sx = x1;
      sy = y1;
    } else {
      const a = arc.a0 + (arc.sweep * s) / segments;
      sx = arc.cx + arc.r * Math.cos(a);
      sy = arc.cy + arc.r * Math.sin(a);
    }
    planMove(planner, sx - px, sy - py, dz / segments, de / segments, feed, line);
    px = sx;
    py = sy;
  }
}
