import type { ParsedLine } from '../gcode-line';
import type { MachineLimits } from '../planner/machine-limits';
import { AXIS_WORDS, IDX_J, IDX_P, IDX_R, IDX_S, IDX_T, wordValue } from './words';

/**
 * Applies M201 (max accelerations), M203 (max feed rates), M204 (print / retract / travel
 * acceleration) or M205 (jerk, junction deviation, minimum feed rates) to `L` in place. Returns
 * false for any other M code. The caller tells the planner (`limitsChanged`).
 */
export function applyLimitCommand(p: ParsedLine, code: number, L: MachineLimits): boolean {
  switch (code) {
    case 201:
      setPerAxis(p, L.maxAcceleration);
      return true;
    case 203:
      setPerAxis(p, L.maxFeedrate);
      return true;
    case 204:
      setAccelerations(p, L);
      return true;
    case 205:
      setJunction(p, L);
      return true;
    default:
      return false;
  }
}

/** X, Y, Z, E words with a positive value replace the limit of that axis. */
function setPerAxis(p: ParsedLine, limits: [number, number, number, number]): void {
  for (let a = 0; a < 4; a++) {
    const x = wordValue(p, AXIS_WORDS[a]!);
    if (x !== undefined && x > 0) limits[a] = x;
  }
}

/** An M204 value, capped by the slicer's machine_max_acceleration_* (0 = no cap). */
function cap(x: number, max: number): number {
  return max > 0 ? Math.min(x, max) : x;
}

function setAccelerations(p: ParsedLine, L: MachineLimits): void {
  const s = wordValue(p, IDX_S);
  if (s !== undefined) {
    // legacy format (Marlin 1.x, Prusa MK3): S sets printing and travel acceleration
    L.printAcceleration = cap(s, L.maxPrintAcceleration);
    L.travelAcceleration = cap(s, L.maxTravelAcceleration || L.maxPrintAcceleration);
    const t = wordValue(p, IDX_T);
    if (t !== undefined) L.retractAcceleration = cap(t, L.maxRetractAcceleration);
    return;
  }
  const print = wordValue(p, IDX_P);
  if (print !== undefined) L.printAcceleration = cap(print, L.maxPrintAcceleration);
  const r = wordValue(p, IDX_R);
  if (r !== undefined) L.retractAcceleration = cap(r, L.maxRetractAcceleration);
  const t = wordValue(p, IDX_T);
  if (t !== undefined) L.travelAcceleration = cap(t, L.maxTravelAcceleration);
}

/** Jerk per axis (X/Y/Z selects classic jerk), J junction deviation (selects it), S/T minimum feed rates. */
function setJunction(p: ParsedLine, L: MachineLimits): void {
  let jerkGiven = false;
  for (let a = 0; a < 4; a++) {
    const x = wordValue(p, AXIS_WORDS[a]!);
    if (x !== undefined) {
      L.jerk[a] = x;
      if (a < 3) jerkGiven = true;
    }
  }
  const j = wordValue(p, IDX_J);
  if (j !== undefined && j > 0) {
    L.junctionDeviation = j;
    L.junction = 'deviation';
  } else if (jerkGiven) L.junction = 'jerk';
  const s = wordValue(p, IDX_S);
  if (s !== undefined) L.minExtrudingFeedrate = s;
  const t = wordValue(p, IDX_T);
  if (t !== undefined) L.minTravelFeedrate = t;
}
