import type { LineCounts, LineSink } from '../line-splitter';
import { ParsedLine, parseLine } from '../gcode-line';
import { parseMoveLine } from '../move-line';
import { Planner, type TimeSink } from '../planner/planner';
import type { MotionPlanner } from '../planner/motion-planner';
import type { RemotePlanner } from '../planner/remote-planner';
import type { MachineLimits } from '../planner/machine-limits';
import { arcExtremes, resolveArc } from './arc';
import { LayerTracker } from './layer-tracker';
import { LayerMarker, layerMarkerAt } from './comment-markers';

const A_E = 4;
const A_F = 5;
const A_I = 8;
const A_J = 9;
const A_P = 15;
const A_R = 17;
const A_S = 18;
const A_T = 19;
const A_X = 23;
const A_Y = 24;
const A_Z = 25;
const BIT_E = 1 << A_E;
const BIT_F = 1 << A_F;
const BIT_I = 1 << A_I;
const BIT_J = 1 << A_J;
const BIT_P = 1 << 15;
const BIT_R = 1 << A_R;
const BIT_S = 1 << A_S;
const BIT_X = 1 << A_X;
const BIT_Y = 1 << A_Y;
const BIT_Z = 1 << A_Z;
const BIT_J_JD = BIT_J;
const LF = 10;
const CR = 13;
const SEMI = 59;

/** PrusaSlicer and Prusa firmware cut arcs into 1 mm chords (MM_PER_ARC_SEGMENT). */
const MM_PER_ARC_SEGMENT = 1;

/** What the move simulation found (the raw counters; `analyze` shapes them into a result). */
export interface SimulationTotals {
  motionCommands: number;
  extrudingMoves: number;
  extrudedMm: number;
  consumedMm: number;
  bbox: { minX: number; minY: number; minZ: number; maxX: number; maxY: number; maxZ: number } | null;
  travelBbox: { minX: number; minY: number; maxX: number; maxY: number } | null;
  layersByZ: number;
  toolChanges: number;
  toolsUsed: number[];
  estimateS: number;
  naiveS: number;
  relativeMoves: number;
  absoluteMoves: number;
  arcs: number;
  firmwareRetractions: number;
  maxFeedrateMmS: number;
}

/**
 * Simulates what a Marlin-like firmware does with each command: positions, E (absolute / relative,
 * G92, firmware retraction), arcs, tool changes, and the planner's time. Pure: it only sees lines.
 */
export class Simulator implements LineSink, TimeSink {
  private readonly p = new ParsedLine();
  readonly planner: MotionPlanner;
  private readonly remote: RemotePlanner | null;
  // position (mm, logical coordinates)
  private x = 0;
  private y = 0;
  private z = 0;
  private e = 0;
  /** Physical filament position: the running sum of E deltas (G92 only renames coordinates). */
  private ePhys = 0;
  private eHigh = 0;
  private feed = 0; // mm/s
  private speedFactor = 1;
  private unit = 1;
  private relXYZ = false;
  /** M82/M83 override G90/G91 for E: 0 = follow G90/G91, 1 = absolute, 2 = relative. */
  private eMode = 0;
  private tool = -1;
  private retracted = false;
  private fwRetractLength = 3;
  private fwRetractFeed = 45;
  private fwRecoverFeed = 8;
  private fwRetractZ = 0;
  private lastZMoveLine = 0;
  private currentLayerZ = NaN;

  motionCommands = 0;
  extrudingMoves = 0;
  extrudedMm = 0;
  consumedMm = 0;
  relativeMoves = 0;
  absoluteMoves = 0;
  arcs = 0;
  toolChanges = 0;
  firmwareRetractions = 0;
  naiveS = 0;
  maxFeed = 0;
  private readonly tools = new Set<number>();
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
  private readonly zKeys = new Set<number>();
  readonly markerLayers = new LayerTracker();
  readonly zLayers = new LayerTracker();
  markerKind: LayerMarker = LayerMarker.None;
  /** Called for every comment-only line with the range from its `;`, to collect metadata; optional. */
  onComment: ((buf: Buffer, start: number, end: number) => void) | null = null;

  /** With `remote`, planning runs on its thread (it must have been created with `limits`). */
  constructor(limits: MachineLimits, remote: RemotePlanner | null = null) {
    this.remote = remote;
    this.planner = remote ?? new Planner(limits, this);
  }

  moveTime(line: number, seconds: number): void {
    this.markerLayers.addTime(line, seconds);
    this.zLayers.addTime(line, seconds);
  }

  line(buf: Buffer, start: number, end: number, lineNo: number): void {
    const p = this.p;
    if (!parseLine(buf, start, end, p)) {
      if (p.commentStart >= 0) this.comment(buf, p.commentStart, p.commentEnd, lineNo);
      if (this.onComment !== null && p.commentStart > start) this.onComment(buf, p.commentStart - 1, end);
      return;
    }
    const code = p.code;
    if (p.letter === 71) {
      if (code <= 3 && code >= 0) {
        this.motionCommands++;
        if (code <= 1) this.linear(p, code, lineNo);
        else this.arc(p, code === 2, lineNo);
        return;
      }
      this.gcode(p, code, lineNo);
    } else if (p.letter === 77) this.mcode(p, code);
    else if (p.letter === 84) this.toolChange(code);
  }

  /**
   * Whole lines of a chunk (see `LineSink.lines`). Plain G0/G1 lines take `parseMoveLine`, lines
   * starting with `;` go straight to the comment handling, and everything else goes through
   * `line`: the same results as `line` called per line, without a native `indexOf` call per line.
   */
  lines(buf: Buffer, start: number, end: number, firstLineNo: number, maxLineBytes: number, counts: LineCounts): number {
    const p = this.p;
    let lineNo = firstLineNo;
    let pos = start;
    while (pos < end) {
      const nl = parseMoveLine(buf, pos, maxLineBytes, p);
      if (nl >= 0) {
        if (buf[nl - 1] === CR && nl > pos) counts.crlfLines++;
        this.motionCommands++;
        this.linear(p, p.code, lineNo);
        pos = nl + 1;
        lineNo++;
        continue;
      }
      let lf = pos;
      while (buf[lf] !== LF) lf++;
      let e = lf;
      if (e > pos && buf[e - 1] === CR) {
        e--;
        counts.crlfLines++;
      }
      if (e - pos > maxLineBytes) {
        counts.truncatedLines++;
        e = pos + maxLineBytes;
      }
      if (buf[pos] === SEMI) {
        // a comment line: what `line` does with it, without parsing
        this.comment(buf, pos + 1, e, lineNo);
        if (this.onComment !== null) this.onComment(buf, pos, e);
      } else this.line(buf, pos, e, lineNo);
      pos = lf + 1;
      lineNo++;
    }
    return lineNo - firstLineNo;
  }

  private comment(buf: Buffer, start: number, end: number, lineNo: number): void {
    const kind = layerMarkerAt(buf, start, end);
    if (kind !== LayerMarker.None) {
      if (this.markerKind === LayerMarker.None) this.markerKind = kind;
      if (kind === this.markerKind) {
        this.markerLayers.start(lineNo);
        this.planner.layerStarted(0, lineNo);
      }
    }
  }

  private eRelative(): boolean {
    return this.eMode === 0 ? this.relXYZ : this.eMode === 2;
  }

  private target(p: ParsedLine, mask: number, bit: number, idx: number, cur: number, rel: boolean): number {
    if ((mask & bit) === 0) return cur;
    const v = p.values[idx]!;
    if (v !== v) return cur; // letter without a number
    return rel ? cur + v * this.unit : v * this.unit;
  }

  private linear(p: ParsedLine, code: number, lineNo: number): void {
    const mask = p.mask;
    const v = p.values;
    if ((mask & BIT_F) !== 0 && v[A_F]! > 0) this.feed = (v[A_F]! * this.unit) / 60;
    const rel = this.relXYZ;
    const nx = this.target(p, mask, BIT_X, A_X, this.x, rel);
    const ny = this.target(p, mask, BIT_Y, A_Y, this.y, rel);
    const nz = this.target(p, mask, BIT_Z, A_Z, this.z, rel);
    const eRel = this.eRelative();
    const ne = this.target(p, mask, BIT_E, A_E, this.e, eRel);
    const dx = nx - this.x;
    const dy = ny - this.y;
    const dz = nz - this.z;
    const de = ne - this.e;
    this.account(code, de, ne, eRel);
    if (dz !== 0) this.lastZMoveLine = lineNo;
    const extruding = code !== 0 && de > 0 && (dx !== 0 || dy !== 0);
    if (extruding) {
      this.bboxPoint(this.x, this.y, this.z);
      this.bboxPoint(nx, ny, nz);
      this.extrusionZ(nz, lineNo);
    } else if (dx !== 0 || dy !== 0) {
      this.travelPoint(nx, ny);
    }
    this.x = nx;
    this.y = ny;
    this.z = nz;
    this.e = ne;
    const feed = this.feed * this.speedFactor;
    if (feed > this.maxFeed) this.maxFeed = feed;
    if (feed > 0) {
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      this.naiveS += (d > 0 ? d : Math.abs(de)) / feed;
      const input = this.planner.input;
      input[0] = dx;
      input[1] = dy;
      input[2] = dz;
      input[3] = de;
      input[4] = feed;
      input[5] = d;
      this.planner.queueMove(lineNo);
    }
  }

  /** E bookkeeping shared by lines and arcs (see expected.json's definitions in the docs). */
  private account(code: number, de: number, ne: number, eRel: boolean): void {
    if (de !== 0) {
      this.ePhys += de;
      if (this.ePhys > this.consumedMm) this.consumedMm = this.ePhys;
      if (ne > this.eHigh) {
        this.extrudedMm += ne - this.eHigh;
        this.eHigh = ne;
      }
      if (code !== 0 && de > 0) {
        this.extrudingMoves++;
        if (eRel) this.relativeMoves++;
        else this.absoluteMoves++;
      }
    }
  }

  private extrusionZ(z: number, lineNo: number): void {
    const key = Math.round(z * 1000);
    if (key !== this.currentLayerZ) {
      // every key is added when it becomes current, so the set still holds every Z seen
      this.zKeys.add(key);
      this.currentLayerZ = key;
      const prev = this.zLayers.count > 0 ? this.zLayers.lines[this.zLayers.count - 1]! : 0;
      const start = this.lastZMoveLine > prev ? this.lastZMoveLine : lineNo;
      this.zLayers.start(start);
      this.planner.layerStarted(1, start);
      this.zLayers.extrudedAt(z);
    }
    this.markerLayers.extrudedAt(z);
  }

  private bboxPoint(x: number, y: number, z: number): void {
    if (x < this.minX) this.minX = x;
    if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
    if (z < this.minZ) this.minZ = z;
    if (z > this.maxZ) this.maxZ = z;
  }

  private travelPoint(x: number, y: number): void {
    if (x < this.tminX) this.tminX = x;
    if (x > this.tmaxX) this.tmaxX = x;
    if (y < this.tminY) this.tminY = y;
    if (y > this.tmaxY) this.tmaxY = y;
  }

  private arc(p: ParsedLine, clockwise: boolean, lineNo: number): void {
    const mask = p.mask;
    const v = p.values;
    if ((mask & BIT_F) !== 0 && v[A_F]! > 0) this.feed = (v[A_F]! * this.unit) / 60;
    const rel = this.relXYZ;
    const nx = this.target(p, mask, BIT_X, A_X, this.x, rel);
    const ny = this.target(p, mask, BIT_Y, A_Y, this.y, rel);
    const nz = this.target(p, mask, BIT_Z, A_Z, this.z, rel);
    const eRel = this.eRelative();
    const ne = this.target(p, mask, BIT_E, A_E, this.e, eRel);
    const u = this.unit;
    const arc = resolveArc(
      this.x,
      this.y,
      nx,
      ny,
      clockwise,
      (mask & BIT_I) !== 0 ? v[A_I]! * u : undefined,
      (mask & BIT_J) !== 0 ? v[A_J]! * u : undefined,
      (mask & BIT_R) !== 0 ? v[A_R]! * u : undefined,
    );
    if (arc === null) {
      // a degenerate arc is executed as a straight line by Marlin
      this.motionCommands--;
      this.linear(p, 1, lineNo);
      this.motionCommands++;
      return;
    }
    this.arcs++;
    const de = ne - this.e;
    const dz = nz - this.z;
    this.account(2, de, ne, eRel);
    if (dz !== 0) this.lastZMoveLine = lineNo;
    const extruding = de > 0;
    if (extruding) {
      this.bboxPoint(this.x, this.y, this.z);
      this.bboxPoint(nx, ny, nz);
      arcExtremes(arc, (ax, ay) => {
        this.bboxPoint(ax, ay, this.z);
        this.bboxPoint(ax, ay, nz);
      });
      this.extrusionZ(nz, lineNo);
    }
    const len = Math.abs(arc.sweep) * arc.r;
    const feed = this.feed * this.speedFactor;
    const segments = Math.max(1, Math.floor(Math.hypot(len, dz) / MM_PER_ARC_SEGMENT));
    if (feed > 0) {
      this.naiveS += Math.hypot(len, dz) / feed;
      let px = this.x;
      let py = this.y;
      for (let s = 1; s <= segments; s++) {
        let sx: number;
        let sy: number;
        if (s === segments) {
          sx = nx;
          sy = ny;
        } else {
          const a = arc.a0 + (arc.sweep * s) / segments;
          sx = arc.cx + arc.r * Math.cos(a);
          sy = arc.cy + arc.r * Math.sin(a);
        }
        this.planner.addMove(sx - px, sy - py, dz / segments, de / segments, feed, lineNo);
        px = sx;
        py = sy;
      }
    }
    this.x = nx;
    this.y = ny;
    this.z = nz;
    this.e = ne;
  }

  private gcode(p: ParsedLine, code: number, lineNo: number): void {
    const mask = p.mask;
    const v = p.values;
    switch (code) {
      case 4: {
        // G4 P<ms> or S<s>
        let s = 0;
        if ((mask & BIT_S) !== 0 && v[A_S]! > 0) s = v[A_S]!;
        else if ((mask & BIT_P) !== 0 && v[A_P]! > 0) s = v[A_P]! / 1000;
        this.planner.dwell(s, lineNo);
        return;
      }
      case 10:
        // Bare G10 is a firmware retraction; RepRapFirmware's G10 P/S/R (tool temperatures) and
        // G10 L (offsets) are not moves.
        if (mask === 0) this.fwRetract(true, lineNo);
        return;
      case 11:
        this.fwRetract(false, lineNo);
        return;
      case 20:
        this.unit = 25.4;
        return;
      case 21:
        this.unit = 1;
        return;
      case 28: {
        // Homing, simulated like PrusaSlicer does: a move to 0 on the named axes (all if none).
        const all = (mask & (BIT_X | BIT_Y | BIT_Z)) === 0;
        const nx = all || (mask & BIT_X) !== 0 ? 0 : this.x;
        const ny = all || (mask & BIT_Y) !== 0 ? 0 : this.y;
        const nz = all || (mask & BIT_Z) !== 0 ? 0 : this.z;
        const feed = this.feed * this.speedFactor;
        if (feed > 0) this.planner.addMove(nx - this.x, ny - this.y, nz - this.z, 0, feed, lineNo);
        this.x = nx;
        this.y = ny;
        this.z = nz;
        return;
      }
      case 90:
        this.relXYZ = false;
        return;
      case 91:
        this.relXYZ = true;
        return;
      case 92: {
        if (p.sub >= 0) return;
        const none = (mask & (BIT_X | BIT_Y | BIT_Z | BIT_E)) === 0;
        const u = this.unit;
        if (none || (mask & BIT_X) !== 0) this.x = none ? 0 : (v[A_X]! || 0) * u;
        if (none || (mask & BIT_Y) !== 0) this.y = none ? 0 : (v[A_Y]! || 0) * u;
        if (none || (mask & BIT_Z) !== 0) this.z = none ? 0 : (v[A_Z]! || 0) * u;
        if (none || (mask & BIT_E) !== 0) {
          this.e = none ? 0 : (v[A_E]! || 0) * u;
          this.eHigh = this.e;
        }
        return;
      }
      default:
        return;
    }
  }

  private fwRetract(retract: boolean, lineNo: number): void {
    if (retract === this.retracted) return;
    this.retracted = retract;
    if (retract) this.firmwareRetractions++;
    const len = this.fwRetractLength;
    const feed = retract ? this.fwRetractFeed : this.fwRecoverFeed;
    if (len > 0 && feed > 0) this.planner.addMove(0, 0, 0, retract ? -len : len, feed, lineNo);
    if (this.fwRetractZ > 0) this.planner.addMove(0, 0, retract ? this.fwRetractZ : -this.fwRetractZ, 0, this.planner.limits.maxFeedrate[2] || 5, lineNo);
  }

  private mcode(p: ParsedLine, code: number): void {
    const mask = p.mask;
    const v = p.values;
    const L = this.planner.limits;
    const val = (idx: number): number | undefined => {
      const x = v[idx]!;
      return (mask & (1 << idx)) !== 0 && x === x ? x : undefined;
    };
    switch (code) {
      case 82:
        this.eMode = 1;
        return;
      case 83:
        this.eMode = 2;
        return;
      case 201: {
        const axes = [A_X, A_Y, A_Z, A_E];
        for (let a = 0; a < 4; a++) {
          const x = val(axes[a]!);
          if (x !== undefined && x > 0) L.maxAcceleration[a] = x;
        }
        this.planner.limitsChanged();
        return;
      }
      case 203: {
        const axes = [A_X, A_Y, A_Z, A_E];
        for (let a = 0; a < 4; a++) {
          const x = val(axes[a]!);
          if (x !== undefined && x > 0) L.maxFeedrate[a] = x;
        }
        this.planner.limitsChanged();
        return;
      }
      case 204: {
        const cap = (x: number, max: number): number => (max > 0 ? Math.min(x, max) : x);
        const s = val(A_S);
        if (s !== undefined) {
          // legacy format (Marlin 1.x, Prusa MK3): S sets printing and travel acceleration
          L.printAcceleration = cap(s, L.maxPrintAcceleration);
          L.travelAcceleration = cap(s, L.maxTravelAcceleration || L.maxPrintAcceleration);
          const t = val(A_T);
          if (t !== undefined) L.retractAcceleration = cap(t, L.maxRetractAcceleration);
          this.planner.limitsChanged();
          return;
        }
        const pp = val(A_P);
        if (pp !== undefined) L.printAcceleration = cap(pp, L.maxPrintAcceleration);
        const r = val(A_R);
        if (r !== undefined) L.retractAcceleration = cap(r, L.maxRetractAcceleration);
        const t = val(A_T);
        if (t !== undefined) L.travelAcceleration = cap(t, L.maxTravelAcceleration);
        this.planner.limitsChanged();
        return;
      }
      case 205: {
        const axes = [A_X, A_Y, A_Z, A_E];
        let jerkGiven = false;
        for (let a = 0; a < 4; a++) {
          const x = val(axes[a]!);
          if (x !== undefined) {
            L.jerk[a] = x;
            if (a < 3) jerkGiven = true;
          }
        }
        const j = val(A_J);
        if ((mask & BIT_J_JD) !== 0 && j !== undefined && j > 0) {
          L.junctionDeviation = j;
          L.junction = 'deviation';
        } else if (jerkGiven) L.junction = 'jerk';
        const s = val(A_S);
        if (s !== undefined) L.minExtrudingFeedrate = s;
        const t = val(A_T);
        if (t !== undefined) L.minTravelFeedrate = t;
        this.planner.limitsChanged();
        return;
      }
      case 207: {
        const s = val(A_S);
        if (s !== undefined) this.fwRetractLength = s;
        const f = val(A_F);
        if (f !== undefined && f > 0) this.fwRetractFeed = f / 60;
        const z = val(A_Z);
        if (z !== undefined) this.fwRetractZ = z;
        return;
      }
      case 208: {
        const f = val(A_F);
        if (f !== undefined && f > 0) this.fwRecoverFeed = f / 60;
        return;
      }
      case 220: {
        const s = val(A_S);
        if (s !== undefined && s > 0) this.speedFactor = s / 100;
        return;
      }
      case 400:
        return;
      default:
        return;
    }
  }

  private toolChange(code: number): void {
    if (code < 0) return;
    this.tools.add(code);
    if (this.tool >= 0 && code !== this.tool) this.toolChanges++;
    this.tool = code;
  }

  /** Drains the planner and returns the totals. */
  finish(): SimulationTotals {
    if (this.remote !== null) {
      const r = this.remote.finish();
      this.markerLayers.adoptTimes(r.layerTimes[0], r.preambleTimes[0]);
      this.zLayers.adoptTimes(r.layerTimes[1], r.preambleTimes[1]);
    } else this.planner.flush();
    const hasBox = this.minX !== Infinity;
    const hasTravel = this.tminX !== Infinity;
    return {
      motionCommands: this.motionCommands,
      extrudingMoves: this.extrudingMoves,
      extrudedMm: this.extrudedMm,
      consumedMm: this.consumedMm,
      bbox: hasBox ? { minX: this.minX, minY: this.minY, minZ: this.minZ, maxX: this.maxX, maxY: this.maxY, maxZ: this.maxZ } : null,
      travelBbox: hasTravel ? { minX: this.tminX, minY: this.tminY, maxX: this.tmaxX, maxY: this.tmaxY } : null,
      layersByZ: this.zKeys.size,
      toolChanges: this.toolChanges,
      toolsUsed: [...this.tools].sort((a, b) => a - b),
      estimateS: this.planner.totalTime,
      naiveS: this.naiveS,
      relativeMoves: this.relativeMoves,
      absoluteMoves: this.absoluteMoves,
      arcs: this.arcs,
      firmwareRetractions: this.firmwareRetractions,
      maxFeedrateMmS: this.maxFeed,
    };
  }
}
