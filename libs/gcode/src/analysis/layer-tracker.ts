/** One printed layer as the analysis sees it. */
export interface LayerInfo {
  /** 0-based layer index. */
  index: number;
  /** 1-based line where the layer starts (its marker, or the Z move that reaches it). */
  line: number;
  /** Z of the first extrusion in the layer (mm), null if it extrudes nothing. */
  z: number | null;
  /** Z difference to the previous layer (the first layer: its Z). */
  height: number | null;
  /** Planned time of the moves from this layer's start line to the next one's. */
  timeS: number;
}

/**
 * Collects layer start lines and attributes each move's planned time to the layer its line falls
 * in. Moves reach `addTime` in line order (the planner finalizes them in order), and a layer's
 * start is always registered before any of its moves is finalized, so one pointer suffices.
 */
export class LayerTracker {
  readonly lines: number[] = [];
  readonly z: number[] = [];
  readonly time: number[] = [];
  preambleTime = 0;
  private ptr = 0;

  get count(): number {
    return this.lines.length;
  }

  start(line: number): void {
    this.lines.push(line);
    this.z.push(NaN);
    this.time.push(0);
  }

  /** The Z of the first extrusion of the current layer. */
  extrudedAt(z: number): void {
    const i = this.lines.length - 1;
    if (i >= 0 && Number.isNaN(this.z[i])) this.z[i] = z;
  }

  addTime(line: number, seconds: number): void {
    const lines = this.lines;
    while (this.ptr < lines.length && line >= lines[this.ptr]!) this.ptr++;
    if (this.ptr === 0) this.preambleTime += seconds;
    else this.time[this.ptr - 1]! += seconds;
  }

  /** Takes the times attributed elsewhere (by the planner thread's copy of this tracker). */
  adoptTimes(time: readonly number[], preambleTime: number): void {
    for (let i = 0; i < this.time.length; i++) this.time[i] = time[i] ?? 0;
    this.preambleTime = preambleTime;
  }

  toLayers(): LayerInfo[] {
    const out: LayerInfo[] = [];
    let prevZ: number | null = null;
    for (let i = 0; i < this.lines.length; i++) {
      const z = this.z[i]!;
      const zv = Number.isNaN(z) ? null : round(z, 4);
      out.push({
        index: i,
        line: this.lines[i]!,
        z: zv,
        height: zv === null ? null : round(prevZ === null ? zv : zv - prevZ, 4),
        timeS: round(this.time[i]!, 3),
      });
      if (zv !== null) prevZ = zv;
    }
    return out;
  }
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
