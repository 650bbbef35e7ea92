import type { MotionPlanner } from '../planner/motion-planner';
import { LayerMarker } from './comment-markers';
import { MARKER_LAYERS, Z_LAYERS, type LayerTimes } from './layer-times';
import type { Toolhead } from './toolhead';

/**
 * Finds where layers start, both ways: at the slicer's layer-marker comments (the first kind
 * seen is used) and wherever extrusion reaches a new Z (the layer then starts at the Z move that
 * got there, if it came after the previous layer's start). The planner is told of every start,
 * so that a planner on another thread attributes times the same way.
 */
export class LayerTimeline {
  markerKind: LayerMarker = LayerMarker.None;
  /** Distinct extrusion Z values (µm keys): `layersByZ`. */
  private readonly zKeys = new Set<number>();
  private currentZKey = NaN;
  private lastZMoveLine = 0;
  /** Z of the last extruding move, and whether a marker layer has started since (it takes the next Z). */
  private lastExtrusionZ = NaN;
  private markerNeedsZ = false;

  constructor(
    readonly times: LayerTimes,
    private readonly planner: MotionPlanner,
  ) {}

  get layersByZ(): number {
    return this.zKeys.size;
  }

  /** A layer marker comment (`commentMarkerAt`) on line `lineNo`. */
  marker(kind: LayerMarker, lineNo: number): void {
    if (this.markerKind === LayerMarker.None) this.markerKind = kind;
    if (kind === this.markerKind) {
      this.times.markers.start(lineNo);
      this.markerNeedsZ = true;
      this.planner.layerStarted(MARKER_LAYERS, lineNo);
    }
  }

  /** A move on line `lineNo` changed Z. */
  zMoved(lineNo: number): void {
    this.lastZMoveLine = lineNo;
  }

  /**
   * An extruding move on line `lineNo` ends at the toolhead's target Z. Most moves stay at the Z
   * of the one before, which is all this checks inline.
   */
  extrusionTo(head: Toolhead, lineNo: number): void {
    if (head.tz !== this.lastExtrusionZ || this.markerNeedsZ) this.newExtrusionZ(head.tz, lineNo);
  }

  private newExtrusionZ(z: number, lineNo: number): void {
    this.lastExtrusionZ = z;
    const key = Math.round(z * 1000);
    const byZ = this.times.byZ;
    if (key !== this.currentZKey) {
      // every key is added when it becomes current, so the set still holds every Z seen
      this.zKeys.add(key);
      this.currentZKey = key;
      const prev = byZ.count > 0 ? byZ.lines[byZ.count - 1]! : 0;
      const start = this.lastZMoveLine > prev ? this.lastZMoveLine : lineNo;
      byZ.start(start);
      this.planner.layerStarted(Z_LAYERS, start);
      byZ.extrudedAt(z);
    }
    this.times.markers.extrudedAt(z);
    this.markerNeedsZ = false;
  }
}
