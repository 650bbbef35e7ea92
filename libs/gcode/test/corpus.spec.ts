import * as path from 'node:path';
import { analyzeFile, readMetadata, type AnalysisResult } from '../src';
import { CORPUS_DIR, corpusFiles, loadExpected } from './corpus';

const expected = loadExpected();
const files = corpusFiles();
const results = new Map<string, AnalysisResult>();

beforeAll(async () => {
  for (const f of files) results.set(f, await analyzeFile(path.join(CORPUS_DIR, f)));
});

test('every corpus file has an entry in expected.json and vice versa', () => {
  expect(files.sort()).toEqual(Object.keys(expected).sort());
  expect(files.length).toBeGreaterThanOrEqual(17);
});

describe.each(files)('%s', (file) => {
  const exp = expected[file]!;
  const get = () => results.get(file)!;

  test('metadata as the slicer wrote it', () => {
    const r = get();
    expect({
      slicer: r.slicer,
      slicerVersion: r.slicerVersion,
      slicerEstimateS: r.slicerEstimateS,
      filamentMm: r.filamentMm,
      filamentG: r.filamentG,
      layerHeight: r.layerHeight,
      firstLayerHeight: r.metadata.firstLayerHeight,
      nozzleDiameter: r.metadata.nozzleDiameter,
      filamentType: r.metadata.filamentType,
    }).toEqual({
      slicer: exp.slicer,
      slicerVersion: exp.slicerVersion,
      slicerEstimateS: exp.slicerEstimateS,
      filamentMm: exp.filamentMm,
      filamentG: exp.filamentG,
      layerHeight: exp.layerHeight,
      firstLayerHeight: exp.firstLayerHeight,
      nozzleDiameter: exp.nozzleDiameter,
      filamentType: exp.filamentType,
    });
  });

  test('thumbnails decode to images of the stated size, largest first', () => {
    const r = get();
    const want = [...exp.thumbnails].sort((a, b) => b.width * b.height - a.width * a.height);
    expect(r.thumbnails.map((t) => ({ width: t.width, height: t.height, format: t.format }))).toEqual(
      want.map((t) => ({ width: t.width, height: t.height, format: t.format })),
    );
    for (const [i, img] of r.images.entries()) {
      expect(img.width).toBe(img.declaredWidth);
      expect(img.height).toBe(img.declaredHeight);
      expect(img.base64Chars).toBe(want[i]!.base64Chars);
      // what is offered is always PNG or JPEG
      expect(img.data.subarray(0, 4).toString('latin1')).toMatch(/^\x89PNG|^\xff\xd8/);
    }
  });

  test('facts computed from the moves', () => {
    const r = get();
    const c = exp.computed;
    expect(r.computed.lines).toBe(c.lines);
    expect(r.moves).toBe(c.motionCommands);
    expect(r.computed.extrudingMoves).toBe(c.extrudingMoves);
    expect(r.computed.extrudedMm).toBeCloseTo(c.extrudedMm, 2);
    expect(r.computed.consumedMm).toBeCloseTo(c.consumedMm, 2);
    expect(r.computed.layersByZ).toBe(c.layersByZ);
    expect(r.computed.lineEnding).toBe(exp.lineEnding);
    expect(r.computed.extrusionMode).toBe(exp.extrusionMode);
    for (const k of ['minX', 'maxX', 'minY', 'maxY', 'minZ', 'maxZ'] as const) expect(r.bbox![k]).toBeCloseTo(c.bboxExtruded[k], 2);
  });

  test('layers: the slicer marks or distinct Z, each with a start line and a time', () => {
    const r = get();
    expect(r.layers).toBeGreaterThan(0);
    expect(r.layerList).toHaveLength(r.layers === r.computed.markerLayers ? r.computed.markerLayers : r.layerList.length);
    const lines = r.layerList.map((l) => l.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    const total = r.layerList.reduce((a, l) => a + l.timeS, 0) + r.computed.preambleS;
    expect(total).toBeCloseTo(r.estimateS, -1);
  });

  test('the metadata fast path agrees with the full pass', async () => {
    const fast = await readMetadata(path.join(CORPUS_DIR, file));
    expect(fast.metadata.slicerEstimateS).toBe(exp.slicerEstimateS);
    expect(fast.thumbnails).toHaveLength(exp.thumbnails.length);
  });
});

describe('own time estimate against slicers that model the firmware planner', () => {
  const planners = files.filter((f) => /^(prusaslicer|superslicer|orcaslicer)/.test(f) && expected[f]!.slicerEstimateS !== null);

  test('median error within 3 %, none beyond 10 %', () => {
    const errors = planners.map((f) => {
      const r = results.get(f)!;
      return Math.abs(r.estimateS - r.slicerEstimateS!) / r.slicerEstimateS!;
    });
    expect(errors.length).toBeGreaterThanOrEqual(5);
    const sorted = [...errors].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median).toBeLessThan(0.03);
    expect(Math.max(...errors)).toBeLessThan(0.1);
  });

  test('is closer to the slicer than the naive distance ÷ feed estimate', () => {
    for (const f of planners) {
      const r = results.get(f)!;
      expect(Math.abs(r.estimateS - r.slicerEstimateS!)).toBeLessThan(Math.abs(r.computed.naiveEstimateS - r.slicerEstimateS!));
    }
  });
});
