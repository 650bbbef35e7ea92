import type { Toolhead } from './toolhead';

export interface Box {
  minX: number;
  minY: number;
  minZ: number;
  maxX: number;
  maxY: number;
  maxZ: number;
}

/**
 * Bounding boxes of the extruding moves (XYZ, arc extremes included) and of travel moves (XY).
 * The per-move calls take the toolhead (its position and the target of the move being run) rather
 * than numbers: V8 boxes each double argument of a call it does not inline.
 *
 * The moves also have a class: whether they print an object by the slicer's object markers, and by
 * its feature types (`ObjectMarkers` decides, `classify` says). The per-move code only grows the box
 * of the current run (the extruding moves since the class last changed), as it did when there was
 * one box; a class change, which happens only at marker comments, merges the run into the total
 * and into the box of each class it had. The total is the union of the runs, bit for bit the box
 * of every move.
 */
export class PrintExtent {
  // the current run's box: the only fields the per-move code writes
  private minX = Infinity;
  private minY = Infinity;
  private minZ = Infinity;
  private maxX = -Infinity;
  private maxY = -Infinity;
  private maxZ = -Infinity;
  private tminX = Infinity;
  private tminY = Infinity;
  private tmaxX = -Infinity;
  private tmaxY = -Infinity;
  /** The run's class. */
  private runInObject = false;
  private runObjectFeature = false;
  private readonly all = emptyBox();
  private readonly objects = emptyBox();
  private readonly objectFeatures = emptyBox();

  /** An extruding move, from the toolhead's position to its target. */
  extrudingMove(head: Toolhead): void {
    // both points written out: a call per point that V8 does not inline would box six doubles
    let a = head.x;
    let b = head.tx;
    if (a < this.minX) this.minX = a;
    if (a > this.maxX) this.maxX = a;
    if (b < this.minX) this.minX = b;
    if (b > this.maxX) this.maxX = b;
    a = head.y;
    b = head.ty;
    if (a < this.minY) this.minY = a;
    if (a > this.maxY) this.maxY = a;
    if (b < this.minY) this.minY = b;
    if (b > this.maxY) this.maxY = b;
    a = head.z;
    b = head.tz;
    if (a < this.minZ) this.minZ = a;
    if (a > this.maxZ) this.maxZ = a;
    if (b < this.minZ) this.minZ = b;
    if (b > this.maxZ) this.maxZ = b;
  }

  /** A travel move to the toolhead's target. */
  travelMove(head: Toolhead): void {
    const x = head.tx;
    const y = head.ty;
    if (x < this.tminX) this.tminX = x;
    if (x > this.tmaxX) this.tmaxX = x;
    if (y < this.tminY) this.tminY = y;
    if (y > this.tmaxY) this.tmaxY = y;
  }

  extruded(x: number, y: number, z: number): void {
    if (x < this.minX) this.minX = x;
    if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
    if (z < this.minZ) this.minZ = z;
    if (z > this.maxZ) this.maxZ = z;
  }

  /**
   * From now on the extruding moves print an object (`inObject`, by object markers) and are of an
   * object's feature type (`objectFeature`), or not.
   */
  classify(inObject: boolean, objectFeature: boolean): void {
    if (inObject === this.runInObject && objectFeature === this.runObjectFeature) return;
    this.endRun();
    this.runInObject = inObject;
    this.runObjectFeature = objectFeature;
  }

  /** Merges the current run into the total and the boxes of its class, and starts a new one. */
  private endRun(): void {
    if (this.minX === Infinity) return;
    this.mergeRunInto(this.all);
    if (this.runInObject) this.mergeRunInto(this.objects);
    if (this.runObjectFeature) this.mergeRunInto(this.objectFeatures);
    this.minX = this.minY = this.minZ = Infinity;
    this.maxX = this.maxY = this.maxZ = -Infinity;
  }

  private mergeRunInto(b: Box): void {
    if (this.minX < b.minX) b.minX = this.minX;
    if (this.minY < b.minY) b.minY = this.minY;
    if (this.minZ < b.minZ) b.minZ = this.minZ;
    if (this.maxX > b.maxX) b.maxX = this.maxX;
    if (this.maxY > b.maxY) b.maxY = this.maxY;
    if (this.maxZ > b.maxZ) b.maxZ = this.maxZ;
  }

  /** Every extruding move. */
  bbox(): Box | null {
    this.endRun();
    return boxOrNull(this.all);
  }

  /** The extruding moves inside object markers. */
  objectsBbox(): Box | null {
    this.endRun();
    return boxOrNull(this.objects);
  }

  /** The extruding moves of objects' feature types. */
  objectFeaturesBbox(): Box | null {
    this.endRun();
    return boxOrNull(this.objectFeatures);
  }

  travelBbox(): { minX: number; minY: number; maxX: number; maxY: number } | null {
    if (this.tminX === Infinity) return null;
    return { minX: this.tminX, minY: this.tminY, maxX: this.tmaxX, maxY: this.tmaxY };
  }
}

function emptyBox(): Box {
  return { minX: Infinity, minY: Infinity, minZ: Infinity, maxX: -Infinity, maxY: -Infinity, maxZ: -Infinity };
}

function boxOrNull(b: Box): Box | null {
  if (b.minX === Infinity) return null;
  return { minX: b.minX, minY: b.minY, minZ: b.minZ, maxX: b.maxX, maxY: b.maxY, maxZ: b.maxZ };
}
