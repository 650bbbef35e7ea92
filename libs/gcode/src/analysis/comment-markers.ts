/**
 * Layer markers that slicers write as comments, recognised from bytes (no string allocation):
 *   Cura, ideaMaker, Creality Print (Cura-based):   `;LAYER:12`
 *   PrusaSlicer, SuperSlicer, OrcaSlicer:           `;LAYER_CHANGE`
 *   Bambu Studio:                                   `; CHANGE_LAYER`
 *   Simplify3D:                                     `; layer 12, Z = 2.450`
 *   KISSlicer:                                      `; BEGIN_LAYER_OBJECT z=0.300`
 */
export enum LayerMarker {
  None = 0,
  Cura = 1,
  Prusa = 2,
  Bambu = 3,
  Simplify3D = 4,
  KISSlicer = 5,
}

const CURA = bytes('LAYER:');
const PRUSA = bytes('LAYER_CHANGE');
const BAMBU = bytes('CHANGE_LAYER');
const S3D = bytes('layer ');
const KISS = bytes('BEGIN_LAYER_OBJECT');

function bytes(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

function startsWith(buf: Uint8Array, i: number, end: number, word: Uint8Array): boolean {
  if (end - i < word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word[k]) return false;
  return true;
}

/** `start` is the first byte after `;`. */
export function layerMarkerAt(buf: Uint8Array, start: number, end: number): LayerMarker {
  let i = start;
  while (i < end && buf[i] === 32) i++;
  const c = buf[i];
  if (c === 76) {
    if (startsWith(buf, i, end, CURA)) return LayerMarker.Cura;
    if (startsWith(buf, i, end, PRUSA)) return LayerMarker.Prusa;
  } else if (c === 67) {
    if (startsWith(buf, i, end, BAMBU)) return LayerMarker.Bambu;
  } else if (c === 108) {
    if (i === start + 1 && startsWith(buf, i, end, S3D)) {
      const d = buf[i + S3D.length]!;
      if (d >= 48 && d <= 57) return LayerMarker.Simplify3D;
    }
  } else if (c === 66) {
    if (startsWith(buf, i, end, KISS)) return LayerMarker.KISSlicer;
  }
  return LayerMarker.None;
}
