import { analyzeBuffer } from '../analyzer';
import { toJson } from '../result';
import { commentMarkerAt, LayerMarker, markerTextStart, ObjectMarker } from './comment-markers';
import { isObjectFeature, m486Object } from './object-markers';

const gcode = (...lines: string[]) => lines.join('\n') + '\n';
const box = (minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number) => ({ minX, minY, minZ, maxX, maxY, maxZ });

/** A purge line at the front (Y 1, X 0…100), a skirt around the object, then the object (X 40…60, Y 40…50). */
const PURGE = ['M83', 'G1 Z0.2 F600', 'G1 X0 Y1', 'G1 X100 Y1 E10'];
const SKIRT = ['G1 X30 Y30', 'G1 X70 Y30 E1', 'G1 X70 Y60 E1', 'G1 X30 Y60 E1', 'G1 X30 Y30 E1'];
const OBJECT = ['G1 X40 Y40', 'G1 X60 Y40 E1', 'G1 X60 Y50 E1', 'G1 Z0.4', 'G1 X40 Y50 E1'];
const OBJECT_BOX = box(40, 40, 0.2, 60, 50, 0.4);
const ALL_BOX = box(0, 1, 0.2, 100, 60, 0.4);

describe('objectsBbox: the extruding moves that print objects', () => {
  test('PrusaSlicer object comments: purge line and skirt left out, bbox keeps them', () => {
    const r = analyzeBuffer(gcode(...PURGE, ';LAYER_CHANGE', ...SKIRT, '; printing object cube.stl id:0 copy 0', ...OBJECT, '; stop printing object cube.stl id:0 copy 0', 'G1 X100 Y100 E5'));
    expect(r.bbox).toEqual(box(0, 1, 0.2, 100, 100, 0.4));
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
    expect(r.computed.objectsBboxFrom).toBe('object-markers');
  });

  test('OrcaSlicer / Bambu Studio `; start printing object, unique label id`', () => {
    const r = analyzeBuffer(gcode(...PURGE, ...SKIRT, '; start printing object, unique label id: 12', ...OBJECT, '; stop printing object, unique label id: 12'));
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
  });

  test('Klipper EXCLUDE_OBJECT_START / _END, in any case, DEFINE ignored', () => {
    const r = analyzeBuffer(
      gcode(
        'EXCLUDE_OBJECT_DEFINE NAME=cube CENTER=50,45 POLYGON=[[40,40],[60,40],[60,50],[40,50]]',
        ...PURGE,
        ...SKIRT,
        'EXCLUDE_OBJECT_START NAME=cube',
        ...OBJECT.slice(0, 3),
        'exclude_object_end name=cube',
        'G1 X100 Y100 E1',
        'G1 X60 Y50',
        '  exclude_object_start NAME=cube ; again',
        ...OBJECT.slice(3),
        'EXCLUDE_OBJECT_END NAME=cube',
      ),
    );
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
  });

  test('M486 S<n> … S-1 (Marlin, Prusa firmware); names after A may hold any letter', () => {
    const r = analyzeBuffer(
      gcode('M486 T1', 'M486 S0', 'M486 AStage2 S5', 'M486 S-1', ...PURGE, ...SKIRT, 'M486 S0', ...OBJECT, 'M486 S-1', 'G1 X100 Y100 E1'),
    );
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
    expect(m486Object(Buffer.from('M486 AStage2 S5'), 0, 15)).toBeNaN();
    expect(m486Object(Buffer.from('N12 M486 S-1*33'), 0, 15)).toBe(-1);
    expect(m486Object(Buffer.from('m486s3 ; on'), 0, 11)).toBe(3);
    expect(m486Object(Buffer.from('M486 T4'), 0, 7)).toBeNaN();
  });

  test('Cura ;MESH: … ;MESH:NONMESH; each ;LAYER: and ;TIME_ELAPSED: ends the mesh', () => {
    const r = analyzeBuffer(
      gcode(
        ...PURGE, // start G-code
        ';LAYER:0',
        ';TYPE:SKIRT',
        ...SKIRT,
        ';MESH:cube.stl',
        ';TYPE:WALL-OUTER',
        'G1 X40 Y40',
        'G1 X60 Y40 E1',
        ';MESH:NONMESH',
        'G1 X50 Y80 E1', // support, outside any mesh
        ';TIME_ELAPSED:10.5',
        ';LAYER:1',
        'G1 Z0.4',
        'G1 X40 Y20 E1', // before this layer's ;MESH:
        ';MESH:cube.stl',
        'G1 X40 Y40',
        'G1 X60 Y50 E1',
        ';TIME_ELAPSED:20.1',
        'G1 X5 Y5 E1', // end G-code after the last layer
      ),
    );
    expect(r.objectsBbox).toEqual(box(40, 40, 0.2, 60, 50, 0.4));
    expect(r.bbox).toEqual(box(0, 1, 0.2, 100, 80, 0.4));
  });

  test('a mesh called NONMESH-something is a mesh', () => {
    expect(commentMarkerAt(Buffer.from('MESH:NONMESH'), 0, 12, false)).toBe(ObjectMarker.NonMesh);
    expect(commentMarkerAt(Buffer.from('MESH:NONMESH2.stl'), 0, 17, false)).toBe(ObjectMarker.Mesh);
  });

  test('without object markers, feature types: skirt, brim, custom G-code, wipe and prime towers left out', () => {
    const r = analyzeBuffer(
      gcode(
        ';TYPE:Custom',
        ...PURGE,
        ';LAYER_CHANGE',
        ';TYPE:Skirt/Brim',
        ...SKIRT,
        ';TYPE:Perimeter',
        ...OBJECT.slice(0, 3),
        ';TYPE:Wipe tower',
        'G1 X90 Y90 E1',
        'G1 X60 Y50',
        ';TYPE:External perimeter',
        ...OBJECT.slice(3),
        ';TYPE:Custom',
        'G1 X100 Y100 E1',
      ),
    );
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
    expect(r.computed.objectsBboxFrom).toBe('feature-types');
  });

  test('moves before the first feature type (start G-code) are not an object’s', () => {
    const r = analyzeBuffer(gcode(...PURGE, ';LAYER:0', ';TYPE:WALL-OUTER', ...OBJECT));
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
  });

  test('object markers win over feature types', () => {
    const r = analyzeBuffer(gcode(...PURGE, ';TYPE:Perimeter', ...SKIRT, '; printing object a', ...OBJECT, '; stop printing object a'));
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
    expect(r.computed.objectsBboxFrom).toBe('object-markers');
  });

  test('Simplify3D: `; feature NAME` (4.1+), bare names (4.0) once its layer marker was seen, `; layer end`', () => {
    const v41 = analyzeBuffer(gcode(...PURGE, '; layer 1, Z = 0.200', '; feature skirt', ...SKIRT, '; feature outer perimeter', ...OBJECT, '; layer end', 'G1 X5 Y5 E1'));
    expect(v41.objectsBbox).toEqual(OBJECT_BOX);
    const v40 = analyzeBuffer(gcode(...PURGE, '; process Color1', '; layer 1, Z = 0.200', '; tool H0.200 W0.400', '; skirt', ...SKIRT, '; inner perimeter', ...OBJECT));
    expect(v40.objectsBbox).toEqual(OBJECT_BOX);
    // the same bare words without a Simplify3D layer marker are just comments
    const other = analyzeBuffer(gcode(...PURGE, ';LAYER_CHANGE', '; skirt', ...SKIRT, '; inner perimeter', ...OBJECT));
    expect(other.objectsBbox).toBeNull();
    expect(other.computed.objectsBboxFrom).toBeNull();
  });

  test('Bambu Studio / OrcaSlicer `; FEATURE: NAME`', () => {
    const r = analyzeBuffer(gcode(...PURGE, '; CHANGE_LAYER', '; FEATURE: Skirt', ...SKIRT, '; FEATURE: Outer wall', ...OBJECT, '; FEATURE: Prime tower', 'G1 X100 Y100 E1'));
    expect(r.objectsBbox).toEqual(OBJECT_BOX);
  });

  test('no markers at all: null (no guess), bbox as always', () => {
    const r = analyzeBuffer(gcode(...PURGE, ...SKIRT, ...OBJECT));
    expect(r.objectsBbox).toBeNull();
    expect(r.computed.objectsBboxFrom).toBeNull();
    expect(r.bbox).toEqual(ALL_BOX);
    // the JSON that `printfleet analyze --json` prints has the field, null included
    expect(JSON.parse(JSON.stringify(toJson(r)))).toMatchObject({ objectsBbox: null, bbox: ALL_BOX });
  });

  test('arcs inside an object: their extremes count', () => {
    const r = analyzeBuffer(gcode(...PURGE, '; printing object a', 'G1 X40 Y45', 'G2 X60 Y45 I10 J0 E2', '; stop printing object a'));
    // clockwise from (40,45) around (50,45): over the top, Y up to 55
    expect(r.objectsBbox).toEqual(box(40, 45, 0.2, 60, 55, 0.2));
  });

  test('the feature names that are not objects', () => {
    for (const name of ['Skirt/Brim', 'SKIRT', 'Brim', 'Custom', 'Wipe tower', 'PRIME-TOWER', 'Prime tower', 'prime pillar', 'ooze shield', 'raft', 'RAFT', 'Purge'])
      expect([name, isObjectFeature(name)]).toEqual([name, false]);
    for (const name of ['Perimeter', 'External perimeter', 'WALL-OUTER', 'FILL', 'SKIN', 'SOLID-FILL', 'Support material', 'SUPPORT', 'outer perimeter', 'gap fill', 'Ironing', 'Bridge infill'])
      expect([name, isObjectFeature(name)]).toEqual([name, true]);
  });

  test('comment markers are read from bytes after the `;`', () => {
    const at = (s: string, s3d = false) => commentMarkerAt(Buffer.from(s), 0, s.length, s3d);
    expect(at('LAYER_CHANGE')).toBe(LayerMarker.Prusa);
    expect(at('LAYER:3')).toBe(LayerMarker.Cura);
    expect(at(' layer 3, Z = 0.6')).toBe(LayerMarker.Simplify3D);
    expect(at(' layer end')).toBe(ObjectMarker.LayerEnd);
    expect(at('TIME_ELAPSED:12.5')).toBe(ObjectMarker.LayerEnd);
    expect(at(' printing object a.stl id:0 copy 0')).toBe(ObjectMarker.ObjectStart);
    expect(at(' stop printing object a.stl id:0 copy 0')).toBe(ObjectMarker.ObjectStop);
    expect(at('TYPE:External perimeter')).toBe(ObjectMarker.Feature);
    expect(markerTextStart()).toBe(5);
    expect(at(' FEATURE: Outer wall')).toBe(ObjectMarker.Feature);
    expect(markerTextStart()).toBe(10);
    expect(at(' outer perimeter')).toBe(0);
    expect(at(' outer perimeter', true)).toBe(ObjectMarker.Feature);
    expect(at(' tool H0.2 W0.4', true)).toBe(0);
    expect(at('WIDTH:0.45')).toBe(0);
    expect(at('BEFORE_LAYER_CHANGE')).toBe(0);
  });
});
