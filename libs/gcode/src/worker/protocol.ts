import type { AnalysisResult } from '../result';
import type { AnalysisProgress } from '../analyzer';
import type { MachineLimitsInput } from '../planner/machine-limits';

/** Messages between the service thread and the analysis worker. */
export type ToWorker = { type: 'analyze'; path: string; limits?: MachineLimitsInput } | { type: 'cancel' };
export type FromWorker =
  | { type: 'progress'; progress: AnalysisProgress }
  | { type: 'done'; result: AnalysisResult }
  | { type: 'error'; code: string | null; message: string };
