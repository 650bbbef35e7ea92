import type { TimeSink } from '../planner/planner';
import { LayerTracker } from './layer-tracker';

/** Which layer list a layer start belongs to (in the planner ring and the worker's result). */
export const MARKER_LAYERS = 0;
export const Z_LAYERS = 1;

/**
 * The two layer lists, by slicer markers and by extrusion Z, as the planner's time sink: each
 * move's planned time goes to the layer its line falls in, in both. The planner thread keeps its
 * own copy, fed the same layer starts, and hands back only the times.
 */
export class LayerTimes implements TimeSink {
  readonly markers = new LayerTracker();
  readonly byZ = new LayerTracker();

  /** MARKER_LAYERS or Z_LAYERS. */
  list(which: number): LayerTracker {
    return which === MARKER_LAYERS ? this.markers : this.byZ;
  }

  moveTime(line: number, seconds: number): void {
    this.markers.addTime(line, seconds);
    this.byZ.addTime(line, seconds);
  }
}
