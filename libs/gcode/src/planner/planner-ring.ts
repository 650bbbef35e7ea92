import type { MachineLimits } from './machine-limits';

/**
 * The one-way channel from the parsing thread to the planner thread: fixed-size records of
 * doubles in a SharedArrayBuffer ring, in the order the simulator issued the calls, so the
 * planner thread replays exactly what an in-thread planner would have seen.
 */
export const RECORD = 8;
/**
 * Records per ring (a power of two): 64 Ki × 64 bytes = 4 MiB, some 5 ms of planning, to ride out
 * the other thread being descheduled for a while; larger rings did not measure faster and count
 * against the memory goal (peak RSS growth < 64 MB on a 500 MB file).
 */
export const RING_RECORDS = 1 << 16;
/** The writer publishes and the reader acknowledges every BATCH records (fewer atomics). */
export const BATCH = 1024;

export const OP_MOVE = 1; // dx, dy, dz, de, feed, line, xyz length
export const OP_DWELL = 2; // seconds, line
export const OP_FLUSH = 3;
export const OP_LIMITS = 4; // part, then RECORD - 2 encoded limit values per record (LIMIT_RECORDS records)
export const OP_LAYER = 5; // layer list, line
export const OP_END = 6;
export const OP_ACCEL = 7; // print, retract, travel acceleration (M204: most limit changes)

/** Where the three M204 accelerations sit in the encoded limits. */
export const ENC_PRINT_ACC = 12;

// Int32 control words
export const CTL_WRITE = 0; // records written (published), wraps at 2^31
export const CTL_READ = 1; // records consumed
export const CTL_DONE = 2; // 0 running, 1 result posted, 2 failed
export const CTL_CANCEL = 3; // set by the parsing thread when it abandons the analysis
export const CTL_WORDS = 4;

/** Writes a move record at `i`: the planner's `input` (dx, dy, dz, de, feed, length) and the line. */
export function writeMove(data: Float64Array, i: number, input: Float64Array, line: number): void {
  data[i] = OP_MOVE;
  data[i + 1] = input[0]!;
  data[i + 2] = input[1]!;
  data[i + 3] = input[2]!;
  data[i + 4] = input[3]!;
  data[i + 5] = input[4]!;
  data[i + 6] = line;
  data[i + 7] = input[5]!;
}

/** Reads the move record at `i` back into a planner's `input`; returns its line. */
export function readMove(data: Float64Array, i: number, input: Float64Array): number {
  input[0] = data[i + 1]!;
  input[1] = data[i + 2]!;
  input[2] = data[i + 3]!;
  input[3] = data[i + 4]!;
  input[4] = data[i + 5]!;
  input[5] = data[i + 7]!;
  return data[i + 6]!;
}

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

/** The limits as LIMIT_VALUES numbers (fixed order), for the ring; allocates nothing. */
export function encodeLimits(L: MachineLimits, out: Float64Array): void {
  for (let a = 0; a < 4; a++) {
    out[a] = L.maxFeedrate[a]!;
    out[4 + a] = L.maxAcceleration[a]!;
    out[8 + a] = L.jerk[a]!;
  }
  out[12] = L.printAcceleration;
  out[13] = L.retractAcceleration;
  out[14] = L.travelAcceleration;
  out[15] = L.junctionDeviation;
  out[16] = L.junction === 'jerk' ? 1 : 0;
  out[17] = L.minExtrudingFeedrate;
  out[18] = L.minTravelFeedrate;
  out[19] = L.maxPrintAcceleration;
  out[20] = L.maxRetractAcceleration;
  out[21] = L.maxTravelAcceleration;
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
