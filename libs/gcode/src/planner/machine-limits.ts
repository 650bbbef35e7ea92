/** Axis order used everywhere in the planner. */
export const X = 0;
export const Y = 1;
export const Z = 2;
export const E = 3;

/**
 * The firmware settings that decide how long moves take. Units: mm, s (feed rates in mm/s,
 * accelerations in mm/s²), like Marlin's M201/M203/M204/M205 once F values are divided by 60.
 */
export interface MachineLimits {
  /** M203: per-axis maximum feed rate [X, Y, Z, E]. */
  maxFeedrate: [number, number, number, number];
  /** M201: per-axis maximum acceleration [X, Y, Z, E]. */
  maxAcceleration: [number, number, number, number];
  /** M204 P (or S): acceleration of printing moves. */
  printAcceleration: number;
  /** M204 R: acceleration of extruder-only moves (retract, prime). */
  retractAcceleration: number;
  /** M204 T: acceleration of travel moves (no E). */
  travelAcceleration: number;
  /** M205 X/Y/Z/E: classic jerk [X, Y, Z, E]. */
  jerk: [number, number, number, number];
  /** M205 J: junction deviation in mm; when set (and `junction` is 'deviation'), replaces XYZ jerk. */
  junctionDeviation: number;
  /** Which corner model the firmware uses. */
  junction: 'jerk' | 'deviation';
  /** M205 S / T: minimum feed rates of printing and travel moves. */
  minExtrudingFeedrate: number;
  minTravelFeedrate: number;
  /** Caps for the accelerations set by M204 (PrusaSlicer's machine_max_acceleration_extruding…); 0 = none. */
  maxPrintAcceleration: number;
  maxRetractAcceleration: number;
  maxTravelAcceleration: number;
}

/**
 * Marlin 2.x defaults (Configuration.h) used when neither the file nor a printer profile says
 * otherwise: DEFAULT_MAX_FEEDRATE {300,300,5,25}, DEFAULT_MAX_ACCELERATION {3000,3000,100,10000},
 * DEFAULT_ACCELERATION/RETRACT/TRAVEL 3000, junction deviation 0.013 mm (CLASSIC_JERK off),
 * DEFAULT_EJERK 5.
 */
export function marlinDefaults(): MachineLimits {
  return {
    maxFeedrate: [300, 300, 5, 25],
    maxAcceleration: [3000, 3000, 100, 10000],
    printAcceleration: 3000,
    retractAcceleration: 3000,
    travelAcceleration: 3000,
    jerk: [10, 10, 0.3, 5],
    junctionDeviation: 0.013,
    junction: 'deviation',
    minExtrudingFeedrate: 0,
    minTravelFeedrate: 0,
    maxPrintAcceleration: 0,
    maxRetractAcceleration: 0,
    maxTravelAcceleration: 0,
  };
}

export function cloneLimits(l: MachineLimits): MachineLimits {
  return {
    ...l,
    maxFeedrate: [...l.maxFeedrate],
    maxAcceleration: [...l.maxAcceleration],
    jerk: [...l.jerk],
  };
}

/** A partial set of limits, e.g. from a printer profile. */
export type MachineLimitsInput = Partial<MachineLimits>;

export function mergeLimits(base: MachineLimits, over: MachineLimitsInput | undefined): MachineLimits {
  const out = cloneLimits(base);
  if (!over) return out;
  for (const [k, v] of Object.entries(over) as [keyof MachineLimits, unknown][]) {
    if (v === undefined) continue;
    (out as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...(v as number[])] : v;
  }
  return out;
}

/**
 * Limits from a PrusaSlicer / SuperSlicer / OrcaSlicer / Bambu config block (`; machine_max_… = a,b`,
 * first value = normal mode). This is what those slicers' own estimators use when the file does
 * not emit M201–M205 (`machine_limits_usage = time_estimate_only`).
 */
export function limitsFromSlicerConfig(config: ReadonlyMap<string, string>): MachineLimitsInput | undefined {
  const num = (...keys: string[]): number | undefined => {
    for (const key of keys) {
      const raw = config.get(key);
      if (raw === undefined) continue;
      const v = Number.parseFloat(raw.split(',')[0] ?? '');
      if (Number.isFinite(v)) return v;
    }
    return undefined;
  };
  const axes = (kind: string, alt?: string): [number, number, number, number] | undefined => {
    const v = ['x', 'y', 'z', 'e'].map((a) => num(`machine_max_${kind}_${a}`, ...(alt ? [`machine_max_${alt}_${a}`] : [])));
    return v.every((n) => n !== undefined) ? (v as [number, number, number, number]) : undefined;
  };
  const out: MachineLimitsInput = {};
  const feed = axes('feedrate', 'speed');
  if (feed) out.maxFeedrate = feed;
  const acc = axes('acceleration');
  if (acc) out.maxAcceleration = acc;
  const jerk = axes('jerk');
  if (jerk) {
    out.jerk = jerk;
    out.junction = 'jerk';
  }
  const extruding = num('machine_max_acceleration_extruding');
  if (extruding !== undefined) {
    out.printAcceleration = extruding;
    out.maxPrintAcceleration = extruding;
  }
  const retracting = num('machine_max_acceleration_retracting');
  if (retracting !== undefined) {
    out.retractAcceleration = retracting;
    out.maxRetractAcceleration = retracting;
  }
  const travel = num('machine_max_acceleration_travel');
  if (travel !== undefined && travel > 0) {
    out.travelAcceleration = travel;
    out.maxTravelAcceleration = travel;
  } else if (extruding !== undefined) {
    out.travelAcceleration = extruding;
  }
  const minE = num('machine_min_extruding_rate');
  if (minE !== undefined) out.minExtrudingFeedrate = minE;
  const minT = num('machine_min_travel_rate');
  if (minT !== undefined) out.minTravelFeedrate = minT;
  return Object.keys(out).length > 0 ? out : undefined;
}
