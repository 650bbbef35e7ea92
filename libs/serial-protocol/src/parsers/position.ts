/**
 * M114 position.
 *
 *   `X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0`                      Marlin
 *   `X:10.00 Y:20.00 Z:0.15 E:0.00 Count X: 10.00 Y:20.00 Z:0.15 E:0.00`  Prusa
 *   `X:0.00 Y:0.00 Z:0.000 E:0.0000`                                      Repetier
 */
export interface Position {
  x: number;
  y: number;
  z: number;
  e: number | null;
}

export function parsePosition(line: string): Position | null {
  const text = line.trim().split(/\s+Count\b/)[0] ?? '';
  const m =
    /^X:\s*(-?\d+(?:\.\d+)?)\s+Y:\s*(-?\d+(?:\.\d+)?)\s+Z:\s*(-?\d+(?:\.\d+)?)(?:\s+E:\s*(-?\d+(?:\.\d+)?))?/.exec(
      text,
    );
  if (!m) return null;
  return { x: Number(m[1]), y: Number(m[2]), z: Number(m[3]), e: m[4] === undefined ? null : Number(m[4]) };
}
