import type { ParsedLine } from '../gcode-line';
import { planMove, planMoveOfLength, type MotionPlanner } from '../planner/motion-planner';
import { arcExtremePoints, resolveArc, MAX_EXTREMES, type Arc } from './arc';
import { chordCount, planArcChords } from './arc-chords';
import type { FilamentUsage } from './filament-usage';
import type { LayerTimeline } from './layer-timeline';
import type { PrintExtent } from './print-extent';
import { axisTarget, type Toolhead } from './toolhead';
import { BIT_E, BIT_F, BIT_I, BIT_J, BIT_R, BIT_X, BIT_Y, BIT_Z, IDX_E, IDX_F, IDX_I, IDX_J, IDX_R, IDX_X, IDX_Y, IDX_Z } from './words';

/**
 * Runs the moves (G0–G3, G28): each one moves the toolhead, is accounted for in the
 * filament counts, the extents and the layers, and goes to the planner as straight segments.
 * Also sums the naive time (length ÷ feed rate) that the estimate is compared with.
 */
export class Motion {
  arcs = 0;
  naiveS = 0;
  /** Highest feed rate of a straight move (mm/s, speed factor applied). */
  maxFeed = 0;
  // reused for every arc: no objects per move
  private readonly arcShape: Arc = { cx: 0, cy: 0, r: 0, a0: 0, sweep: 0 };
  private readonly extremes = new Float64Array(2 * MAX_EXTREMES);

  constructor(
    private readonly head: Toolhead,
    private readonly filament: FilamentUsage,
    private readonly extent: PrintExtent,
    private readonly layers: LayerTimeline,
    private readonly planner: MotionPlanner,
  ) {}

  /**
   * G0 to G3: reads the move's target from its words, then runs it as a straight move or an arc.
   * This is the work of most lines, so it is one method, kept whole on purpose: too big for V8 to
   * inline into the line loop, it is compiled on its own with its small helpers inlined (inlined
   * into the loop, they would not all fit V8's inlining budget and each would become a call).
   */
  move(p: ParsedLine, code: number, lineNo: number): void {
    const head = this.head;
    const mask = p.mask;
    const v = p.values;
    const u = head.unit;
    if ((mask & BIT_F) !== 0 && v[IDX_F]! > 0) head.feed = (v[IDX_F]! * u) / 60;
    const rel = head.relXYZ;
    head.tx = axisTarget(mask & BIT_X, v[IDX_X]!, head.x, rel, u);
    head.ty = axisTarget(mask & BIT_Y, v[IDX_Y]!, head.y, rel, u);
    head.tz = axisTarget(mask & BIT_Z, v[IDX_Z]!, head.z, rel, u);
    head.te = axisTarget(mask & BIT_E, v[IDX_E]!, head.e, head.eRelative(), u);
    if (code >= 2 && this.arc(p, code === 2, lineNo)) return;
    // a straight move; a degenerate arc runs as one too (G1), as in Marlin
    const straight = code < 2 ? code : 1;
    const dx = head.tx - head.x;
    const dy = head.ty - head.y;
    const dz = head.tz - head.z;
    const de = head.te - head.e;
    this.filament.account(head, straight);
    if (dz !== 0) this.layers.zMoved(lineNo);
    if (dx !== 0 || dy !== 0) {
      if (straight !== 0 && de > 0) {
        this.extent.extrudingMove(head);
        this.layers.extrusionTo(head, lineNo);
      } else this.extent.travelMove(head);
    }
    head.arrive();
    const feed = head.speed();
    if (feed > this.maxFeed) this.maxFeed = feed;
    if (feed > 0) {
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      this.naiveS += (d > 0 ? d : Math.abs(de)) / feed;
      planMoveOfLength(this.planner, dx, dy, dz, de, feed, d, lineNo);
    }
  }

  /** G2 (`clockwise`) or G3 to the toolhead's target, in the I/J or the R form; false (nothing done) for a degenerate arc. */
  private arc(p: ParsedLine, clockwise: boolean, lineNo: number): boolean {
    const head = this.head;
    const arc = this.shape(p, clockwise);
    if (arc === null) return false;
    this.arcs++;
    const dz = head.tz - head.z;
    const de = head.te - head.e;
    this.filament.account(head, 2);
    if (dz !== 0) this.layers.zMoved(lineNo);
    if (de > 0) {
      const extent = this.extent;
      extent.extrudingMove(head);
      const points = this.extremes;
      const n = arcExtremePoints(arc, points);
      for (let k = 0; k < 2 * n; k += 2) {
        extent.extruded(points[k]!, points[k + 1]!, head.z);
        extent.extruded(points[k]!, points[k + 1]!, head.tz);
      }
      this.layers.extrusionTo(head, lineNo);
    }
    const len = Math.abs(arc.sweep) * arc.r;
    // the helix length (Math.hypot(len, 0) is exactly len, and hypot is a slow builtin)
    const length = dz === 0 ? len : Math.hypot(len, dz);
    const feed = head.speed();
    if (feed > 0) {
      this.naiveS += length / feed;
      planArcChords(this.planner, arc, head.x, head.y, head.tx, head.ty, dz, de, chordCount(length), feed, lineNo);
    }
    head.arrive();
    return true;
  }

  /** The arc from the toolhead's position to its target, from the I/J or R words; null if degenerate. */
  private shape(p: ParsedLine, clockwise: boolean): Arc | null {
    const head = this.head;
    const mask = p.mask;
    const v = p.values;
    const u = head.unit;
    const i = (mask & BIT_I) !== 0 ? v[IDX_I]! * u : undefined;
    const j = (mask & BIT_J) !== 0 ? v[IDX_J]! * u : undefined;
    const r = (mask & BIT_R) !== 0 ? v[IDX_R]! * u : undefined;
    return resolveArc(head.x, head.y, head.tx, head.ty, clockwise, i, j, r, this.arcShape);
  }

  /** G28, simulated as PrusaSlicer does: a move to 0 on the named axes (all if none). */
  home(p: ParsedLine, lineNo: number): void {
    const head = this.head;
    const mask = p.mask;
    const all = (mask & (BIT_X | BIT_Y | BIT_Z)) === 0;
    const nx = all || (mask & BIT_X) !== 0 ? 0 : head.x;
    const ny = all || (mask & BIT_Y) !== 0 ? 0 : head.y;
    const nz = all || (mask & BIT_Z) !== 0 ? 0 : head.z;
    const feed = head.speed();
    if (feed > 0) planMove(this.planner, nx - head.x, ny - head.y, nz - head.z, 0, feed, lineNo);
    head.x = nx;
    head.y = ny;
    head.z = nz;
  }
}
