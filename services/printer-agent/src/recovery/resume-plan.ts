import { initialState, MachineTracker, type MachineState } from './machine-state';

/** Marlin POWER_LOSS_ZRAISE: how far the nozzle goes up before X and Y are homed. */
export const RECOVERY_Z_LIFT = 2;
/** M114 prints two decimals; positions closer than this are the same place. */
const SAME_PLACE_MM = 0.015;
const SAME_TARGET_C = 0.5;

/** Where a pause script left the head when the job was cut while paused (persisted with the job). */
export interface Parked {
  /** Z after the pause script (null: the script made it unknowable). */
  z: number | null;
  /** Net relative E of the script (negative: retracted), to undo. */
  retraction: number;
}

/** Where `script`, run from position `at` in the file's modes, leaves the head (for `Parked`). */
export function parkedBy(
  script: readonly string[],
  at: { x: number; y: number; z: number; e: number | null },
  modes: { relativeXYZ: boolean; relativeE: boolean },
  retraction: number,
): Parked {
  const t = new MachineTracker({ ...initialState(), ...at, ...modes, unknown: {}, moved: true });
  for (const line of script) t.see(line);
  return { z: t.state.z, retraction };
}

/** What the agent knows about the board now. */
export interface BoardReport {
  /** The firmware printed `start` since the job last ran: it lost targets, homing and position. */
  resetSeen: boolean;
  /** Targets from M105 (null: no answer). */
  targets: { hotend: number | null; bed: number | null } | null;
  /** M114 (null: no answer). */
  position: { x: number; y: number; z: number; e: number | null } | null;
}

export type ResumePlan =
  | { kind: 'refuse'; reason: string }
  | {
      kind: 'continue';
      /** First file line to stream. */
      fromLine: number;
      /** Interactive commands sent before it. */
      prelude: string[];
      /** True when the board proved it kept its state (no re-heat, no re-homing). */
      boardKeptState: boolean;
      /** Why, for the log. */
      evidence: string;
    };

const mm = (v: number) => String(Math.round(v * 1000) / 1000 + 0);
const deg = (v: number) => String(Math.round(v * 10) / 10);
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

/**
 * Decides how an interrupted job continues. `states[k]` is the file's state after line
 * `lastConfirmed + k` (k = 0 is the last confirmed line; a few more follow because lines sent
 * but not confirmed may have run before the link dropped).
 *
 * 1. The board kept its state (no `start` seen, M105 targets are the file's, M114 is where the
 *    file was after one of those lines): continue after the line it really reached, restoring
 *    only the modes and feed rate. No re-heat, no homing.
 * 2. Otherwise it must be assumed reset (Marlin's power-loss recovery makes the same
 *    assumption: the nozzle is still at the cut): re-heat, set Z, lift, home X and Y, go back,
 *    continue after the last confirmed line. Refused when the file cannot say where that is.
 */
export function planResume(states: readonly MachineState[], board: BoardReport, parked: Parked | null): ResumePlan {
  const at = states[0];
  if (!at) return { kind: 'refuse', reason: 'the file has no state to resume from' };
  if (!board.resetSeen && !parked) {
    const kept = boardKeptState(states, board);
    if ('ranAhead' in kept) {
      const reached = states[kept.ranAhead]!;
      return {
        kind: 'continue',
        fromLine: reached.line + 1,
        prelude: modalLines(reached),
        boardKeptState: true,
        evidence: kept.evidence,
      };
    }
    return lostState(at, parked, kept.why);
  }
  return lostState(at, parked, board.resetSeen ? 'the printer restarted (start seen)' : 'the job was parked by the pause script');
}

function lostState(at: MachineState, parked: Parked | null, why: string): ResumePlan {
  const refusal = cannotRecover(at, parked);
  if (refusal) return { kind: 'refuse', reason: `cannot resume safely: ${refusal}` };
  return { kind: 'continue', fromLine: at.line + 1, prelude: recoveryPrelude(at, parked), boardKeptState: false, evidence: why };
}

/** Evidence that the board did not reset: its targets are the file's and it is where the file was. */
export function boardKeptState(states: readonly MachineState[], board: BoardReport): { ranAhead: number; evidence: string } | { why: string } {
  const at = states[0]!;
  if (board.resetSeen) return { why: 'the printer restarted (start seen)' };
  if (!board.targets) return { why: 'no temperature report (M105)' };
  for (const heater of ['hotend', 'bed'] as const) {
    const want = at[heater];
    const got = board.targets[heater];
    if (want !== null && (got === null || !close(want, got, SAME_TARGET_C))) {
      return { why: `${heater} target ${got ?? 'unknown'} °C, the file's is ${want} °C` };
    }
  }
  if (!at.moved) return { ranAhead: 0, evidence: 'targets as in the file; nothing moved yet' };
  const p = board.position;
  if (!p) return { why: 'no position report (M114)' };
  for (let k = 0; k < states.length; k++) {
    const s = states[k]!;
    if (s.x === null || s.y === null || s.z === null) continue;
    if (!close(s.x, p.x, SAME_PLACE_MM) || !close(s.y, p.y, SAME_PLACE_MM) || !close(s.z, p.z, SAME_PLACE_MM)) continue;
    if (s.e !== null && p.e !== null && !close(s.e, p.e, SAME_PLACE_MM)) continue;
    // The first match: a later line that did not move cannot be told apart, and is sent again.
    return { ranAhead: k, evidence: `targets as in the file; M114 at line ${s.line}` };
  }
  return { why: `M114 X${p.x} Y${p.y} Z${p.z} is not where the file was at line ${at.line}` };
}

/** Why the machine state at the cut cannot be rebuilt, or null. */
export function cannotRecover(at: MachineState, parked: Parked | null): string | null {
  const line = at.line;
  if (at.inches) return `the file works in inches (G20) at line ${line}; the recovery moves in mm`;
  if (at.tool !== 0) return `tool T${at.tool} is active at line ${line}; the recovery handles one extruder`;
  if (at.retracted) return `a firmware retraction (G10) is in force at line ${line}; the recovery cannot restore it`;
  if (at.printed && at.hotend === null) {
    return `the file extrudes before line ${line} without setting a hotend temperature: the agent does not know what to heat to`;
  }
  if (parked && parked.z === null) return 'the pause script left the Z height unknown';
  if (at.moved && !reHomable(at)) {
    if (at.z === null) return `the Z height at line ${line} is unknown: ${at.unknown.z}`;
    if (at.x === null || at.y === null) return `the X/Y position at line ${line} is unknown: ${at.unknown.x ?? at.unknown.y}`;
  }
  if (at.printed && !at.relativeE && at.e === null) return `E at line ${line} is unknown: ${at.unknown.e}`;
  return null;
}

/** Nothing printed, and the last motion was the file's own homing: homing again puts the head back. */
function reHomable(at: MachineState): boolean {
  return !at.printed && at.homedBy !== null;
}

/**
 * The lines that rebuild the state at the cut on a board that lost it. The order follows
 * Marlin's `PrintJobRecovery::resume()`: heat (bed, then hot end: the nozzle must be soft
 * before X/Y move), tell the firmware its Z (`G92 Z`: the nozzle has not moved since the cut),
 * lift, home X and Y only (homing Z would drive the nozzle into the print), fan, back over the
 * cut in X/Y, down to its Z, E as it was, then the file's modes and feed rate.
 */
export function recoveryPrelude(at: MachineState, parked: Parked | null): string[] {
  const lines = heating(at);
  if (at.fan !== null) lines.push(at.fan > 0 ? `M106 S${at.fan}` : 'M107');
  if (!at.moved) return [...lines, ...eLines(at), ...modalLines(at)];
  if (reHomable(at) && (at.x === null || at.y === null || at.z === null)) return [...lines, at.homedBy!, ...eLines(at), ...modalLines(at)];
  const z = at.z!;
  const zNow = parked?.z ?? z;
  lines.push('G90', `G92 Z${mm(zNow)}`);
  const safe = Math.max(zNow, z + RECOVERY_Z_LIFT);
  if (safe > zNow) lines.push(`G1 Z${mm(safe)} F600`);
  lines.push('G28 X Y', `G1 X${mm(at.x!)} Y${mm(at.y!)} F3000`, `G1 Z${mm(z)} F600`);
  if (parked && parked.retraction < 0) lines.push('M83', `G1 E${mm(-parked.retraction)} F2400`);
  return [...lines, ...eLines(at), ...modalLines(at)];
}

/** Targets: both heaters start at once, then each is waited for (bed first, as Marlin does). */
function heating(at: MachineState): string[] {
  const lines: string[] = [];
  if (at.bed !== null) lines.push(`M140 S${deg(at.bed)}`);
  if (at.hotend !== null) lines.push(`M104 S${deg(at.hotend)}`);
  if (at.bed !== null && at.bed > 0) lines.push(`M190 S${deg(at.bed)}`);
  if (at.hotend !== null && at.hotend > 0) lines.push(`M109 S${deg(at.hotend)}`);
  return lines;
}

function eLines(at: MachineState): string[] {
  return at.e === null ? [] : [`G92 E${mm(at.e)}`];
}

/** The file's distance modes and feed rate (G90/G91 set E too, so M82/M83 comes after). */
export function modalLines(at: MachineState): string[] {
  const lines = [at.relativeXYZ ? 'G91' : 'G90', at.relativeE ? 'M83' : 'M82'];
  if (at.feedrate !== null) lines.push(`G1 F${mm(at.feedrate)}`);
  return lines;
}
