import { workerData } from 'node:worker_threads';
import { LayerTracker } from '../analysis/layer-tracker';
import { Planner } from './planner';
import { decodeLimits, BATCH, CTL_CANCEL, OP_ACCEL, CTL_DONE, CTL_READ, CTL_WRITE, LIMIT_RECORDS, OP_DWELL, OP_END, OP_FLUSH, OP_LAYER, OP_LIMITS, OP_MOVE, RECORD, RING_RECORDS } from './planner-ring';
import type { PlannerWorkerData, PlannerWorkerResult } from './remote-planner';

/**
 * Planner thread entry (see `RemotePlanner`): replays the ring's records on a `Planner` and two
 * layer trackers that only attribute time, then posts the totals.
 */
function run(wd: PlannerWorkerData): void {
  const ctl = new Int32Array(wd.memory.control);
  const data = new Float64Array(wd.memory.data);
  const trackers = [new LayerTracker(), new LayerTracker()] as const;
  const planner = new Planner(wd.limits, {
    moveTime(line: number, seconds: number): void {
      trackers[0].addTime(line, seconds);
      trackers[1].addTime(line, seconds);
    },
  });
  const limitValues = new Float64Array(LIMIT_RECORDS * (RECORD - 2));
  const input = planner.input;
  let read = 0;
  for (;;) {
    let written = Atomics.load(ctl, CTL_WRITE);
    while (written === read) {
      if (Atomics.load(ctl, CTL_CANCEL) !== 0) return;
      Atomics.wait(ctl, CTL_WRITE, read);
      written = Atomics.load(ctl, CTL_WRITE);
    }
    while (read !== written) {
      const i = (read & (RING_RECORDS - 1)) * RECORD;
      read = (read + 1) | 0;
      const op = data[i];
      if (op === OP_MOVE) {
        input[0] = data[i + 1]!;
        input[1] = data[i + 2]!;
        input[2] = data[i + 3]!;
        input[3] = data[i + 4]!;
        input[4] = data[i + 5]!;
        input[5] = data[i + 7]!;
        planner.queueMove(data[i + 6]!);
      } else if (op === OP_LAYER) trackers[data[i + 1]!]!.start(data[i + 2]!);
      else if (op === OP_ACCEL) planner.setAccelerations(data[i + 1]!, data[i + 2]!, data[i + 3]!);
      else if (op === OP_DWELL) planner.dwell(data[i + 1]!, data[i + 2]!);
      else if (op === OP_FLUSH) planner.flush();
      else if (op === OP_LIMITS) {
        const part = data[i + 1]!;
        for (let k = 0; k < RECORD - 2; k++) limitValues[part * (RECORD - 2) + k] = data[i + 2 + k]!;
        if (part === LIMIT_RECORDS - 1) {
          decodeLimits(limitValues, planner.limits);
          planner.limitsChanged();
        }
      } else if (op === OP_END) {
        planner.flush();
        const result: PlannerWorkerResult = {
          totalTime: planner.totalTime,
          layerTimes: [trackers[0].time, trackers[1].time],
          preambleTimes: [trackers[0].preambleTime, trackers[1].preambleTime],
        };
        wd.port.postMessage(result);
        Atomics.store(ctl, CTL_READ, read);
        Atomics.store(ctl, CTL_DONE, 1);
        Atomics.notify(ctl, CTL_DONE);
        return;
      }
      if ((read & (BATCH - 1)) === 0) {
        Atomics.store(ctl, CTL_READ, read);
        Atomics.notify(ctl, CTL_READ);
      }
    }
    Atomics.store(ctl, CTL_READ, read);
    Atomics.notify(ctl, CTL_READ);
  }
}

const wd = workerData as PlannerWorkerData | null;
if (wd?.memory) {
  try {
    run(wd);
  } catch (e) {
    wd.port.postMessage({ totalTime: 0, layerTimes: [[], []], preambleTimes: [0, 0], error: (e as Error).message } satisfies PlannerWorkerResult);
    const ctl = new Int32Array(wd.memory.control);
    Atomics.store(ctl, CTL_DONE, 2);
    Atomics.notify(ctl, CTL_DONE);
  }
}
