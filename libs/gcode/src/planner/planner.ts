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
  /** The next move for `queueMove`, written by `planMove`. */
  readonly input = new Float64Array(6);
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
  // the previous move's axis speeds (mm/s) and unit vector
  private pvx = 0;
  private pvy = 0;
  private pvz = 0;
  private pve = 0;
  private pux = 0;
  private puy = 0;
  private puz = 0;
  private pue = 0;
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
   * Queues the straight move in `input` (see `planMove`). The M204 acceleration used depends on
   * its kind: print (XYZ with E), travel (no E) or retract (E only).
   */
  queueMove(line: number): void {
    const input = this.input;
    const dx = input[0]!;
    const dy = input[1]!;
    const dz = input[2]!;
    const de = input[3]!;
    let d = input[5]!;
    const eOnly = d < EPS;
    if (eOnly) d = Math.abs(de);
    if (d < EPS) return;
    const travel = Math.abs(de) < EPS;
    const minFeed = travel ? this.minTravel : this.minExtruding;
    const v = Math.max(input[4]!, minFeed);
    if (!(v > 0)) return;
    // Per-axis work is written out for X, Y, Z, E with scalars: this runs for every move, and
    // loops over small typed arrays or helper calls measured slower (bounds checks; helpers that
    // V8 does not inline box their double results).
    const inv = 1 / d;
    const ux = dx * inv;
    const uy = dy * inv;
    const uz = dz * inv;
    const ue = de * inv;
    // nominal speed, clipped so that no axis exceeds its M203 maximum (0 = none)
    const maxFeed = this.maxFeed;
    let vx = v * ux;
    let vy = v * uy;
    let vz = v * uz;
    let ve = v * ue;
    let factor = 1;
    let max = maxFeed[0]!;
    let af = Math.abs(vx);
    if (max > 0 && af > max) factor = Math.min(factor, max / af);
    max = maxFeed[1]!;
    af = Math.abs(vy);
    if (max > 0 && af > max) factor = Math.min(factor, max / af);
    max = maxFeed[2]!;
    af = Math.abs(vz);
    if (max > 0 && af > max) factor = Math.min(factor, max / af);
    max = maxFeed[3]!;
    af = Math.abs(ve);
    if (max > 0 && af > max) factor = Math.min(factor, max / af);
    const cruise = v * factor;
    if (factor < 1) {
      vx *= factor;
      vy *= factor;
      vz *= factor;
      ve *= factor;
    }

    // acceleration by kind (M204), clipped so that no axis exceeds its M201 maximum
    const maxAcc = this.maxAcc;
    let acc = travel ? this.travelAcc : eOnly ? this.retractAcc : this.printAcc;
    let u = Math.abs(ux);
    max = maxAcc[0]!;
    if (u >= EPS && max > 0 && acc * u > max) acc = max / u;
    u = Math.abs(uy);
    max = maxAcc[1]!;
    if (u >= EPS && max > 0 && acc * u > max) acc = max / u;
    u = Math.abs(uz);
    max = maxAcc[2]!;
    if (u >= EPS && max > 0 && acc * u > max) acc = max / u;
    u = Math.abs(ue);
    max = maxAcc[3]!;
    if (u >= EPS && max > 0 && acc * u > max) acc = max / u;

    let safe: number;
    let vmaxJunction: number;
    const corner = this.hasPrev && this.prevCruise > EPS;
    if (this.isJerk) {
      const jerk = this.jerk;
      const jx = jerk[0]!;
      const jy = jerk[1]!;
      const jz = jerk[2]!;
      const je = jerk[3]!;
      safe = cruise;
      if (Math.abs(vx) > jx) safe = Math.min(safe, jx);
      if (Math.abs(vy) > jy) safe = Math.min(safe, jy);
      if (Math.abs(vz) > jz) safe = Math.min(safe, jz);
      if (Math.abs(ve) > je) safe = Math.min(safe, je);
      vmaxJunction = safe;
      if (corner) {
        // Classic jerk, as Prusa firmware's planner.cpp and PrusaSlicer's GCodeProcessor compute
        // it: the corner speed is scaled down axis by axis (X, Y, Z, E, compounding) until no
        // axis's speed jump exceeds its jerk.
        const prevCruise = this.prevCruise;
        const prevLarger = prevCruise > cruise;
        const smaller = prevLarger ? cruise / prevCruise : prevCruise / cruise;
        let vmax = prevLarger ? cruise : prevCruise;
        let f = 1;
        let limited = false;
        let xExit = this.pvx;
        let yExit = this.pvy;
        let zExit = this.pvz;
        let eExit = this.pve;
        if (prevLarger) {
          xExit *= smaller;
          yExit *= smaller;
          zExit *= smaller;
          eExit *= smaller;
        }
        let jump = axisJump(xExit, vx);
        if (jump > jx) {
          f *= jx / jump;
          limited = true;
        }
        jump = limited ? axisJump(yExit * f, vy * f) : axisJump(yExit, vy);
        if (jump > jy) {
          f *= jy / jump;
          limited = true;
        }
        jump = limited ? axisJump(zExit * f, vz * f) : axisJump(zExit, vz);
        if (jump > jz) {
          f *= jz / jump;
          limited = true;
        }
        jump = limited ? axisJump(eExit * f, ve * f) : axisJump(eExit, ve);
        if (jump > je) {
          f *= je / jump;
          limited = true;
        }
        if (limited) vmax *= f;
        const threshold = vmax * 0.99;
        if (this.prevSafe > threshold && safe > threshold) vmax = safe;
        vmaxJunction = vmax;
      }
    } else {
      safe = Math.min(cruise, MIN_PLANNER_SPEED);
      vmaxJunction = corner ? this.deviationJunction(cruise, acc, ux, uy, uz, ue) : safe;
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

    this.pvx = vx;
    this.pvy = vy;
    this.pvz = vz;
    this.pve = ve;
    this.pux = ux;
    this.puy = uy;
    this.puz = uz;
    this.pue = ue;
    this.prevCruise = cruise;
    this.prevSafe = safe;
    this.hasPrev = true;
    if (this.n > this.refresh) this.calculate(this.keep);
  }

  /** Marlin 2 junction deviation (planner.cpp, JUNCTION_DEVIATION): corner speed from the angle. */
  private deviationJunction(cruise: number, acc: number, ux: number, uy: number, uz: number, ue: number): number {
    const px = this.pux;
    const py = this.puy;
    const pz = this.puz;
    const pe = this.pue;
    const cos = -(ux * px + uy * py + uz * pz + ue * pe);
    let vSqr: number;
    if (cos > 0.999999) vSqr = MIN_PLANNER_SPEED * MIN_PLANNER_SPEED;
    else {
      const c = Math.max(cos, -0.999999);
      const sinHalf = Math.sqrt(0.5 * (1 - c));
      // acceleration along the junction direction, limited per axis (limit_value_by_axis_maximum)
      const jx = ux - px;
      const jy = uy - py;
      const jz = uz - pz;
      const je = ue - pe;
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

  /** M204's three accelerations changed (and nothing else): cheaper than `limitsChanged`. */
  setAccelerations(print: number, retract: number, travel: number): void {
    const L = this.limits;
    L.printAcceleration = this.printAcc = print;
    L.retractAcceleration = this.retractAcc = retract;
    L.travelAcceleration = this.travelAcc = travel;
  }

  /** The sink sees layer starts directly (the remote planner forwards them). */
  layerStarted(_list: number, _line: number): void {}

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
    // Both passes are chains (each speed depends on its neighbour's), so they are bound by the
    // latency of sqrt & co.: the neighbour's speed is carried in a local rather than re-read.
    // backward pass
    let next = entry[n - 1]!;
    for (let c = n - 2; c >= 0; c--) {
      const me = maxEntry[c]!;
      let cur = entry[c]!;
      if (cur !== me) {
        if ((flags[c]! & NOMINAL_LENGTH) === 0 && me > next)
          cur = Math.min(me, Math.sqrt(Math.max(0, next * next + 2 * acceleration[c]! * distance[c]!)));
        else cur = me;
        entry[c] = cur;
        flags[c]! |= RECALC;
      }
      next = cur;
    }
    // forward pass, and each block's trapezoid as soon as its exit speed (the next block's entry)
    // is final: one pass over the queue instead of two
    const cruise = this.cruise;
    const time = this.time;
    let prevEntry = entry[0]!;
    for (let i = 1; i < n; i++) {
      const p = i - 1;
      let curr = entry[i]!;
      if ((flags[p]! & NOMINAL_LENGTH) === 0 && prevEntry < curr) {
        const e = Math.min(curr, Math.sqrt(Math.max(0, prevEntry * prevEntry + 2 * acceleration[p]! * distance[p]!)));
        if (e < curr) {
          curr = e;
          entry[i] = e;
          flags[i]! |= RECALC;
        }
      }
      if (((flags[p]! | flags[i]!) & RECALC) !== 0) {
        time[p] = trapezoidTime(distance[p]!, prevEntry, cruise[p]!, curr, acceleration[p]!);
        flags[p]! &= ~RECALC;
      }
      prevEntry = curr;
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

/**
 * One axis's speed jump between a move's exit and the next move's entry (Prusa firmware): the
 * difference when both have the same sign, else the larger magnitude (the axis stops and
 * restarts); where one is 0 both give the same value.
 */
function axisJump(vExit: number, vEntry: number): number {
  return vExit < 0 !== vEntry < 0 ? Math.max(Math.abs(vExit), Math.abs(vEntry)) : Math.abs(vExit - vEntry);
}
