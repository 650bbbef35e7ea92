import type { ParsedLine } from '../gcode-line';
import { BIT_E, BIT_X, BIT_Y, BIT_Z, IDX_E, IDX_X, IDX_Y, IDX_Z } from './words';

/**
 * Where the nozzle is (logical coordinates, mm), where the move being run goes, and the modes that
 * decide how a move's words are read (`axisTarget`): G90/G91, M82/M83, G20/G21, the last F word
 * and M220's speed factor. G92 renames the coordinates.
 */
export class Toolhead {
  x = 0;
  y = 0;
  z = 0;
  e = 0;
  /** The target of the move being run (set by `Motion`). */
  tx = 0;
  ty = 0;
  tz = 0;
  te = 0;
  /** Feed rate of the last F word (mm/s). */
  feed = 0;
  /** M220 S / 100. */
  speedFactor = 1;
  /** mm per unit: 1 (G21) or 25.4 (G20). */
  unit = 1;
  /** G91. */
  relXYZ = false;
  /** M82/M83 override G90/G91 for E: 0 = follow G90/G91, 1 = absolute, 2 = relative. */
  eMode = 0;

  eRelative(): boolean {
    return this.eMode === 0 ? this.relXYZ : this.eMode === 2;
  }

  /** The feed rate moves run at (mm/s). */
  speed(): number {
    return this.feed * this.speedFactor;
  }

  /** The move to the target is done: its target is the position. */
  arrive(): void {
    this.x = this.tx;
    this.y = this.ty;
    this.z = this.tz;
    this.e = this.te;
  }

  /** G92: renames the named coordinates (all to 0 without words). Returns true when E was renamed. */
  setPosition(p: ParsedLine): boolean {
    const mask = p.mask;
    const v = p.values;
    const none = (mask & (BIT_X | BIT_Y | BIT_Z | BIT_E)) === 0;
    const u = this.unit;
    if (none || (mask & BIT_X) !== 0) this.x = none ? 0 : (v[IDX_X]! || 0) * u;
    if (none || (mask & BIT_Y) !== 0) this.y = none ? 0 : (v[IDX_Y]! || 0) * u;
    if (none || (mask & BIT_Z) !== 0) this.z = none ? 0 : (v[IDX_Z]! || 0) * u;
    if (!none && (mask & BIT_E) === 0) return false;
    this.e = none ? 0 : (v[IDX_E]! || 0) * u;
    return true;
  }
}

/**
 * Where an axis goes: nowhere without its word (`given` 0) or with a letter without a number
 * (NaN), else to the word's value in `unit`s, absolute or relative.
 */
export function axisTarget(given: number, word: number, cur: number, relative: boolean, unit: number): number {
  if (given === 0 || word !== word) return cur;
  return relative ? cur + word * unit : word * unit;
}
