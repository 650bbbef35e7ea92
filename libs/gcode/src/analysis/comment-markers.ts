/**
 * Markers that slicers write as comments, recognised from bytes (no string allocation).
 *
 * Layer starts:
 *   Cura, ideaMaker, Creality Print (Cura-based):   `;LAYER:12`
 *   PrusaSlicer, SuperSlicer, OrcaSlicer:           `;LAYER_CHANGE`
 *   Bambu Studio:                                   `; CHANGE_LAYER`
 *   Simplify3D:                                     `; layer 12, Z = 2.450`
 *   KISSlicer:                                      `; BEGIN_LAYER_OBJECT z=0.300`
 * Which moves print the objects (`ObjectMarker`, used by `ObjectMarkers`): see that enum.
 */
export enum LayerMarker {
  None = 0,
  Cura = 1,
  Prusa = 2,
  Bambu = 3,
  Simplify3D = 4,
  KISSlicer = 5,
}

/** The highest `LayerMarker` value: `commentMarkerAt` returns layer kinds up to it, object kinds above. */
export const LAST_LAYER_MARKER = LayerMarker.KISSlicer;

/** Comments that say which extruding moves belong to a printed object. */
export enum ObjectMarker {
  /** `; printing object NAME` (PrusaSlicer, SuperSlicer), `; start printing object, …` (OrcaSlicer, Bambu Studio). */
  ObjectStart = 16,
  /** `; stop printing object …`. */
  ObjectStop = 17,
  /** Cura `;MESH:NAME`. */
  Mesh = 18,
  /** Cura `;MESH:NONMESH` (skirt, brim, support, prime tower, travel). */
  NonMesh = 19,
  /**
   * A feature type, its name from `markerTextStart()`: `;TYPE:NAME` (PrusaSlicer, SuperSlicer,
   * OrcaSlicer, Cura, ideaMaker), `; FEATURE: NAME` (Bambu Studio, OrcaSlicer), `; feature NAME`
   * (Simplify3D 4.1+) and, once a Simplify3D layer marker was seen, Simplify3D 4.0's bare names
   * (`; outer perimeter`, `; skirt`, …).
   */
  Feature = 20,
  /** Cura `;TIME_ELAPSED:` (written after each layer, the last one before the end G-code), Simplify3D `; layer end`. */
  LayerEnd = 21,
}

const CURA = bytes('LAYER:');
const PRUSA = bytes('LAYER_CHANGE');
const BAMBU = bytes('CHANGE_LAYER');
const S3D = bytes('layer ');
const S3D_END = bytes('layer end');
const KISS = bytes('BEGIN_LAYER_OBJECT');
const PRINTING = bytes('printing object');
const START_PRINTING = bytes('start printing object');
const STOP_PRINTING = bytes('stop printing object');
const MESH = bytes('MESH:');
const NONMESH = bytes('MESH:NONMESH');
const TYPE = bytes('TYPE:');
const TIME_ELAPSED = bytes('TIME_ELAPSED:');
const FEATURE_UPPER = bytes('FEATURE:');
const FEATURE_LOWER = bytes('feature ');
/** Simplify3D 4.0's feature comments (4.1 writes `; feature NAME`). */
const S3D_FEATURES = [
  'outer perimeter',
  'inner perimeter',
  'solid layer',
  'infill',
  'gap fill',
  'bridge',
  'support',
  'dense support',
  'skirt',
  'raft',
  'prime pillar',
  'ooze shield',
].map(bytes);

function bytes(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

function startsWith(buf: Uint8Array, i: number, end: number, word: Uint8Array): boolean {
  if (end - i < word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word[k]) return false;
  return true;
}

/** The bytes a marker can start with (after `;` and spaces); `S3D_FIRST_BYTES` once Simplify3D's bare names count. */
export const MARKER_FIRST_BYTES = 'LCBlTMpsFf';
export const S3D_FIRST_BYTES = 'oigsbrdp';
/** Of those, the ones that only start feature types (and Cura's `;TIME_ELAPSED:`). */
export const FEATURE_FIRST_BYTES = 'TFf';

/** Set by `commentMarkerAt` for `ObjectMarker.Feature`: where the feature's name starts. */
let textStart = 0;

/** Where the name of the feature found by the last `commentMarkerAt` starts. */
export function markerTextStart(): number {
  return textStart;
}

/**
 * The marker in a comment, buf[start, end) after its `;`: a `LayerMarker` (≤ LAST_LAYER_MARKER),
 * an `ObjectMarker`, or 0. `s3dNames`: also take Simplify3D 4.0's bare feature names.
 */
export function commentMarkerAt(buf: Uint8Array, start: number, end: number, s3dNames: boolean): number {
  let i = start;
  while (i < end && buf[i] === 32) i++;
  switch (buf[i]) {
    case 76: // L
      if (startsWith(buf, i, end, CURA)) return LayerMarker.Cura;
      if (startsWith(buf, i, end, PRUSA)) return LayerMarker.Prusa;
      return 0;
    case 67: // C
      return startsWith(buf, i, end, BAMBU) ? LayerMarker.Bambu : 0;
    case 66: // B
      return startsWith(buf, i, end, KISS) ? LayerMarker.KISSlicer : 0;
    case 108: // l
      if (i === start + 1 && startsWith(buf, i, end, S3D)) {
        const d = buf[i + S3D.length]!;
        if (d >= 48 && d <= 57) return LayerMarker.Simplify3D;
        if (startsWith(buf, i, end, S3D_END)) return ObjectMarker.LayerEnd;
      }
      return 0;
    case 84: // T
      if (startsWith(buf, i, end, TYPE)) return feature(i + TYPE.length);
      return startsWith(buf, i, end, TIME_ELAPSED) ? ObjectMarker.LayerEnd : 0;
    case 77: // M
      if (!startsWith(buf, i, end, MESH)) return 0;
      return startsWith(buf, i, end, NONMESH) && !nameGoesOn(buf, i + NONMESH.length, end) ? ObjectMarker.NonMesh : ObjectMarker.Mesh;
    case 112: // p
      if (startsWith(buf, i, end, PRINTING)) return ObjectMarker.ObjectStart;
      break;
    case 115: // s
      if (startsWith(buf, i, end, STOP_PRINTING)) return ObjectMarker.ObjectStop;
      if (startsWith(buf, i, end, START_PRINTING)) return ObjectMarker.ObjectStart;
      break;
    case 70: // F
      if (startsWith(buf, i, end, FEATURE_UPPER)) {
        let j = i + FEATURE_UPPER.length;
        while (j < end && buf[j] === 32) j++;
        return feature(j);
      }
      return 0;
    case 102: // f
      if (startsWith(buf, i, end, FEATURE_LOWER)) return feature(i + FEATURE_LOWER.length);
      break;
    default:
      break;
  }
  if (s3dNames && i === start + 1) {
    let e = end;
    while (e > i && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
    for (const name of S3D_FEATURES) if (e - i === name.length && startsWith(buf, i, e, name)) return feature(i);
  }
  return 0;
}

function feature(at: number): number {
  textStart = at;
  return ObjectMarker.Feature;
}

/** Whether a name continues at i (`;MESH:NONMESH2.stl` is a mesh). */
function nameGoesOn(buf: Uint8Array, i: number, end: number): boolean {
  return i < end && buf[i] !== 32 && buf[i] !== 9 && buf[i] !== 13;
}
