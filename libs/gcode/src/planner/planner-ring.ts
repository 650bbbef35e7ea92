import type { MachineLimits } from './machine-limits';

/**
 * The one-way channel from the parsing thread to the planner thread: fixed-size records of
 * doubles in a SharedArrayBuffer ring, in the order the simulator issued the calls, so the
 * planner thread replays exactly what an in-thread planner would have seen.
 */
export const RECORD = 8;
/** Records per ring (a power of two): 32 Ki × 64 bytes = 2 MiB. */
export const RING_RECORDS = 1 << 15;
/** The writer publishes and the reader acknowledges every BATCH records (fewer atomics). */
export const BATCH = 1024;

export const OP_MOVE = 1; // dx, dy, dz, de, feed, line
export const OP_DWELL = 2; // seconds, line
export const OP_FLUSH = 3;
export const OP_LIMITS = 4; // part, then RECORD - 2 encoded limit values per record (LIMIT_RECORDS records)
export const OP_LAYER = 5; // tracker, line
export const OP_END = 6;

// Int32 control words
export const CTL_WRITE = 0; // records written (published), wraps at 2^31
export const CTL_READ = 1; // records consumed
export const CTL_DONE = 2; // 0 running, 1 result posted, 2 failed
export const CTL_WORDS = 4;

export interface RingMemory {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function createRingMemory(): RingMemory {
  return {
    control: new SharedArrayBuffer(CTL_WORDS * 4),
    data: new SharedArrayBuffer(RING_RECORDS * RECORD * 8),
  };
}

export const LIMIT_VALUES = 22;
export const LIMIT_RECORDS = Math.ceil(LIMIT_VALUES / (RECORD - 2));

/** The limits as LIMIT_VALUES numbers (fixed order), for the ring. */
export function encodeLimits(L: MachineLimits, out: number[]): void {
  out.length = 0;
  out.push(...L.maxFeedrate, ...L.maxAcceleration, ...L.jerk);
  out.push(L.printAcceleration, L.retractAcceleration, L.travelAcceleration, L.junctionDeviation, L.junction === 'jerk' ? 1 : 0);
  out.push(L.minExtrudingFeedrate, L.minTravelFeedrate, L.maxPrintAcceleration, L.maxRetractAcceleration, L.maxTravelAcceleration);
}

/** Writes encoded limits into `L` in place (the planner keeps its reference to it). */
export function decodeLimits(v: ArrayLike<number>, L: MachineLimits): void {
  for (let a = 0; a < 4; a++) {
    L.maxFeedrate[a] = v[a]!;
    L.maxAcceleration[a] = v[4 + a]!;
    L.jerk[a] = v[8 + a]!;
  }
  L.printAcceleration = v[12]!;
  L.retractAcceleration = v[13]!;
  L.travelAcceleration = v[14]!;
  L.junctionDeviation = v[15]!;
  L.junction = v[16] === 1 ? 'jerk' : 'deviation';
  L.minExtrudingFeedrate = v[17]!;
  L.minTravelFeedrate = v[18]!;
  L.maxPrintAcceleration = v[19]!;
  L.maxRetractAcceleration = v[20]!;
  L.maxTravelAcceleration = v[21]!;
}
