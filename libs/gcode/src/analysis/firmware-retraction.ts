import type { ParsedLine } from '../gcode-line';
import { planMove, type MotionPlanner } from '../planner/motion-planner';
import { IDX_F, IDX_S, IDX_Z, wordValue } from './words';

/**
 * Firmware retraction: bare G10 retracts and G11 recovers, with the length, feed rates and Z hop
 * set by M207/M208 (Marlin's defaults until then). The moves take planner time; they do not
 * change the E coordinate or the filament counts.
 */
export class FirmwareRetraction {
  retractions = 0;
  private retracted = false;
  private length = 3;
  private retractFeed = 45;
  private recoverFeed = 8;
  private zHop = 0;

  /** M207 (retract settings) or M208 (recover feed rate). */
  configure(p: ParsedLine, code: number): void {
    const f = wordValue(p, IDX_F);
    if (code === 208) {
      if (f !== undefined && f > 0) this.recoverFeed = f / 60;
      return;
    }
    const s = wordValue(p, IDX_S);
    if (s !== undefined) this.length = s;
    if (f !== undefined && f > 0) this.retractFeed = f / 60;
    const z = wordValue(p, IDX_Z);
    if (z !== undefined) this.zHop = z;
  }

  /** G10 (`retract` true) or G11; a repeated one does nothing. */
  toggle(retract: boolean, planner: MotionPlanner, line: number): void {
    if (retract === this.retracted) return;
    this.retracted = retract;
    if (retract) this.retractions++;
    const len = this.length;
    const feed = retract ? this.retractFeed : this.recoverFeed;
    if (len > 0 && feed > 0) planMove(planner, 0, 0, 0, retract ? -len : len, feed, line);
    const hop = this.zHop;
    if (hop > 0) planMove(planner, 0, 0, retract ? hop : -hop, 0, planner.limits.maxFeedrate[2] || 5, line);
  }
}
