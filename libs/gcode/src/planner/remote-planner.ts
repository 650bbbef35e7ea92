import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { GcodeError } from '../errors';
import type { MachineLimits } from './machine-limits';
import type { MotionPlanner } from './motion-planner';
import {
  BATCH,
  CTL_CANCEL,
  CTL_DONE,
  CTL_READ,
  CTL_WRITE,
  LIMIT_RECORDS,
  OP_ACCEL,
  OP_DWELL,
  ENC_PRINT_ACC,
  OP_END,
  OP_FLUSH,
  OP_LAYER,
  OP_LIMITS,
  RECORD,
  RING_RECORDS,
  createRingMemory,
  encodeLimits,
  writeMove,
  type RingMemory,
} from './planner-ring';

/** What the planner thread gets in `workerData`. */
export interface PlannerWorkerData {
  memory: RingMemory;
  limits: MachineLimits;
  port: MessagePort;
}

/** What it posts back once the END record is processed. */
export interface PlannerWorkerResult {
  totalTime: number;
  /** Per layer list (0 markers, 1 Z): time per layer and time before the first layer. */
  layerTimes: [number[], number[]];
  preambleTimes: [number, number];
  error?: string;
}

/** Starts the planner thread: the compiled `planner-worker.js` beside this file by default. */
export type PlannerWorkerFactory = (workerData: PlannerWorkerData, transferList: MessagePort[]) => Worker;

const workerPath = (): string => path.join(__dirname, 'planner-worker.js');

/** True when the compiled worker entry exists (not under ts-jest/swc running the sources). */
export function plannerWorkerAvailable(): boolean {
  return existsSync(workerPath());
}

/**
 * The worker allocates next to nothing per move (typed arrays, in-place numbers), so a small heap
 * suffices; without limits V8 sizes a fresh isolate's young generation for throughput and the
 * process's peak RSS grows by tens of MB.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64, stackSizeMb: 1 };

const defaultFactory: PlannerWorkerFactory = (workerData, transferList) =>
  new Worker(workerPath(), { workerData, transferList, resourceLimits: WORKER_LIMITS });

/** How long the parsing thread waits for the planner thread to make progress before giving up. */
const STALL_MS = 30_000;

/**
 * The parsing thread's side of a planner running on a worker thread: every call becomes a record
 * in a shared ring, and `finish` (from `Simulator.finish`) blocks until the worker has
 * planned everything and posted the time totals. Parsing and planning then overlap: on a 2-core
 * machine the planner (the costliest part per move) no longer adds to the parse time.
 * Blocking with `Atomics.wait` keeps the analyzer's API synchronous.
 */
export class RemotePlanner implements MotionPlanner {
  readonly input = new Float64Array(6);
  totalTime = 0;
  private readonly ctl: Int32Array;
  private readonly data: Float64Array;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private written = 0;
  private readCached = 0;
  // limits as last sent to the worker, and a scratch copy to compare with (size: whole records)
  private readonly sent = new Float64Array(LIMIT_RECORDS * (RECORD - 2));
  private readonly encoded = new Float64Array(LIMIT_RECORDS * (RECORD - 2));
  private result: PlannerWorkerResult | null = null;

  constructor(
    readonly limits: MachineLimits,
    factory: PlannerWorkerFactory = defaultFactory,
  ) {
    const memory = createRingMemory();
    this.ctl = new Int32Array(memory.control);
    this.data = new Float64Array(memory.data);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = factory({ memory, limits, port: port2 }, [port2]);
    this.worker.unref();
    // errors surface through CTL_DONE / the stall timeout; avoid an unhandled 'error' event
    this.worker.on('error', () => undefined);
    encodeLimits(limits, this.sent);
  }

  /** Index of a fresh record, waiting for the worker when the ring is full. */
  private reserve(): number {
    const w = this.written;
    // publish the records before this one: they are complete (a record is filled in right after
    // `reserve` returns, so publishing its own index here would let the worker read it half-written)
    if ((w & (BATCH - 1)) === 0) this.publish();
    if (((w - this.readCached) | 0) >= RING_RECORDS) this.waitForRoom();
    this.written = (w + 1) | 0;
    return (w & (RING_RECORDS - 1)) * RECORD;
  }

  private waitForRoom(): void {
    this.publish();
    let last = Atomics.load(this.ctl, CTL_READ);
    let since = Date.now();
    while (((this.written - last) | 0) >= RING_RECORDS) {
      this.checkFailed();
      Atomics.wait(this.ctl, CTL_READ, last, 1000);
      const r = Atomics.load(this.ctl, CTL_READ);
      if (r !== last) {
        last = r;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) this.fail('the planner thread stopped responding');
    }
    this.readCached = last;
  }

  /** Makes every record written so far visible to the worker (also done every BATCH records). */
  publish(): void {
    Atomics.store(this.ctl, CTL_WRITE, this.written);
    Atomics.notify(this.ctl, CTL_WRITE);
  }

  queueMove(line: number): void {
    writeMove(this.data, this.reserve(), this.input, line);
  }

  dwell(seconds: number, line: number): void {
    const i = this.reserve();
    this.data[i] = OP_DWELL;
    this.data[i + 1] = seconds;
    this.data[i + 2] = line;
  }

  flush(): void {
    this.data[this.reserve()] = OP_FLUSH;
  }

  limitsChanged(): void {
    const enc = this.encoded;
    const sent = this.sent;
    encodeLimits(this.limits, enc);
    // slicers repeat M204 with the same values (PrusaSlicer: before every feature)
    let changed = 0;
    let onlyAccel = true;
    for (let k = 0; k < enc.length; k++)
      if (!Object.is(enc[k], sent[k])) {
        changed++;
        if (k < ENC_PRINT_ACC || k > ENC_PRINT_ACC + 2) onlyAccel = false;
      }
    if (changed === 0) return;
    sent.set(enc);
    if (onlyAccel) {
      const i = this.reserve();
      this.data[i] = OP_ACCEL;
      this.data[i + 1] = enc[ENC_PRINT_ACC]!;
      this.data[i + 2] = enc[ENC_PRINT_ACC + 1]!;
      this.data[i + 3] = enc[ENC_PRINT_ACC + 2]!;
      return;
    }
    const per = RECORD - 2;
    for (let part = 0; part < LIMIT_RECORDS; part++) {
      const i = this.reserve();
      this.data[i] = OP_LIMITS;
      this.data[i + 1] = part;
      for (let k = 0; k < per; k++) this.data[i + 2 + k] = enc[part * per + k]!;
    }
  }

  layerStarted(list: number, line: number): void {
    const i = this.reserve();
    this.data[i] = OP_LAYER;
    this.data[i + 1] = list;
    this.data[i + 2] = line;
  }

  /** Ends the stream and waits for the worker's totals; the worker thread then exits. */
  finish(): PlannerWorkerResult {
    if (this.result !== null) return this.result;
    this.data[this.reserve()] = OP_END;
    this.publish();
    let last = Atomics.load(this.ctl, CTL_READ);
    let since = Date.now();
    while (Atomics.load(this.ctl, CTL_DONE) === 0) {
      Atomics.wait(this.ctl, CTL_DONE, 0, 1000);
      const r = Atomics.load(this.ctl, CTL_READ);
      if (r !== last) {
        last = r;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) this.fail('the planner thread stopped responding');
    }
    this.checkFailed();
    const msg = receiveMessageOnPort(this.port);
    if (msg === undefined) this.fail('the planner thread posted no result');
    const result = msg.message as PlannerWorkerResult;
    if (result.error !== undefined) this.fail(result.error);
    this.result = result;
    this.totalTime = result.totalTime;
    this.close();
    return result;
  }

  /** Stops the worker (after `finish`, or when the analysis is abandoned). */
  close(): void {
    // wake a worker waiting for records so that it sees the cancellation and returns
    Atomics.store(this.ctl, CTL_CANCEL, 1);
    Atomics.notify(this.ctl, CTL_WRITE);
    this.port.close();
    void this.worker.terminate();
  }

  private checkFailed(): void {
    if (Atomics.load(this.ctl, CTL_DONE) === 2) {
      const msg = receiveMessageOnPort(this.port);
      this.fail((msg?.message as PlannerWorkerResult | undefined)?.error ?? 'the planner thread failed');
    }
  }

  private fail(message: string): never {
    this.close();
    throw new GcodeError('IO', `time estimate: ${message}`);
  }
}
