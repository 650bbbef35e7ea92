export { GcodeError, isGcodeError, type GcodeErrorCode } from './errors';
export { LineSplitter, checkMagic, type LineSink } from './line-splitter';
export { ParsedLine, parseLine, readNumber } from './gcode-line';
export { Simulator, type SimulationTotals } from './analysis/simulator';
export { resolveArc, arcExtremes, type Arc } from './analysis/arc';
export type { LayerInfo } from './analysis/layer-tracker';
export { Planner, type TimeSink } from './planner/planner';
export type { MotionPlanner } from './planner/motion-planner';
export { RemotePlanner, plannerWorkerAvailable, type PlannerWorkerFactory, type PlannerWorkerData, type PlannerWorkerResult } from './planner/remote-planner';
export { trapezoidTime } from './planner/trapezoid';
export {
  marlinDefaults,
  mergeLimits,
  limitsFromSlicerConfig,
  type MachineLimits,
  type MachineLimitsInput,
} from './planner/machine-limits';
export { MetadataCollector, type SlicerMetadata, type SlicerName } from './metadata/slicer-metadata';
export { MetadataScanner, type FileMetadata } from './metadata/metadata-scanner';
export { parseDuration } from './metadata/duration';
export { ThumbnailCollector, type Thumbnail, type ThumbnailFormat } from './thumbnails/thumbnail-collector';
export { decodeQoi, type DecodedImage } from './thumbnails/qoi';
export { encodePng, pngSize } from './thumbnails/png';
export { jpegSize } from './thumbnails/jpeg';
export { GcodeAnalyzer, analyzeChunks, analyzeBuffer, type AnalyzeOptions, type AnalysisProgress } from './analyzer';
export { readMetadata, analyzeFile, idleCoreLikely, PLANNER_THREAD_MIN_BYTES } from './file-analysis';
export { toJson, type AnalysisResult, type BoundingBox, type ThumbnailInfo } from './result';
export { formatSummary, formatDuration } from './format-summary';
export { analyzeInWorker, defaultWorkerPath, type WorkerAnalyzeOptions } from './worker/worker-client';
export { CachedAnalyzer, LruAnalysisStore, sha256File, type AnalysisStore } from './analysis-cache';
