import * as fs from 'node:fs';
import * as path from 'node:path';

/** The shared corpus lives beside the repository: <repo>/../shared/gcode. */
export const CORPUS_DIR = path.resolve(__dirname, '../../../../shared/gcode');

export interface ExpectedFile {
  slicer: string | null;
  slicerVersion: string | null;
  slicerEstimateS: number | null;
  filamentMm: number | null;
  filamentG: number | null;
  layerHeight: number | null;
  firstLayerHeight: number | null;
  nozzleDiameter: number | null;
  filamentType: string | null;
  thumbnails: { width: number; height: number; format: string; base64Chars: number }[];
  lineEnding: string;
  extrusionMode: string;
  computed: {
    lines: number;
    motionCommands: number;
    extrudingMoves: number;
    extrudedMm: number;
    consumedMm: number;
    bboxExtruded: Record<'minX' | 'maxX' | 'minY' | 'maxY' | 'minZ' | 'maxZ', number>;
    layersByZ: number;
  };
}

export function loadExpected(): Record<string, ExpectedFile> {
  return (JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'expected.json'), 'utf8')) as { files: Record<string, ExpectedFile> }).files;
}

export function corpusFiles(): string[] {
  return fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.gcode')).sort();
}
