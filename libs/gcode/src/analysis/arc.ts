/** Geometry of a G2/G3 arc in the XY plane. */
export interface Arc {
  cx: number;
  cy: number;
  r: number;
  /** Start angle (rad). */
  a0: number;
  /** Signed sweep (rad): negative clockwise (G2), positive counter-clockwise (G3). */
  sweep: number;
}

/**
 * Resolves an arc from its start, end and either the centre offset (I, J) or the radius R
 * (negative R: the longer arc, as in Marlin's G2/G3). Returns null for a degenerate arc.
 * Start equal to end with I/J is a full circle. The result is written to `out` when given (no
 * object per arc).
 */
export function resolveArc(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  clockwise: boolean,
  i: number | undefined,
  j: number | undefined,
  r: number | undefined,
  out: Arc = { cx: 0, cy: 0, r: 0, a0: 0, sweep: 0 },
): Arc | null {
  let cx: number;
  let cy: number;
  if (r !== undefined && i === undefined && j === undefined) {
    const dx = x1 - x0;
    const dy = y1 - y0;
    const d = Math.hypot(dx, dy);
    if (d < 1e-9 || Math.abs(r) < d / 2 - 1e-6) return null;
    const h = Math.sqrt(Math.max(0, r * r - (d * d) / 4));
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    // centre to the right of the chord for CW with positive R (shorter arc), left for CCW
    let sign = clockwise ? 1 : -1;
    if (r < 0) sign = -sign;
    cx = mx + (sign * h * dy) / d;
    cy = my - (sign * h * dx) / d;
  } else {
    cx = x0 + (i ?? 0);
    cy = y0 + (j ?? 0);
  }
  const rad = Math.hypot(x0 - cx, y0 - cy);
  if (rad < 1e-9) return null;
  const a0 = Math.atan2(y0 - cy, x0 - cx);
  const a1 = Math.atan2(y1 - cy, x1 - cx);
  let sweep = a1 - a0;
  const full = Math.abs(x1 - x0) < 1e-9 && Math.abs(y1 - y0) < 1e-9;
  if (clockwise) {
    if (sweep >= -1e-12) sweep -= 2 * Math.PI;
    if (full) sweep = -2 * Math.PI;
  } else {
    if (sweep <= 1e-12) sweep += 2 * Math.PI;
    if (full) sweep = 2 * Math.PI;
  }
  out.cx = cx;
  out.cy = cy;
  out.r = rad;
  out.a0 = a0;
  out.sweep = sweep;
  return out;
}

/** Calls `visit` with each axis-aligned extreme point (0°, 90°, 180°, 270°) the arc passes through. */
export function arcExtremes(arc: Arc, visit: (x: number, y: number) => void): void {
  const points = new Float64Array(2 * MAX_EXTREMES);
  const n = arcExtremePoints(arc, points);
  for (let k = 0; k < n; k++) visit(points[2 * k]!, points[2 * k + 1]!);
}

/** At most five (a full circle passes its starting extreme twice); one more for rounding. */
export const MAX_EXTREMES = 6;

/** `arcExtremes` into `out` (x, y pairs, in the same order); returns how many. */
export function arcExtremePoints(arc: Arc, out: Float64Array): number {
  const { cx, cy, r, a0, sweep } = arc;
  const lo = Math.min(a0, a0 + sweep);
  const hi = Math.max(a0, a0 + sweep);
  const half = Math.PI / 2;
  let n = 0;
  for (let k = Math.ceil(lo / half); k * half <= hi; k++) {
    const q = ((k % 4) + 4) % 4;
    out[n++] = cx + (q === 0 ? r : q === 2 ? -r : 0);
    out[n++] = cy + (q === 1 ? r : q === 3 ? -r : 0);
  }
  return n / 2;
}
