import { workerData } from 'node:worker_threads';
import { LayerTimes } from '../analysis/layer-times';
import { Planner } from './planner';
import {
  decodeLimits,
  readMove,
  BATCH,
  CTL_CANCEL,
  OP_ACCEL,
  CTL_DONE,
  CTL_READ,
  CTL_WRITE,
  LIMIT_RECORDS,
  OP_DWELL,
  OP_END,
  OP_FLUSH,
  OP_LAYER,
  OP_LIMITS,
  OP_MOVE,
  RECORD,
  RING_RECORDS,
} from './planner-ring';
import type { PlannerWorkerData, PlannerWorkerResult } from './remote-planner';

/**
 * Planner thread entry (see `RemotePlanner`): replays the ring's records on a `Planner` and its
 * own `LayerTimes` (layer starts and times only), then posts the totals.
 */
function run(wd: PlannerWorkerData): void {
  const ctl = new Int32Array(wd.memory.control);
  const data = new Float64Array(wd.memory.data);
  const layers = new LayerTimes();
  const planner = new Planner(wd.limits, layers);
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
      if (op === OP_MOVE) planner.queueMove(readMove(data, i, input));
      else if (op === OP_LAYER) layers.list(data[i + 1]!).start(data[i + 2]!);
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
          layerTimes: [layers.markers.time, layers.byZ.time],
          preambleTimes: [layers.markers.preambleTime, layers.byZ.preambleTime],
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
