import type { LineCounts, LineSink } from '../line-splitter';
import { ParsedLine, parseLine } from '../gcode-line';
import { parseMoveOrArcLine } from '../move-line';
import { Planner } from '../planner/planner';
import type { MotionPlanner } from '../planner/motion-planner';
import type { RemotePlanner } from '../planner/remote-planner';
import type { MachineLimits } from '../planner/machine-limits';
import { FilamentUsage } from './filament-usage';
import { FirmwareRetraction } from './firmware-retraction';
import type { LayerTracker } from './layer-tracker';
import { LayerTimeline } from './layer-timeline';
import { LayerTimes } from './layer-times';
import { applyLimitCommand } from './limit-commands';
import { commentMarkerAt, LAST_LAYER_MARKER, LayerMarker, markerTextStart } from './comment-markers';
import { ObjectMarkers, type ObjectsBboxSource } from './object-markers';
import { Motion } from './motion';
import { PrintExtent } from './print-extent';
import { ToolChanges } from './tool-changes';
import { Toolhead } from './toolhead';
import { BIT_P, BIT_S, IDX_P, IDX_S, wordValue } from './words';

const LF = 10;
const CR = 13;
const SEMI = 59;

/** What the move simulation found (the raw counters; `analyze` shapes them into a result). */
export interface SimulationTotals {
  motionCommands: number;
  extrudingMoves: number;
  extrudedMm: number;
  consumedMm: number;
  bbox: { minX: number; minY: number; minZ: number; maxX: number; maxY: number; maxZ: number } | null;
  /** The extruding moves that print objects (see `ObjectMarkers`); null when the file does not say. */
  objectsBbox: { minX: number; minY: number; minZ: number; maxX: number; maxY: number; maxZ: number } | null;
  objectsBboxFrom: ObjectsBboxSource;
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
 * Simulates what a Marlin-like firmware does with each line: reads it (a fast path for plain
 * G0–G3 lines) and hands each command to the part that models it: moves (`Motion`), coordinate
 * modes and G92 (`Toolhead`), machine limits (`applyLimitCommand`), firmware retraction, tool
 * changes, layer markers (`LayerTimeline`), object markers (`ObjectMarkers`); the planner times
 * the moves. Pure: it only sees lines.
 */
export class Simulator implements LineSink {
  private readonly p = new ParsedLine();
  readonly planner: MotionPlanner;
  private readonly remote: RemotePlanner | null;
  private readonly head = new Toolhead();
  private readonly filament = new FilamentUsage();
  private readonly extent = new PrintExtent();
  private readonly objects = new ObjectMarkers(this.extent);
  /** `objects.firstBytes`: the first bytes of the comments that can be markers. */
  private readonly markerBytes = this.objects.firstBytes;
  private readonly layers: LayerTimeline;
  private readonly motion: Motion;
  private readonly retraction = new FirmwareRetraction();
  private readonly tools = new ToolChanges();
  private motionCommands = 0;
  /** Called for every comment-only line with the range from its `;`, to collect metadata; optional. */
  onComment: ((buf: Buffer, start: number, end: number) => void) | null = null;

  /** With `remote`, planning runs on its thread (it must have been created with `limits`). */
  constructor(limits: MachineLimits, remote: RemotePlanner | null = null) {
    const times = new LayerTimes();
    this.remote = remote;
    this.planner = remote ?? new Planner(limits, times);
    this.layers = new LayerTimeline(times, this.planner);
    this.motion = new Motion(this.head, this.filament, this.extent, this.layers, this.planner);
  }

  /** Layers by the slicer's markers. */
  get markerLayers(): LayerTracker {
    return this.layers.times.markers;
  }

  /** Layers by extrusion Z. */
  get zLayers(): LayerTracker {
    return this.layers.times.byZ;
  }

  line(buf: Buffer, start: number, end: number, lineNo: number): void {
    const p = this.p;
    if (!parseLine(buf, start, end, p)) {
      if (p.commentStart >= 0) this.comment(buf, p.commentStart, p.commentEnd, lineNo);
      this.objects.command(buf, start, end);
      if (this.onComment !== null && p.commentStart > start) this.onComment(buf, p.commentStart - 1, end);
      return;
    }
    const code = p.code;
    if (p.letter === 71) {
      if (code <= 3 && code >= 0) {
        this.motionCommands++;
        this.motion.move(p, code, lineNo);
        return;
      }
      this.gcode(p, code, lineNo);
    } else if (p.letter === 77) {
      if (code === 486) this.objects.m486(buf, start, end);
      else this.mcode(p, code);
    } else if (p.letter === 84) this.tools.select(code);
  }

  /**
   * Whole lines of a chunk (see `LineSink.lines`). Plain G0–G3 lines take the fast path
   * (`parseMoveOrArcLine`), lines starting with `;` go straight to the comment handling, and
   * everything else goes through `line`: the same results as `line` called per line, without a
   * native `indexOf` call per line.
   */
  lines(buf: Buffer, start: number, end: number, firstLineNo: number, maxLineBytes: number, counts: LineCounts): number {
    const p = this.p;
    const motion = this.motion;
    const markerBytes = this.markerBytes;
    let lineNo = firstLineNo;
    let pos = start;
    while (pos < end) {
      const nl = parseMoveOrArcLine(buf, pos, maxLineBytes, p);
      if (nl >= 0) {
        if (buf[nl - 1] === CR && nl > pos) counts.crlfLines++;
        this.motionCommands++;
        motion.move(p, p.code, lineNo);
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
        // a comment line: what `line` does with it, without parsing. Most comments are ruled out
        // as markers by their first byte: `comment` written out here, as V8 does not always
        // inline it (a call per comment line)
        let i = pos + 1;
        while (i < e && buf[i] === 32) i++;
        if (i < e && markerBytes[buf[i]!] !== 0) this.marker(buf, pos + 1, e, lineNo);
        if (this.onComment !== null) this.onComment(buf, pos, e);
      } else this.line(buf, pos, e, lineNo);
      pos = lf + 1;
      lineNo++;
    }
    return lineNo - firstLineNo;
  }

  /** A comment, buf[start, end) after its `;`: layer and object markers. */
  private comment(buf: Buffer, start: number, end: number, lineNo: number): void {
    // most comments are ruled out by their first byte
    let i = start;
    while (i < end && buf[i] === 32) i++;
    if (i < end && this.markerBytes[buf[i]!] !== 0) this.marker(buf, start, end, lineNo);
  }

  private marker(buf: Buffer, start: number, end: number, lineNo: number): void {
    const layers = this.layers;
    const kind = commentMarkerAt(buf, start, end, layers.markerKind === LayerMarker.Simplify3D);
    if (kind === 0) return;
    if (kind <= LAST_LAYER_MARKER) {
      layers.marker(kind, lineNo);
      this.objects.layerStarted(kind, layers.markerKind === LayerMarker.Simplify3D);
    } else this.objects.marker(kind, buf, markerTextStart(), end);
  }

  private gcode(p: ParsedLine, code: number, lineNo: number): void {
    const head = this.head;
    switch (code) {
      case 4: {
        // G4 P<ms> or S<s>
        const v = p.values;
        let s = 0;
        if ((p.mask & BIT_S) !== 0 && v[IDX_S]! > 0) s = v[IDX_S]!;
        else if ((p.mask & BIT_P) !== 0 && v[IDX_P]! > 0) s = v[IDX_P]! / 1000;
        this.planner.dwell(s, lineNo);
        return;
      }
      case 10:
        // Bare G10 is a firmware retraction; RepRapFirmware's G10 P/S/R (tool temperatures) and
        // G10 L (offsets) are not moves.
        if (p.mask === 0) this.retraction.toggle(true, this.planner, lineNo);
        return;
      case 11:
        this.retraction.toggle(false, this.planner, lineNo);
        return;
      case 20:
        head.unit = 25.4;
        return;
      case 21:
        head.unit = 1;
        return;
      case 28:
        this.motion.home(p, lineNo);
        return;
      case 90:
        head.relXYZ = false;
        return;
      case 91:
        head.relXYZ = true;
        return;
      case 92:
        if (p.sub < 0 && head.setPosition(p)) this.filament.renamed(head.e);
        return;
      default:
        return;
    }
  }

  private mcode(p: ParsedLine, code: number): void {
    switch (code) {
      case 82:
        this.head.eMode = 1;
        return;
      case 83:
        this.head.eMode = 2;
        return;
      case 207:
      case 208:
        this.retraction.configure(p, code);
        return;
      case 220: {
        const s = wordValue(p, IDX_S);
        if (s !== undefined && s > 0) this.head.speedFactor = s / 100;
        return;
      }
      default:
        if (applyLimitCommand(p, code, this.planner.limits)) this.planner.limitsChanged();
    }
  }

  /** Drains the planner and returns the totals. */
  finish(): SimulationTotals {
    if (this.remote !== null) {
      const r = this.remote.finish();
      this.markerLayers.adoptTimes(r.layerTimes[0], r.preambleTimes[0]);
      this.zLayers.adoptTimes(r.layerTimes[1], r.preambleTimes[1]);
    } else this.planner.flush();
    const f = this.filament;
    const objects = this.objects.result();
    return {
      motionCommands: this.motionCommands,
      extrudingMoves: f.extrudingMoves,
      extrudedMm: f.extrudedMm,
      consumedMm: f.consumedMm,
      bbox: this.extent.bbox(),
      objectsBbox: objects.bbox,
      objectsBboxFrom: objects.source,
      travelBbox: this.extent.travelBbox(),
      layersByZ: this.layers.layersByZ,
      toolChanges: this.tools.changes,
      toolsUsed: this.tools.toolsUsed(),
      estimateS: this.planner.totalTime,
      naiveS: this.motion.naiveS,
      relativeMoves: f.relativeMoves,
      absoluteMoves: f.absoluteMoves,
      arcs: this.motion.arcs,
      firmwareRetractions: this.retraction.retractions,
      maxFeedrateMmS: this.motion.maxFeed,
    };
  }
}
