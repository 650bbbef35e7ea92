import type { SlicerMetadata, SlicerName } from './metadata/slicer-metadata';
import type { Thumbnail, ThumbnailFormat } from './thumbnails/thumbnail-collector';
import type { LayerInfo } from './analysis/layer-tracker';

export interface BoundingBox {
  minX: number;
  minY: number;
  minZ: number;
  maxX: number;
  maxY: number;
  maxZ: number;
}

export interface ThumbnailInfo {
  width: number;
  height: number;
  format: ThumbnailFormat;
  declaredWidth: number;
  declaredHeight: number;
  mimeType: string;
  bytes: number;
}

/**
 * The analysis of one file. The first block of fields is the shape fixed in DESIGN.md
 * ("Interfaces that scripts rely on"); a value the file does not give is null.
 */
export interface AnalysisResult {
  slicer: SlicerName | null;
  slicerVersion: string | null;
  slicerEstimateS: number | null;
  estimateS: number;
  filamentMm: number | null;
  filamentG: number | null;
  layerHeight: number | null;
  layers: number;
  bbox: BoundingBox | null;
  thumbnails: ThumbnailInfo[];
  moves: number;
  /**
   * The box of the extruding moves that print the objects: `bbox` without purge and prime lines,
   * skirt, brim, wipe tower, from the slicer's object markers or else its feature types
   * (`computed.objectsBboxFrom`); null when the file has neither. The size to show people.
   */
  objectsBbox: BoundingBox | null;

  /** Everything else the comments say. */
  metadata: Omit<SlicerMetadata, 'config'>;
  /** Facts computed from the commands. */
  computed: {
    bytes: number;
    lines: number;
    lineEnding: 'LF' | 'CRLF';
    extrusionMode: 'absolute' | 'relative' | null;
    extrudingMoves: number;
    /** E advance beyond the highest E since the last G92 E reset. */
    extrudedMm: number;
    /** Physical filament fed: the maximum of the running sum of E deltas (what slicers report). */
    consumedMm: number;
    layersByZ: number;
    markerLayers: number;
    toolChanges: number;
    toolsUsed: number[];
    arcs: number;
    firmwareRetractions: number;
    /** Σ length ÷ feed rate, no acceleration: what OctoPrint's analysis reports. */
    naiveEstimateS: number;
    /** Time before the first layer starts (heating moves, purge, homing). */
    preambleS: number;
    travelBbox: { minX: number; minY: number; maxX: number; maxY: number } | null;
    /** What `objectsBbox` is based on: `object-markers`, `feature-types`, or null (not known). */
    objectsBboxFrom: 'object-markers' | 'feature-types' | null;
    truncatedLines: number;
    /** Where the planner's starting limits came from. */
    limitsSource: 'defaults' | 'slicer-config' | 'profile';
    junction: 'jerk' | 'deviation';
  };
  /** Per layer: start line, Z, height and planned time. */
  layerList: LayerInfo[];
  warnings: string[];
  /** Decoded images, largest first (not part of the JSON output). */
  images: Thumbnail[];
}

/** The JSON that `printfleet analyze --json` prints: everything but the image bytes. */
export function toJson(r: AnalysisResult): Omit<AnalysisResult, 'images'> {
  const { images: _images, ...rest } = r;
  return rest;
}
