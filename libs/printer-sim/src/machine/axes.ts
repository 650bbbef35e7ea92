import type { Planner, Position } from './planner';

export type Axis = 'x' | 'y' | 'z';
const AXES: readonly Axis[] = ['x', 'y', 'z'];

/**
 * What the firmware believes about its axes versus where the head really is. The planner holds
 * the firmware's logical position; a reset loses it (Marlin boots at 0, nothing homed) while the
 * steppers stay where they were, G92 renames the position without moving, and G28 finds the
 * switches again. `physical()` = logical + offset, so a test can see whether a host restored
 * the true height after a reset (a missing `G92 Z` leaves the offset in every later move).
 */
export class MachineAxes {
  homed: Record<Axis, boolean> = { x: false, y: false, z: false };
  /** Physical minus logical position, per axis (0 while the firmware knows where it is). */
  offset: Record<Axis, number> = { x: 0, y: 0, z: 0 };

  physical(planner: Planner): Record<Axis, number> {
    const p = planner.position;
    return { x: p.x + this.offset.x, y: p.y + this.offset.y, z: p.z + this.offset.z };
  }

  /** Board reset: the head stays, the firmware's idea of it starts again from 0, unhomed. */
  reset(planner: Planner): void {
    this.offset = this.physical(planner);
    this.homed = { x: false, y: false, z: false };
    planner.clear();
    planner.setPosition({ x: 0, y: 0, z: 0, e: 0 });
  }

  /** G92: the logical position changes, the head does not. */
  setLogical(planner: Planner, to: Position): void {
    const from = planner.position;
    for (const a of AXES) this.offset[a] += from[a] - to[a];
    planner.setPosition(to);
  }

  /** G28 found the switch of `axis`: logical 0 is physical 0 again. */
  homedAxis(axis: Axis): void {
    this.homed[axis] = true;
    this.offset[axis] = 0;
  }
}
