import { GcodeError } from './errors';
import { LineSplitter } from './line-splitter';
import { Simulator } from './analysis/simulator';
import { plannerWorkerAvailable, RemotePlanner, type PlannerWorkerFactory } from './planner/remote-planner';
import { round } from './analysis/layer-tracker';
import { limitsFromSlicerConfig, marlinDefaults, mergeLimits, type MachineLimitsInput } from './planner/machine-limits';
import { MetadataScanner, type FileMetadata } from './metadata/metadata-scanner';
import type { AnalysisResult } from './result';

export interface AnalysisProgress {
  bytes: number;
  /** Known when the caller gave `totalBytes`. */
  totalBytes: number | null;
  fraction: number | null;
}

export interface AnalyzeOptions {
  /** The printer profile's firmware limits; override the slicer's config and Marlin defaults. */
  limits?: MachineLimitsInput;
  /** Metadata already read from the head and tail (the fast path); skips collecting it again. */
  metadata?: FileMetadata;
  /** Total size, for progress fractions. */
  totalBytes?: number;
  onProgress?: (p: AnalysisProgress) => void;
  signal?: AbortSignal;
  /** Bytes of the head and the tail whose comments are read for metadata (default 512 KiB each). */
  headBytes?: number;
  tailBytes?: number;
  /** Longer lines are truncated (default 64 KiB). */
  maxLineBytes?: number;
  /**
   * Run the motion planner on a worker thread, overlapping parsing and planning (same results).
   * `true` starts the compiled `planner-worker.js` (planning stays in this thread where there is
   * none, e.g. running the TypeScript sources); a function starts a worker its own way.
   * Default: off for `GcodeAnalyzer`/`analyzeBuffer`/`analyzeChunks`; `analyzeFile` turns it on
   * for large files. Call `close()` if an analysis is abandoned before `end()`.
   */
  plannerThread?: boolean | PlannerWorkerFactory;
}

export const DEFAULT_HEAD_BYTES = 512 * 1024;
export const DEFAULT_TAIL_BYTES = 512 * 1024;
const MAX_HEAD_BYTES = 32 * 1024 * 1024;

/**
 * Streaming analysis of one file: `push` byte chunks in order, then `end()`. Never holds more
 * than the current chunk, the tail window and one partial line. Chunks must not be modified
 * after being pushed (the tail window keeps references to them).
 */
export class GcodeAnalyzer {
  private readonly sim: Simulator;
  private readonly remote: RemotePlanner | null;
  private readonly splitter: LineSplitter;
  private readonly scanner: MetadataScanner | null;
  private readonly limitsSource: AnalysisResult['computed']['limitsSource'];
  private bytes = 0;
  private headOpen: boolean;
  private headEnd = 0;
  private readonly tail: Buffer[] = [];
  private tailLen = 0;
  private lastProgress = 0;

  constructor(private readonly opts: AnalyzeOptions = {}) {
    let limits = marlinDefaults();
    let source: AnalysisResult['computed']['limitsSource'] = 'defaults';
    const fromConfig = opts.metadata ? limitsFromSlicerConfig(opts.metadata.metadata.config) : undefined;
    if (fromConfig) {
      limits = mergeLimits(limits, fromConfig);
      source = 'slicer-config';
    }
    if (opts.limits) {
      limits = mergeLimits(limits, opts.limits);
      source = 'profile';
    }
    this.limitsSource = source;
    const thread = opts.plannerThread;
    // without the compiled worker entry (running the TypeScript sources), plan in this thread
    const useThread = typeof thread === 'function' || (thread === true && plannerWorkerAvailable());
    this.remote = useThread ? new RemotePlanner(limits, typeof thread === 'function' ? thread : undefined) : null;
    this.sim = new Simulator(limits, this.remote);
    this.splitter = new LineSplitter(this.sim, opts.maxLineBytes ?? 1 << 16);
    this.scanner = opts.metadata ? null : new MetadataScanner();
    this.headOpen = this.scanner !== null;
    if (this.scanner !== null) {
      const scanner = this.scanner;
      this.sim.onComment = (buf, start, end) => scanner.addLine(buf.toString('utf8', start, end));
    }
  }

  push(chunk: Buffer): void {
    const signal = this.opts.signal;
    if (signal?.aborted) throw new GcodeError('ABORTED', 'analysis cancelled');
    this.splitter.push(chunk);
    // let the planner thread work on this chunk's moves while the next chunk is read
    this.remote?.publish();
    this.bytes += chunk.length;
    if (this.headOpen) {
      const limit = this.opts.headBytes ?? DEFAULT_HEAD_BYTES;
      if (this.bytes >= limit && (!this.scanner!.needsMore || this.bytes >= MAX_HEAD_BYTES)) {
        this.headOpen = false;
        this.sim.onComment = null;
        const nl = chunk.lastIndexOf(10);
        this.headEnd = this.bytes - chunk.length + nl + 1;
        this.tail.push(chunk);
        this.tailLen += chunk.length;
      }
    } else if (this.scanner !== null) {
      this.tail.push(chunk);
      this.tailLen += chunk.length;
      const keep = this.opts.tailBytes ?? DEFAULT_TAIL_BYTES;
      while (this.tail.length > 1 && this.tailLen - this.tail[0]!.length >= keep) this.tailLen -= this.tail.shift()!.length;
    }
    const onProgress = this.opts.onProgress;
    if (onProgress && this.bytes - this.lastProgress >= 1 << 20) {
      this.lastProgress = this.bytes;
      onProgress(this.progress());
    }
  }

  private progress(): AnalysisProgress {
    const total = this.opts.totalBytes ?? null;
    return { bytes: this.bytes, totalBytes: total, fraction: total ? Math.min(1, this.bytes / total) : null };
  }

  /** Stops the planner thread, if any (`end()` does it too). */
  close(): void {
    this.remote?.close();
  }

  end(): AnalysisResult {
    this.splitter.end();
    if (this.bytes === 0) throw new GcodeError('EMPTY', 'the file is empty');
    let fileMeta: FileMetadata;
    if (this.scanner !== null) {
      if (this.tail.length > 0) {
        const tailBuf = Buffer.concat(this.tail);
        const tailStart = this.bytes - tailBuf.length;
        const keep = this.opts.tailBytes ?? DEFAULT_TAIL_BYTES;
        const from = Math.max(this.headEnd, this.bytes - keep);
        this.scanner.addBytes(tailBuf, Math.max(0, from - tailStart), tailBuf.length, from > this.headEnd);
      }
      fileMeta = this.scanner.result();
    } else fileMeta = this.opts.metadata!;
    const t = this.sim.finish();
    if (t.motionCommands === 0) throw new GcodeError('NO_MOTION', 'no G0/G1/G2/G3 move in the file: nothing to print');
    this.opts.onProgress?.(this.progress());

    const sim = this.sim;
    const m = fileMeta.metadata;
    const useMarkers = sim.markerLayers.count > 0;
    const tracker = useMarkers ? sim.markerLayers : sim.zLayers;
    const sp = this.splitter;
    const { config: _config, ...metadata } = m;
    const box = (b: typeof t.bbox) =>
      b === null ? null : { minX: r3(b.minX), minY: r3(b.minY), minZ: r3(b.minZ), maxX: r3(b.maxX), maxY: r3(b.maxY), maxZ: r3(b.maxZ) };
    return {
      slicer: m.slicer,
      slicerVersion: m.slicerVersion,
      slicerEstimateS: m.slicerEstimateS,
      estimateS: Math.round(t.estimateS),
      filamentMm: m.filamentMm,
      filamentG: m.filamentG,
      layerHeight: m.layerHeight,
      layers: useMarkers ? sim.markerLayers.count : t.layersByZ,
      bbox: box(t.bbox),
      thumbnails: fileMeta.thumbnails.map((th) => ({
        width: th.width,
        height: th.height,
        format: th.format,
        declaredWidth: th.declaredWidth,
        declaredHeight: th.declaredHeight,
        mimeType: th.mimeType,
        bytes: th.data.length,
      })),
      moves: t.motionCommands,
      objectsBbox: box(t.objectsBbox),
      metadata,
      computed: {
        bytes: this.bytes,
        lines: sp.lines,
        lineEnding: sp.crlfLines > sp.lfLines ? 'CRLF' : 'LF',
        extrusionMode: t.relativeMoves + t.absoluteMoves === 0 ? null : t.relativeMoves > t.absoluteMoves ? 'relative' : 'absolute',
        extrudingMoves: t.extrudingMoves,
        extrudedMm: r3(t.extrudedMm),
        consumedMm: r3(t.consumedMm),
        layersByZ: t.layersByZ,
        markerLayers: sim.markerLayers.count,
        toolChanges: t.toolChanges,
        toolsUsed: t.toolsUsed,
        arcs: t.arcs,
        firmwareRetractions: t.firmwareRetractions,
        naiveEstimateS: Math.round(t.naiveS),
        preambleS: round(tracker.preambleTime, 3),
        travelBbox: t.travelBbox,
        objectsBboxFrom: t.objectsBboxFrom,
        truncatedLines: sp.truncatedLines,
        limitsSource: this.limitsSource,
        junction: sim.planner.limits.junction,
      },
      layerList: tracker.toLayers(),
      warnings: [...fileMeta.warnings, ...(sp.truncatedLines > 0 ? [`${sp.truncatedLines} over-long lines were truncated`] : [])],
      images: fileMeta.thumbnails,
    };
  }
}

function r3(v: number): number {
  return round(v, 3);
}

/** Analyses a stream of byte chunks (a file stream, an upload, an array of Buffers). */
export async function analyzeChunks(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  opts: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const a = new GcodeAnalyzer(opts);
  try {
    for await (const chunk of source) a.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return a.end();
  } finally {
    a.close();
  }
}

/** Analyses G-code held in memory (tests, small inputs). */
export function analyzeBuffer(data: Buffer | string, opts: AnalyzeOptions = {}): AnalysisResult {
  const a = new GcodeAnalyzer(opts);
  try {
    a.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    return a.end();
  } finally {
    a.close();
  }
}
