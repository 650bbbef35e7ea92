import type { ParsedLine } from '../gcode-line';

/**
 * The parameter words the simulation reads: each letter's index in `ParsedLine.values`
 * (letter − 'A') and its bit in `ParsedLine.mask`.
 */
export const IDX_E = 4;
export const IDX_F = 5;
export const IDX_I = 8;
export const IDX_J = 9;
export const IDX_P = 15;
export const IDX_R = 17;
export const IDX_S = 18;
export const IDX_T = 19;
export const IDX_X = 23;
export const IDX_Y = 24;
export const IDX_Z = 25;

export const BIT_E = 1 << IDX_E;
export const BIT_F = 1 << IDX_F;
export const BIT_I = 1 << IDX_I;
export const BIT_J = 1 << IDX_J;
export const BIT_P = 1 << IDX_P;
export const BIT_R = 1 << IDX_R;
export const BIT_S = 1 << IDX_S;
export const BIT_X = 1 << IDX_X;
export const BIT_Y = 1 << IDX_Y;
export const BIT_Z = 1 << IDX_Z;

/** X, Y, Z, E in the planner's axis order. */
export const AXIS_WORDS = [IDX_X, IDX_Y, IDX_Z, IDX_E] as const;

/** The number given with word `idx`, or undefined when the word is absent or has no number. */
export function wordValue(p: ParsedLine, idx: number): number | undefined {
  const x = p.values[idx]!;
  return (p.mask & (1 << idx)) !== 0 && x === x ? x : undefined;
}
