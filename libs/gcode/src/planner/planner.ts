import type { MachineLimits } from './machine-limits';
import type { MotionPlanner } from './motion-planner';
import { trapezoidTime } from './trapezoid';

/** Receives the time of each move once the look-ahead has settled it, in file order. */
export interface TimeSink {
  moveTime(line: number, seconds: number): void;
}

/** Marlin's MINIMUM_PLANNER_SPEED (mm/s): the speed a queue drains to with junction deviation. */
const MIN_PLANNER_SPEED = 0.05;
const EPS = 1e-9;

const NOMINAL_LENGTH = 1;
const RECALC = 2;

/**
 * A model of a Marlin-style motion planner: per-move nominal speed clipped by M203, acceleration
 * from M204 clipped per axis by M201, corner speed by classic jerk (Marlin 1.x / Prusa firmware
 * algorithm, as PrusaSlicer's estimator models it) or by junction deviation (Marlin 2), and a
 * look-ahead with a backward and a forward pass over the queued moves before each move's
 * trapezoid is fixed.
 *
 * The queue is recalculated every `refresh` moves and all but the last `keep` moves are
 * finalized, as PrusaSlicer's GCodeProcessor does (queue 64, refresh 256): bounded memory, and
 * a look-ahead longer than any firmware's buffer so the result is the planner's steady state.
 * Each move costs O(refresh / (refresh - keep)) block visits.
 *
 * This runs once per move of files with millions of moves, so the queue is a set of parallel
 * typed arrays (no object per move, no boxed numbers) and the per-axis vectors are scalars.
 */
export class Planner implements MotionPlanner {
  /**
   * The next move for `queueMove`: dx, dy, dz, de (mm) and the feed rate (mm/s). Callers on the
   * hot path write here instead of passing five doubles to a call V8 does not inline (each such
   * argument would be boxed into a heap number).
   */
  readonly input = new Float64Array(5);
  // the queue, index 0 = oldest
  private n = 0;
  private readonly distance: Float64Array;
  private readonly acceleration: Float64Array;
  private readonly cruise: Float64Array;
  private readonly entry: Float64Array;
  private readonly maxEntry: Float64Array;
  private readonly safe: Float64Array;
  private readonly time: Float64Array;
  private readonly line: Float64Array;
  private readonly flags: Uint8Array;
  // unit vector and axis speeds (mm/s) of this move and the previous one, swapped after each move
  private unit = new Float64Array(4);
  private speed = new Float64Array(4);
  private prevUnit = new Float64Array(4);
  private prevSpeed = new Float64Array(4);
  private prevCruise = 0;
  private prevSafe = 0;
  private hasPrev = false;
  totalTime = 0;
  moveCount = 0;
  // The limits as read per move, copied from `limits` by `limitsChanged` (typed arrays and plain
  // fields: no element-kind checks or string comparison on the hot path).
  private readonly maxFeed = new Float64Array(4);
  private readonly maxAcc = new Float64Array(4);
  private readonly jerk = new Float64Array(4);
  private isJerk = false;
  private printAcc = 0;
  private retractAcc = 0;
  private travelAcc = 0;
  private minExtruding = 0;
  private minTravel = 0;
  private deviation = 0;

  constructor(
    public limits: MachineLimits,
    private readonly sink: TimeSink,
    private readonly keep = 64,
    private readonly refresh = 256,
  ) {
    const cap = refresh + 1;
    this.distance = new Float64Array(cap);
    this.acceleration = new Float64Array(cap);
    this.cruise = new Float64Array(cap);
    this.entry = new Float64Array(cap);
    this.maxEntry = new Float64Array(cap);
    this.safe = new Float64Array(cap);
    this.time = new Float64Array(cap);
    this.line = new Float64Array(cap);
    this.flags = new Uint8Array(cap);
    this.limitsChanged();
  }

  /**
   * Queues a straight move. `feedrate` in mm/s; the M204 acceleration used depends on the kind:
   * print (XYZ with E), travel (no E) or retract (E only).
   */
  addMove(dx: number, dy: number, dz: number, de: number, feedrate: number, line: number): void {
    const input = this.input;
    input[0] = dx;
    input[1] = dy;
    input[2] = dz;
    input[3] = de;
    input[4] = feedrate;
    this.queueMove(line);
  }

  /** `addMove` with its numbers taken from `input`. */
  queueMove(line: number): void {
    const input = this.input;
    const dx = input[0]!;
    const dy = input[1]!;
    const dz = input[2]!;
    const de = input[3]!;
    let d = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const eOnly = d < EPS;
    if (eOnly) d = Math.abs(de);
    if (d < EPS) return;
    const travel = Math.abs(de) < EPS;
    const minFeed = travel ? this.minTravel : this.minExtruding;
    const v = Math.max(input[4]!, minFeed);
    if (!(v > 0)) return;
    const inv = 1 / d;
    const unit = this.unit;
    const speed = this.speed;
    unit[0] = dx * inv;
    unit[1] = dy * inv;
    unit[2] = dz * inv;
    unit[3] = de * inv;
    // nominal speed, clipped so that no axis exceeds its M203 maximum (0 = none)
    const maxFeed = this.maxFeed;
    let factor = 1;
    for (let a = 0; a < 4; a++) {
      const af = Math.abs(v * unit[a]!);
      speed[a] = v * unit[a]!;
      const max = maxFeed[a]!;
      if (max > 0 && af > max) factor = Math.min(factor, max / af);
    }
    const cruise = v * factor;
    if (factor < 1) for (let a = 0; a < 4; a++) speed[a]! *= factor;

    // acceleration by kind (M204), clipped so that no axis exceeds its M201 maximum
    const maxAcc = this.maxAcc;
    let acc = travel ? this.travelAcc : eOnly ? this.retractAcc : this.printAcc;
    for (let a = 0; a < 4; a++) {
      const u = Math.abs(unit[a]!);
      const max = maxAcc[a]!;
      if (u >= EPS && max > 0 && acc * u > max) acc = max / u;
    }

    let safe: number;
    let vmaxJunction: number;
    const corner = this.hasPrev && this.prevCruise > EPS;
    if (this.isJerk) {
      const jerk = this.jerk;
      safe = cruise;
      for (let a = 0; a < 4; a++) {
        const j = jerk[a]!;
        if (Math.abs(speed[a]!) > j) safe = Math.min(safe, j);
      }
      vmaxJunction = corner ? this.jerkJunction(cruise, safe) : safe;
    } else {
      safe = Math.min(cruise, MIN_PLANNER_SPEED);
      vmaxJunction = corner ? this.deviationJunction(cruise, acc) : safe;
    }

    const i = this.n++;
    this.distance[i] = d;
    this.acceleration[i] = acc;
    this.cruise[i] = cruise;
    this.safe[i] = safe;
    this.line[i] = line;
    // maxAllowableSpeed(-acc, safe, d): the entry speed from which the move can still stop at `safe`
    const allowable = Math.sqrt(Math.max(0, safe * safe + 2 * acc * d));
    this.entry[i] = Math.min(vmaxJunction, allowable);
    this.maxEntry[i] = vmaxJunction;
    this.flags[i] = cruise <= allowable ? NOMINAL_LENGTH | RECALC : RECALC;
    this.time[i] = 0;
    this.moveCount++;

    this.unit = this.prevUnit;
    this.prevUnit = unit;
    this.speed = this.prevSpeed;
    this.prevSpeed = speed;
    this.prevCruise = cruise;
    this.prevSafe = safe;
    this.hasPrev = true;
    if (this.n > this.refresh) this.calculate(this.keep);
  }

  /** Classic jerk, as Prusa firmware's planner.cpp and PrusaSlicer's GCodeProcessor compute it. */
  private jerkJunction(cruise: number, safe: number): number {
    const jerk = this.jerk;
    const prevSpeed = this.prevSpeed;
    const speed = this.speed;
    const prevCruise = this.prevCruise;
    const prevLarger = prevCruise > cruise;
    const smaller = prevLarger ? cruise / prevCruise : prevCruise / cruise;
    let vmax = prevLarger ? cruise : prevCruise;
    let vFactor = 1;
    let limited = false;
    for (let a = 0; a < 4; a++) {
      let vExit = prevSpeed[a]!;
      let vEntry = speed[a]!;
      if (prevLarger) vExit *= smaller;
      if (limited) {
        vExit *= vFactor;
        vEntry *= vFactor;
      }
      // The firmware's jump: |exit - entry| when both speeds have the same sign, else the larger
      // magnitude (the axis stops and restarts); where one is 0 both give the same value.
      const jump = vExit < 0 !== vEntry < 0 ? Math.max(Math.abs(vExit), Math.abs(vEntry)) : Math.abs(vExit - vEntry);
      const maxJerk = jerk[a]!;
      if (jump > maxJerk) {
        vFactor *= maxJerk / jump;
        limited = true;
      }
    }
    if (limited) vmax *= vFactor;
    const threshold = vmax * 0.99;
    if (this.prevSafe > threshold && safe > threshold) vmax = safe;
    return vmax;
  }

  /** Marlin 2 junction deviation (planner.cpp, JUNCTION_DEVIATION): corner speed from the angle. */
  private deviationJunction(cruise: number, acc: number): number {
    const u = this.unit;
    const p = this.prevUnit;
    const cos = -(u[0]! * p[0]! + u[1]! * p[1]! + u[2]! * p[2]! + u[3]! * p[3]!);
    let vSqr: number;
    if (cos > 0.999999) vSqr = MIN_PLANNER_SPEED * MIN_PLANNER_SPEED;
    else {
      const c = Math.max(cos, -0.999999);
      const sinHalf = Math.sqrt(0.5 * (1 - c));
      // acceleration along the junction direction, limited per axis (limit_value_by_axis_maximum)
      const jx = u[0]! - p[0]!;
      const jy = u[1]! - p[1]!;
      const jz = u[2]! - p[2]!;
      const je = u[3]! - p[3]!;
      const norm = Math.sqrt(jx * jx + jy * jy + jz * jz + je * je);
      let jAcc = acc;
      if (norm > EPS) {
        const maxAcc = this.maxAcc;
        jAcc = limitByAxis(jAcc, jx / norm, maxAcc[0]!);
        jAcc = limitByAxis(jAcc, jy / norm, maxAcc[1]!);
        jAcc = limitByAxis(jAcc, jz / norm, maxAcc[2]!);
        jAcc = limitByAxis(jAcc, je / norm, maxAcc[3]!);
      }
      vSqr = sinHalf >= 1 ? Infinity : (jAcc * this.deviation * sinHalf) / (1 - sinHalf);
    }
    return Math.sqrt(Math.min(vSqr, cruise * cruise, this.prevCruise * this.prevCruise));
  }

  /** A pause (G4) or a synchronisation (M400): the queue drains, then `seconds` pass. */
  dwell(seconds: number, line: number): void {
    this.flush();
    if (seconds > 0) {
      this.totalTime += seconds;
      this.sink.moveTime(line, seconds);
    }
  }

  /** Must be called after `limits` is changed in place (M201–M205). */
  limitsChanged(): void {
    const L = this.limits;
    for (let a = 0; a < 4; a++) {
      this.maxFeed[a] = L.maxFeedrate[a]!;
      this.maxAcc[a] = L.maxAcceleration[a]!;
      this.jerk[a] = L.jerk[a]!;
    }
    this.isJerk = L.junction === 'jerk';
    this.printAcc = L.printAcceleration;
    this.retractAcc = L.retractAcceleration;
    this.travelAcc = L.travelAcceleration;
    this.minExtruding = L.minExtrudingFeedrate;
    this.minTravel = L.minTravelFeedrate;
    this.deviation = L.junctionDeviation;
  }

  /** The sink sees layer starts directly (the remote planner forwards them). */
  layerStarted(_tracker: number, _line: number): void {}

  /** Finalizes every queued move; the next move starts from rest. */
  flush(): void {
    this.calculate(0);
    this.hasPrev = false;
  }

  private calculate(keep: number): void {
    const n = this.n;
    if (n === 0) return;
    const entry = this.entry;
    const maxEntry = this.maxEntry;
    const acceleration = this.acceleration;
    const distance = this.distance;
    const flags = this.flags;
    // backward pass
    for (let i = n - 1; i > 0; i--) {
      const c = i - 1;
      const me = maxEntry[c]!;
      if (entry[c] !== me) {
        const nextEntry = entry[i]!;
        if ((flags[c]! & NOMINAL_LENGTH) === 0 && me > nextEntry)
          entry[c] = Math.min(me, Math.sqrt(Math.max(0, nextEntry * nextEntry + 2 * acceleration[c]! * distance[c]!)));
        else entry[c] = me;
        flags[c]! |= RECALC;
      }
    }
    // forward pass
    for (let i = 1; i < n; i++) {
      const p = i - 1;
      const prevEntry = entry[p]!;
      const currEntry = entry[i]!;
      if ((flags[p]! & NOMINAL_LENGTH) === 0 && prevEntry < currEntry) {
        const e = Math.min(currEntry, Math.sqrt(Math.max(0, prevEntry * prevEntry + 2 * acceleration[p]! * distance[p]!)));
        if (e < currEntry) {
          entry[i] = e;
          flags[i]! |= RECALC;
        }
      }
    }
    const cruise = this.cruise;
    const time = this.time;
    for (let i = 0; i < n - 1; i++) {
      if (((flags[i]! | flags[i + 1]!) & RECALC) !== 0) {
        time[i] = trapezoidTime(distance[i]!, entry[i]!, cruise[i]!, entry[i + 1]!, acceleration[i]!);
        flags[i]! &= ~RECALC;
      }
    }
    const last = n - 1;
    time[last] = trapezoidTime(distance[last]!, entry[last]!, cruise[last]!, this.safe[last]!, acceleration[last]!);
    flags[last]! &= ~RECALC;

    const done = n - keep;
    if (done <= 0) return;
    const sink = this.sink;
    const lines = this.line;
    let total = this.totalTime;
    for (let i = 0; i < done; i++) {
      const t = time[i]!;
      total += t;
      sink.moveTime(lines[i]!, t);
    }
    this.totalTime = total;
    this.shift(done, n);
    this.n = n - done;
  }

  /** Moves the kept blocks [from, to) to the front of the queue. */
  private shift(from: number, to: number): void {
    this.distance.copyWithin(0, from, to);
    this.acceleration.copyWithin(0, from, to);
    this.cruise.copyWithin(0, from, to);
    this.entry.copyWithin(0, from, to);
    this.maxEntry.copyWithin(0, from, to);
    this.safe.copyWithin(0, from, to);
    this.time.copyWithin(0, from, to);
    this.line.copyWithin(0, from, to);
    this.flags.copyWithin(0, from, to);
  }
}

/** Marlin's limit_value_by_axis_maximum for one component of a unit vector. */
function limitByAxis(acc: number, component: number, max: number): number {
  const comp = Math.abs(component);
  return comp > EPS && max > 0 && acc * comp > max ? max / comp : acc;
}
