import type { BoundingBox } from '@printfleet/scheduling';

export type AnalysisState = 'pending' | 'done' | 'failed';

export interface ThumbnailSummary {
  index: number;
  width: number;
  height: number;
  mimeType: string;
}

/** One stored file: content by sha256 on disk, everything else here. */
export interface FileRecord {
  id: string;
  sha256: string;
  /** The uploader's name for it: data only, never used as a path. */
  name: string;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  folder: string | null;
  tags: string[];
  analysisState: AnalysisState;
  analysisError: string | null;
  estimateS: number | null;
  filamentMm: number | null;
  bbox: BoundingBox | null;
  thumbnails: ThumbnailSummary[];
  lastPrintedAt: string | null;
}

export interface StoredThumbnail {
  width: number;
  height: number;
  mimeType: string;
  data: Buffer;
}
