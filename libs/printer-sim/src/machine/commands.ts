import type { Firmware } from '../core/firmware';
import { numParam, type GcodeCommand } from '../core/gcode-command';
import { moveDurationMs, type Position } from './planner';

/**
 * A command handler is a generator: each `yield ms` blocks the command queue for that long
 * (the firmware keeps heaters, auto-reports and keepalives going meanwhile); returning ends it.
 */
export type CommandStep = Generator<number, void, void>;
export type CommandHandler = (cmd: GcodeCommand, fw: Firmware) => CommandStep;

/** Marlin's Ender-3 profile: steps/mm for M114's `Count`. */
const STEPS = { x: 80, y: 80, z: 400 };
const HOMING_MM_S = { x: 50, y: 50, z: 4 };
/** Marlin TEMP_WINDOW / TEMP_HYSTERESIS (°C). */
const TEMP_WINDOW = 1;
const TEMP_HYSTERESIS = 3;
/** How often a waiting handler looks at the world (Marlin's idle() loop, coarsened). */
const WAIT_TICK_MS = 100;

/** `planner.synchronize()`: wait until every queued move has run. */
function* synchronize(fw: Firmware): CommandStep {
  for (;;) {
    const ms = fw.planner.msUntilEmpty(fw.now());
    if (ms <= 0) break;
    yield ms;
  }
  fw.planner.update(fw.now());
}

function axisTarget(cmd: GcodeCommand, fw: Firmware): Position {
  const from = fw.planner.position;
  const to = { ...from };
  for (const axis of ['x', 'y', 'z', 'e'] as const) {
    const v = numParam(cmd, axis.toUpperCase());
    if (v === undefined) continue;
    const relative = axis === 'e' ? fw.relativeE : fw.relativeXYZ;
    to[axis] = relative ? from[axis] + v : v;
  }
  return to;
}

/**
 * Marlin PREVENT_COLD_EXTRUSION (planner `_populate_block`): below EXTRUDE_MINTEMP the E part of a
 * move is dropped (E takes its new value without the extruder turning) and the host is told.
 */
function guardColdExtrusion(to: Position, fw: Firmware): void {
  const min = fw.extrudeMinTemp;
  if (min === null || to.e === fw.planner.position.e) return;
  fw.thermal.update(fw.now());
  if (fw.thermal.hotend.temp >= min) return;
  fw.coldExtrusions++;
  fw.out('echo: cold extrusion prevented');
}

function takeFeedrate(cmd: GcodeCommand, fw: Firmware): void {
  const f = numParam(cmd, 'F');
  if (f !== undefined && f > 0) fw.feedrate = f;
}

/** Wait for a free planner block (a full planner blocks the queue, as in Marlin). */
function* plannerSlot(fw: Firmware): CommandStep {
  for (;;) {
    fw.planner.update(fw.now());
    if (!fw.planner.isFull()) return;
    yield fw.planner.msUntilNextBlockDone(fw.now());
  }
}

function* linearMove(cmd: GcodeCommand, fw: Firmware): CommandStep {
  takeFeedrate(cmd, fw);
  const to = axisTarget(cmd, fw);
  const from = fw.planner.position;
  guardColdExtrusion(to, fw);
  if (to.x === from.x && to.y === from.y && to.z === from.z && to.e === from.e) return;
  yield* plannerSlot(fw);
  fw.planner.addMove(fw.now(), to, fw.feedrate / 60);
}

/** G2/G3 with I/J (centre offset) or R; the arc's length sets its time. */
function* arcMove(cmd: GcodeCommand, fw: Firmware): CommandStep {
  takeFeedrate(cmd, fw);
  const from = fw.planner.position;
  const to = axisTarget(cmd, fw);
  guardColdExtrusion(to, fw);
  const clockwise = cmd.code === 'G2';
  let cx: number;
  let cy: number;
  const r = numParam(cmd, 'R');
  if (r !== undefined) {
    // Centre on the perpendicular bisector of the chord, on the side the direction asks for.
    const mx = (from.x + to.x) / 2;
    const my = (from.y + to.y) / 2;
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const half = Math.hypot(dx, dy) / 2;
    const h = Math.sqrt(Math.max(0, r * r - half * half));
    const sign = (clockwise ? 1 : -1) * (r < 0 ? -1 : 1);
    const len = Math.hypot(dx, dy) || 1;
    cx = mx + (sign * h * dy) / len;
    cy = my - (sign * h * dx) / len;
  } else {
    cx = from.x + (numParam(cmd, 'I') ?? 0);
    cy = from.y + (numParam(cmd, 'J') ?? 0);
  }
  const radius = Math.hypot(from.x - cx, from.y - cy);
  const a0 = Math.atan2(from.y - cy, from.x - cx);
  const a1 = Math.atan2(to.y - cy, to.x - cx);
  let sweep = clockwise ? a0 - a1 : a1 - a0;
  if (sweep <= 1e-9) sweep += 2 * Math.PI;
  const length = Math.hypot(radius * sweep, to.z - from.z);
  yield* plannerSlot(fw);
  const p = fw.planner;
  const v = Math.min(fw.feedrate / 60, p.maxFeedrate);
  p.addTimed(fw.now(), to, moveDurationMs(length, v, p.acceleration, p.junctionSpeed));
}

function* home(cmd: GcodeCommand, fw: Firmware): CommandStep {
  yield* synchronize(fw);
  const named = (['x', 'y', 'z'] as const).filter((a) => cmd.params.has(a.toUpperCase()));
  const axes = named.length > 0 ? named : (['x', 'y', 'z'] as const);
  const pos = { ...fw.planner.position };
  let ms = 0;
  for (const a of axes) {
    // Travel to the switch (position unknown after power-on: assume 10 mm), then bump it.
    ms += ((Math.abs(pos[a]) + 10) / HOMING_MM_S[a]) * 1000 + 500;
    pos[a] = 0;
  }
  fw.planner.addTimed(fw.now(), pos, ms);
  yield* synchronize(fw);
  for (const a of axes) fw.axes.homedAxis(a);
}

function* dwell(cmd: GcodeCommand, fw: Firmware): CommandStep {
  yield* synchronize(fw);
  const ms = numParam(cmd, 'P') ?? (numParam(cmd, 'S') ?? 0) * 1000;
  if (ms > 0) yield ms;
}

function* setTarget(cmd: GcodeCommand, fw: Firmware, which: 'hotend' | 'bed'): CommandStep {
  const s = numParam(cmd, 'S');
  if (s !== undefined) {
    fw.thermal.update(fw.now());
    fw.heater(which).target = Math.max(0, s);
  }
}

/** M109/M190 (Marlin `wait_for_hotend` / `wait_for_bed`): report each second until resident. */
function* waitForTemp(cmd: GcodeCommand, fw: Firmware, which: 'hotend' | 'bed'): CommandStep {
  const s = numParam(cmd, 'S');
  const r = numParam(cmd, 'R');
  const target = s ?? r;
  if (target === undefined) return;
  const heater = fw.heater(which);
  fw.thermal.update(fw.now());
  heater.target = Math.max(0, target);
  if (target < fw.dialect.minWaitTemp) return;
  const noWaitForCooling = s !== undefined;
  const residencyMs = fw.dialect.residencyS * 1000;
  fw.cancelWait = false;
  let residencyStart: number | null = null;
  let nextReport = fw.now();
  for (;;) {
    const now = fw.now();
    fw.thermal.update(now);
    if (now >= nextReport) {
      nextReport = now + 1000;
      const left = residencyStart === null ? null : Math.floor((residencyMs - (now - residencyStart)) / 1000);
      fw.out(fw.dialect.waitReport(fw.temps(), which === 'bed', left));
    }
    const temp = heater.temp;
    if (residencyStart !== null) {
      if (Math.abs(temp - heater.target) > TEMP_HYSTERESIS) residencyStart = null;
    } else if (Math.abs(temp - heater.target) < TEMP_WINDOW) {
      residencyStart = now;
    }
    if (noWaitForCooling && temp > heater.target + TEMP_WINDOW) break;
    if (fw.cancelWait) break;
    if (residencyStart !== null && now - residencyStart >= residencyMs) break;
    yield WAIT_TICK_MS;
  }
  fw.cancelWait = false;
}

function* reportTemps(_cmd: GcodeCommand, fw: Firmware): CommandStep {
  fw.suppressOk();
  for (const l of fw.dialect.m105(fw.temps())) fw.out(l);
}

function* reportPosition(_cmd: GcodeCommand, fw: Firmware): CommandStep {
  const p = fw.planner.position;
  fw.out(
    `X:${p.x.toFixed(2)} Y:${p.y.toFixed(2)} Z:${p.z.toFixed(2)} E:${p.e.toFixed(2)} ` +
      `Count X:${Math.round(p.x * STEPS.x)} Y:${Math.round(p.y * STEPS.y)} Z:${Math.round(p.z * STEPS.z)}`,
  );
}

function* noop(): CommandStep {
  // Accepted and acknowledged; nothing to simulate.
}

function sync(fn: (cmd: GcodeCommand, fw: Firmware) => void): CommandHandler {
  return function* (cmd, fw) {
    fn(cmd, fw);
  };
}

export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  G0: linearMove,
  G1: linearMove,
  G2: arcMove,
  G3: arcMove,
  G4: dwell,
  G28: home,
  G90: sync((_c, fw) => {
    fw.relativeXYZ = false;
    fw.relativeE = false;
  }),
  G91: sync((_c, fw) => {
    fw.relativeXYZ = true;
    fw.relativeE = true;
  }),
  G92: sync((cmd, fw) => {
    const p = { ...fw.planner.position };
    for (const axis of ['x', 'y', 'z', 'e'] as const) {
      const v = numParam(cmd, axis.toUpperCase());
      if (v !== undefined) p[axis] = v;
    }
    fw.axes.setLogical(fw.planner, p);
  }),
  M82: sync((_c, fw) => {
    fw.relativeE = false;
  }),
  M83: sync((_c, fw) => {
    fw.relativeE = true;
  }),
  M84: synchronizeOnly,
  M18: synchronizeOnly,
  M400: synchronizeOnly,
  M104: (c, fw) => setTarget(c, fw, 'hotend'),
  M140: (c, fw) => setTarget(c, fw, 'bed'),
  M109: (c, fw) => waitForTemp(c, fw, 'hotend'),
  M190: (c, fw) => waitForTemp(c, fw, 'bed'),
  M105: reportTemps,
  M106: sync((cmd, fw) => {
    fw.thermal.fanSpeed = Math.max(0, Math.min(255, numParam(cmd, 'S') ?? 255));
  }),
  M107: sync((_c, fw) => {
    fw.thermal.fanSpeed = 0;
  }),
  M110: sync((cmd, fw) => {
    // queue.cpp set the number when the line was read; M110 sets it again when it runs.
    const n = numParam(cmd, 'N');
    if (n !== undefined) fw.setLineNumber(n);
  }),
  M112: sync((_c, fw) => fw.kill(fw.dialect.m112Lines())),
  M114: reportPosition,
  M115: sync((_c, fw) => {
    for (const l of fw.dialect.m115(fw.advancedOk)) fw.out(l);
  }),
  M118: sync((cmd, fw) => fw.out(cmd.text.replace(/^M118\s*/i, ''))),
  M155: sync((cmd, fw) => fw.setAutoReport(numParam(cmd, 'S') ?? 0)),
  ...Object.fromEntries(
    ['G21', 'G29', 'G80', 'M17', 'M73', 'M75', 'M76', 'M77', 'M108', 'M117', 'M201', 'M203', 'M204', 'M205',
      'M220', 'M221', 'M300', 'M420', 'M500', 'M501', 'M502', 'M503', 'M851', 'M900', 'M907', 'T0',
    ].map((c) => [c, noop]),
  ),
};

function* synchronizeOnly(_cmd: GcodeCommand, fw: Firmware): CommandStep {
  yield* synchronize(fw);
}
