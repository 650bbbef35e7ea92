import type { Toolhead } from './toolhead';

/**
 * E bookkeeping, by the definitions in shared/gcode/SOURCES.md: `extrudedMm` is E pushed past the
 * high-water mark since the last G92 E, `consumedMm` the furthest the physical filament went
 * (G92 only renames coordinates), and extruding moves are counted by E mode.
 */
export class FilamentUsage {
  extrudedMm = 0;
  consumedMm = 0;
  extrudingMoves = 0;
  relativeMoves = 0;
  absoluteMoves = 0;
  /** Physical filament position: the running sum of E deltas. */
  private ePhys = 0;
  private eHigh = 0;

  /**
   * The toolhead's move from `e` to its target `te`; `code` 0 (G0) never
   * counts as extruding. Takes the toolhead rather than numbers: V8 boxes each double argument
   * of a call it does not inline.
   */
  account(head: Toolhead, code: number): void {
    const ne = head.te;
    const de = ne - head.e;
    if (de !== 0) {
      this.ePhys += de;
      if (this.ePhys > this.consumedMm) this.consumedMm = this.ePhys;
      if (ne > this.eHigh) {
        this.extrudedMm += ne - this.eHigh;
        this.eHigh = ne;
      }
      if (code !== 0 && de > 0) {
        this.extrudingMoves++;
        if (head.eRelative()) this.relativeMoves++;
        else this.absoluteMoves++;
      }
    }
  }

  /** G92 E: the E coordinate is now `e`; the high-water mark follows it. */
  renamed(e: number): void {
    this.eHigh = e;
  }
}
