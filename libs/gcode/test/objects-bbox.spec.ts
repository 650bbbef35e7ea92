import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeBuffer, analyzeFile, toJson, type AnalysisResult, type BoundingBox } from '../src';
import { CORPUS_DIR, corpusFiles } from './corpus';

/**
 * `objectsBbox` on the real slicer files: what each file marks (checked by grep when this was
 * written) decides where it comes from.
 */
const SOURCE: Record<string, 'object-markers' | 'feature-types' | null> = {
  'cura-2.3.1-puzzle.gcode': 'feature-types', // ;TYPE: only
  'cura-3.6.0-calibration-cube.gcode': 'object-markers', // ;MESH:
  'cura-master-part.gcode': 'feature-types',
  'curaengine-4.13-cube-ender3.gcode': 'object-markers', // ;MESH:
  'ideamaker-3.4.0-calibration-box.gcode': 'feature-types',
  'prusaslicer-2.1.1-part-nothumb.gcode': 'object-markers', // ; printing object (no ;TYPE: in 2.1)
  'prusaslicer-2.5.0-bracket-ender3-marlin2.gcode': 'feature-types', // label objects off
  'prusaslicer-2.5.0-cube-ender3-abs.gcode': 'feature-types',
  'prusaslicer-2.5.0-cube-mk3s.gcode': 'object-markers',
  'prusaslicer-2.6.1-benchy-png.gcode': 'object-markers',
  'prusaslicer-2.7.4-screw-arcs-png.gcode': 'object-markers',
  'prusaslicer-2.8.1-minicube-qoi.gcode': 'object-markers', // M486
  'simplify3d-4.0.1-benchy-dual.gcode': 'feature-types', // bare `; outer perimeter`
  'simplify3d-4.1.2-part-m83.gcode': 'feature-types', // `; feature outer perimeter`
  'slic3r-1.2.9-rrf-part.gcode': null, // no markers of any kind
  'slic3r-1.3.0-ring-fwretract.gcode': null,
  'slic3r-1.33.3-prusa3d-benchy.gcode': null,
};

const files = corpusFiles();
const results = new Map<string, AnalysisResult>();
const text = (f: string) => fs.readFileSync(path.join(CORPUS_DIR, f), 'latin1');
const size = (b: BoundingBox) => ({ w: b.maxX - b.minX, d: b.maxY - b.minY, h: b.maxZ });

beforeAll(async () => {
  for (const f of files) results.set(f, await analyzeFile(path.join(CORPUS_DIR, f), { plannerThread: false }));
});

test('every corpus file is listed', () => {
  expect(Object.keys(SOURCE).sort()).toEqual([...files].sort());
});

describe.each(files)('%s', (file) => {
  test('objectsBbox: from what the file marks, inside bbox', () => {
    const r = results.get(file)!;
    expect(r.computed.objectsBboxFrom).toBe(SOURCE[file]);
    if (SOURCE[file] === null) {
      expect(r.objectsBbox).toBeNull();
      return;
    }
    const o = r.objectsBbox!;
    const b = r.bbox!;
    expect(o.minX).toBeGreaterThanOrEqual(b.minX);
    expect(o.minY).toBeGreaterThanOrEqual(b.minY);
    expect(o.minZ).toBeGreaterThanOrEqual(b.minZ);
    expect(o.maxX).toBeLessThanOrEqual(b.maxX);
    expect(o.maxY).toBeLessThanOrEqual(b.maxY);
    expect(o.maxZ).toBeLessThanOrEqual(b.maxZ);
    // every file here prints to its full height inside its objects
    expect(o.maxZ).toBe(b.maxZ);
    // the JSON of `printfleet analyze --json` carries it
    expect(JSON.parse(JSON.stringify(toJson(r))).objectsBbox).toEqual(o);
  });
});

/**
 * Model size minus one external perimeter width: the nozzle's centre line runs half a width inside
 * the surface on each side. ±0.1 mm for the rest: the slicer samples sloped faces (the Benchy's
 * bow) at layer heights, and rounds coordinates to 0.001–0.01 mm.
 */
function expectFootprint(r: AnalysisResult, model: { w: number; d: number; h: number }, width: number): void {
  const s = size(r.objectsBbox!);
  expect(Math.abs(s.w - (model.w - width))).toBeLessThanOrEqual(0.1);
  expect(Math.abs(s.d - (model.d - width))).toBeLessThanOrEqual(0.1);
  expect(s.h).toBeCloseTo(model.h, 2);
}

describe('the objects’ real size', () => {
  /** 3DBenchy: 60.0 × 31.0 × 48.0 mm (its published dimensions). */
  const BENCHY = { w: 60, d: 31, h: 48 };

  test('PrusaSlicer 2.6.1 Benchy: about 60 × 31 × 48, not the 130 × 107 of its purge line', () => {
    const f = 'prusaslicer-2.6.1-benchy-png.gcode';
    const r = results.get(f)!;
    expect(size(r.bbox!).w).toBeCloseTo(130, 0);
    expect(size(r.bbox!).d).toBeCloseTo(107.2, 1);
    const width = Number(/^; external perimeters extrusion width = ([\d.]+)mm/m.exec(text(f))![1]); // 0.60
    expect(width).toBe(0.6);
    expectFootprint(r, BENCHY, width); // 59.38 × 30.40 × 48
  });

  test('Simplify3D 4.0.1 Benchy (feature types): about 60 × 31 × 48, not 70 × 46 with its skirt', () => {
    const f = 'simplify3d-4.0.1-benchy-dual.gcode';
    const r = results.get(f)!;
    expect(size(r.bbox!).w).toBeGreaterThan(70);
    const width = Number(/^;\s+extruderWidth,([\d.]+),/m.exec(text(f))![1]); // 0.5
    expectFootprint(r, BENCHY, width); // 59.50 × 30.50 × 48
  });

  // walls 0.4 mm: `wall_line_width_0=0.4` in models/cura-ender3-settings.txt; Cura 3.6's default for its 0.4 mm nozzle
  test('Cura ;MESH: files (20 mm cubes, 0.4 mm walls): 19.6 × 19.6 × 20, not the Ender-3 prime lines', () => {
    for (const f of ['curaengine-4.13-cube-ender3.gcode', 'cura-3.6.0-calibration-cube.gcode']) {
      const r = results.get(f)!;
      expectFootprint(r, { w: 20, d: 20, h: 20 }, 0.4);
    }
    // the CuraEngine file primes along the bed's left edge: 141 × 180 mm with it
    expect(size(results.get('curaengine-4.13-cube-ender3.gcode')!.bbox!).d).toBe(180);
  });

  test('PrusaSlicer’s own object outlines (`; objects_info`): the objects’ box is inside, within an extrusion width', () => {
    for (const f of ['prusaslicer-2.7.4-screw-arcs-png.gcode', 'prusaslicer-2.8.1-minicube-qoi.gcode']) {
      const info = JSON.parse(/^; objects_info = (.*)$/m.exec(text(f))![1]!) as { objects: { polygon: [number, number][] }[] };
      const pts = info.objects.flatMap((o) => o.polygon);
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      const o = results.get(f)!.objectsBbox!;
      for (const [inner, outer] of [
        [o.minX, Math.min(...xs)],
        [o.minY, Math.min(...ys)],
        [-o.maxX, -Math.max(...xs)],
        [-o.maxY, -Math.max(...ys)],
      ] as const) {
        expect(inner).toBeGreaterThanOrEqual(outer);
        expect(inner - outer).toBeLessThan(0.5);
      }
    }
  });

  test('the feature-type fallback gives what the object markers give, on every file that has both', () => {
    let compared = 0;
    for (const f of files) {
      if (SOURCE[f] !== 'object-markers' || !/^;TYPE:/m.test(text(f))) continue;
      const stripped = text(f)
        .split('\n')
        .filter((l) => !/^(; (start |stop )?printing object|;MESH:|M486|EXCLUDE_OBJECT)/.test(l))
        .join('\n');
      const r = analyzeBuffer(Buffer.from(stripped, 'latin1'));
      expect([f, r.computed.objectsBboxFrom]).toEqual([f, 'feature-types']);
      expect([f, r.objectsBbox]).toEqual([f, results.get(f)!.objectsBbox]);
      compared++;
    }
    expect(compared).toBe(6);
  });
});
