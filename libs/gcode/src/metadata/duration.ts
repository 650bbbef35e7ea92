/**
 * Parses the duration formats slicers write:
 *   `1h 5m 41s`, `1d 2h 3m 4s`, `55m 3s` (PrusaSlicer, Orca, Bambu)
 *   `1 hour 31 minutes`, `0 hours 31 minutes` (Simplify3D)
 *   `3485` (Cura, ideaMaker: seconds), `01:02:03`, `40m:36s`.
 * Returns whole seconds, or null.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number.parseFloat(t));
  const clock = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(t);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const re = /(\d+(?:\.\d+)?)\s*(d|days?|h|hours?|m|mins?|minutes?|s|secs?|seconds?)\b/gi;
  let total = 0;
  let found = false;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    const v = Number.parseFloat(m[1]!);
    const unit = m[2]!.toLowerCase()[0];
    total += unit === 'd' ? v * 86400 : unit === 'h' ? v * 3600 : unit === 'm' ? v * 60 : v;
    found = true;
  }
  return found ? Math.round(total) : null;
}

/** Sum of the numbers of a list such as `1.2, 0.8` or `12.5;3`; null when none. */
export function sumList(text: string): number | null {
  const nums = text.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi);
  if (!nums) return null;
  return nums.reduce((a, n) => a + Number.parseFloat(n), 0);
}

export function firstNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const m = /-?\d+(?:\.\d+)?/.exec(text);
  return m ? Number.parseFloat(m[0]) : null;
}
