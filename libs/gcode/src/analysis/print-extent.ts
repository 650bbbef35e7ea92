import type { Toolhead } from './toolhead';

/**
 * Bounding boxes of the extruding moves (XYZ, arc extremes included) and of travel moves (XY).
 * The per-move calls take the toolhead (its position and the target of the move being run) rather
 * than numbers: V8 boxes each double argument of a call it does not inline.
 */
export class PrintExtent {
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

  bbox(): { minX: number; minY: number; minZ: number; maxX: number; maxY: number; maxZ: number } | null {
    if (this.minX === Infinity) return null;
    return { minX: this.minX, minY: this.minY, minZ: this.minZ, maxX: this.maxX, maxY: this.maxY, maxZ: this.maxZ };
  }

  travelBbox(): { minX: number; minY: number; maxX: number; maxY: number } | null {
    if (this.tminX === Infinity) return null;
    return { minX: this.tminX, minY: this.tminY, maxX: this.tmaxX, maxY: this.tmaxY };
  }
}
