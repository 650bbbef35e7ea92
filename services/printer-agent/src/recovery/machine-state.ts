/** An axis the recovery has to put back. */
export type Axis = 'x' | 'y' | 'z' | 'e';
const AXES: readonly Axis[] = ['x', 'y', 'z', 'e'];

/**
 * What the printer's firmware holds after running a file's lines 1..`line`, as far as the file
 * alone tells (Marlin semantics). Null means the file does not say: a position after homing or
 * probing (machine-specific), a relative move from an unknown place, a target never set.
 */
export interface MachineState {
  line: number;
  x: number | null;
  y: number | null;
  z: number | null;
  e: number | null;
  /** Why each null axis is unknown, for the operator. */
  unknown: Partial<Record<Axis, string>>;
  relativeXYZ: boolean;
  relativeE: boolean;
  /** mm/min of the last G0–G3 `F`. */
  feedrate: number | null;
  /** Targets (°C) of the last M104/M109 and M140/M190; 0 is "off". */
  hotend: number | null;
  bed: number | null;
  /** Part fan 0–255 (last M106/M107). */
  fan: number | null;
  tool: number;
  /** Firmware retraction (G10) not yet recovered (G11). */
  retracted: boolean;
  inches: boolean;
  /** Any move, homing or probing so far. */
  moved: boolean;
  /** An extruding XY move so far: there is plastic on the bed. */
  printed: boolean;
  /** The G28 line that last homed, while nothing moved after it (homing again reproduces the state). */
  homedBy: string | null;
}

export function initialState(): MachineState {
  const why = 'the file has not set it yet';
  return {
    line: 0,
    x: null,
    y: null,
    z: null,
    e: null,
    unknown: { x: why, y: why, z: why, e: why },
    relativeXYZ: false,
    relativeE: false,
    feedrate: null,
    hotend: null,
    bed: null,
    fan: null,
    tool: 0,
    retracted: false,
    inches: false,
    moved: false,
    printed: false,
    homedBy: null,
  };
}

interface Command {
  word: string;
  text: string;
  params: Map<string, number | null>;
}

/** `N12 G1 X1*33 ; note` → G1 with X=1. Null for blank and comment lines. */
export function parseCommand(raw: string): Command | null {
  const semi = raw.indexOf(';');
  let text = (semi >= 0 ? raw.slice(0, semi) : raw).trim().toUpperCase();
  const star = text.lastIndexOf('*');
  if (star >= 0) text = text.slice(0, star);
  text = text.replace(/^N\d+\s*/, '').trim();
  const m = /^([GMT])(\d+)(?:\.\d+)?/.exec(text);
  if (!m) return null;
  const params = new Map<string, number | null>();
  const re = /([A-Z])\s*([-+]?(?:\d+\.?\d*|\.\d+))?/g;
  const rest = text.slice(m[0].length);
  for (let p = re.exec(rest); p; p = re.exec(rest)) params.set(p[1]!, p[2] === undefined ? null : Number(p[2]));
  return { word: `${m[1]}${Number(m[2])}`, text: text.replace(/\s+/g, ' '), params };
}

const MOVES = new Set(['G0', 'G1', 'G2', 'G3']);
/** Bed probing and levelling: the firmware leaves the head wherever its routine ends. */
const PROBES = new Set(['G29', 'G30', 'G34', 'G80', 'M48']);

/**
 * Follows a file line by line and keeps only a `MachineState` (memory stays flat whatever the
 * file's size). Also used to find where a pause script leaves the head (`from` a known place).
 */
export class MachineTracker {
  private s: MachineState;

  constructor(from: MachineState = initialState()) {
    this.s = { ...from, unknown: { ...from.unknown } };
  }

  /** Lines seen so far. */
  get line(): number {
    return this.s.line;
  }

  get state(): MachineState {
    return { ...this.s, unknown: { ...this.s.unknown } };
  }

  /** One file line (comments and blank lines count as lines but change nothing). */
  see(raw: string): void {
    this.s.line++;
    const c = parseCommand(raw);
    if (c) this.apply(c);
  }

  private apply(c: Command): void {
    const s = this.s;
    const p = c.params;
    const num = (letter: string) => p.get(letter) ?? null;
    if (MOVES.has(c.word)) return this.move(c);
    switch (c.word) {
      case 'G90':
      case 'G91':
        // Marlin: G90/G91 set E too; M82/M83 set E only.
        s.relativeXYZ = s.relativeE = c.word === 'G91';
        return;
      case 'M82':
      case 'M83':
        s.relativeE = c.word === 'M83';
        return;
      case 'G20':
      case 'G21':
        s.inches = c.word === 'G20';
        return;
      case 'G92':
        for (const a of AXES) {
          const v = num(a.toUpperCase());
          if (v !== null) this.set(a, v);
        }
        return;
      case 'G28': {
        const named = (['x', 'y', 'z'] as const).filter((a) => p.has(a.toUpperCase()));
        for (const a of named.length > 0 ? named : (['x', 'y', 'z'] as const)) this.forget(a, `it was homed (${c.text}, line ${s.line}) and no absolute move followed`);
        s.moved = true;
        s.homedBy = c.text;
        return;
      }
      case 'G10':
      case 'G11':
        s.retracted = c.word === 'G10';
        return;
      case 'M104':
      case 'M109':
      case 'M140':
      case 'M190': {
        const tool = num('T');
        if (tool !== null && tool !== s.tool) return; // another hot end's target
        const t = num('S') ?? (c.word === 'M109' || c.word === 'M190' ? num('R') : null);
        if (t === null) return;
        if (c.word === 'M104' || c.word === 'M109') s.hotend = t;
        else s.bed = t;
        return;
      }
      case 'M106':
      case 'M107': {
        if ((num('P') ?? 0) !== 0) return; // another fan
        s.fan = c.word === 'M107' ? 0 : Math.max(0, Math.min(255, num('S') ?? 255));
        return;
      }
      default:
        if (PROBES.has(c.word)) {
          for (const a of ['x', 'y', 'z'] as const) this.forget(a, `${c.text} (line ${s.line}) probed the bed and no absolute move followed`);
          s.moved = true;
          s.homedBy = null;
        } else if (c.word.startsWith('T')) {
          s.tool = Number(c.word.slice(1));
        }
    }
  }

  private move(c: Command): void {
    const s = this.s;
    const eBefore = s.e;
    let xy = false;
    let eDelta: number | null = 0;
    for (const a of AXES) {
      const v = c.params.get(a.toUpperCase());
      if (v === undefined || v === null) continue;
      const relative = a === 'e' ? s.relativeE : s.relativeXYZ;
      if (a === 'x' || a === 'y') xy = true;
      if (a === 'e') eDelta = relative ? v : eBefore === null ? null : v - eBefore;
      if (!relative) this.set(a, v);
      else if (s[a] !== null) s[a] = s[a]! + v;
      else s.unknown[a] = `it moved relatively (G91, line ${s.line}) from an unknown ${a.toUpperCase()}`;
    }
    const f = c.params.get('F');
    if (f !== undefined && f !== null && f > 0) s.feedrate = f;
    s.moved = true;
    s.homedBy = null;
    // An absolute E from an unknown E may or may not extrude: assume plastic was laid.
    if (xy && (eDelta === null || eDelta > 0)) s.printed = true;
  }

  private set(a: Axis, v: number): void {
    this.s[a] = v;
    delete this.s.unknown[a];
  }

  private forget(a: Axis, why: string): void {
    this.s[a] = null;
    this.s.unknown[a] = why;
  }
}
