import { readNumber, readNumberEnd } from '../gcode-line';
import { FEATURE_FIRST_BYTES, LayerMarker, MARKER_FIRST_BYTES, ObjectMarker, S3D_FIRST_BYTES } from './comment-markers';
import type { Box, PrintExtent } from './print-extent';

/** How `objectsBbox` was found: the slicer's object markers, its feature types, or (null) not at all. */
export type ObjectsBboxSource = 'object-markers' | 'feature-types' | null;

/**
 * Which extruding moves print the objects, from what the slicer wrote, so that the objects' size
 * leaves out purge and prime lines, skirts, brims and wipe towers:
 *
 * - Object markers, first choice: PrusaSlicer/SuperSlicer `; printing object NAME` … `; stop
 *   printing object NAME`, OrcaSlicer/Bambu Studio `; start printing object, …` … `; stop printing
 *   object, …`, Klipper's `EXCLUDE_OBJECT_START NAME=…` … `EXCLUDE_OBJECT_END`, Marlin/Prusa
 *   firmware/RepRapFirmware cancel-object `M486 S<n>` … `M486 S-1`, and Cura's `;MESH:NAME` …
 *   `;MESH:NONMESH`. Cura starts every layer with no mesh (`;LAYER:`) and ends it with
 *   `;TIME_ELAPSED:`, after which, on the last layer, the end G-code runs: both end a mesh.
 * - Feature types, when a file has no object marker: `;TYPE:NAME` (PrusaSlicer, SuperSlicer,
 *   OrcaSlicer, Cura, ideaMaker), `; FEATURE: NAME` (Bambu Studio, OrcaSlicer), Simplify3D's
 *   `; feature NAME` (4.1+) and bare names (4.0). Every type is an object's except those whose
 *   name holds skirt, brim, custom (PrusaSlicer's start and end G-code), wipe tower, prime tower,
 *   prime pillar, ooze shield, raft or purge (case, `-` and `_` ignored). Moves before the first
 *   type (the start G-code) are not an object's; Cura's `;TIME_ELAPSED:` and Simplify3D's
 *   `; layer end` end the type (every Cura layer names its types again).
 * - Neither: null. No geometric guess: a skirt can be several layers high, and an object's first
 *   layers can be its widest (a flange), so "first-layer extrusion outside the later layers" would
 *   cut real objects.
 *
 * The markers only change the class of the moves that follow (`PrintExtent.classify`): nothing
 * is done per move. Per comment, `firstBytes` rules out most comments by their first byte; once
 * object markers are found, feature types are no longer looked at.
 */
export class ObjectMarkers {
  private objectMarked = false;
  private featureMarked = false;
  /** Inside PrusaSlicer/Orca/Klipper/M486 object markers. */
  private labelled = false;
  /** Inside a Cura mesh. */
  private mesh = false;
  private objectFeature = false;
  private meshSeen = false;
  private readonly features = new FeatureNames();
  /** 1 for the first bytes (after `;` and spaces) of the comments that can be markers now. */
  readonly firstBytes = new Uint8Array(256);

  constructor(private readonly extent: PrintExtent) {
    setBytes(this.firstBytes, MARKER_FIRST_BYTES, 1);
  }

  /** A comment's `ObjectMarker`; the feature name, if any, is buf[text, end). */
  marker(kind: ObjectMarker, buf: Uint8Array, text: number, end: number): void {
    switch (kind) {
      case ObjectMarker.ObjectStart:
        this.labelStarted();
        break;
      case ObjectMarker.ObjectStop:
        this.labelled = false;
        break;
      case ObjectMarker.Mesh:
        this.mesh = true;
        if (!this.meshSeen) {
          this.meshSeen = true;
          this.objectsFound();
        }
        break;
      case ObjectMarker.NonMesh:
        this.mesh = false;
        break;
      case ObjectMarker.Feature:
        // with object markers, feature types are not used: not even looked at
        if (this.objectMarked) return;
        this.featureMarked = true;
        this.objectFeature = this.features.isObject(buf, text, end);
        break;
      case ObjectMarker.LayerEnd:
        this.mesh = false;
        this.objectFeature = false;
        break;
    }
    this.update();
  }

  /** A layer marker: Cura's (`;LAYER:`) starts a layer with no mesh; Simplify3D's enables its bare feature names. */
  layerStarted(kind: LayerMarker, s3dNames: boolean): void {
    if (s3dNames && !this.objectMarked) setBytes(this.firstBytes, S3D_FIRST_BYTES, 1);
    if (kind === LayerMarker.Cura && this.mesh) {
      this.mesh = false;
      this.update();
    }
  }

  /** A command line that is not G, M or T: Klipper's `EXCLUDE_OBJECT_START` / `EXCLUDE_OBJECT_END`. */
  command(buf: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    if (!startsWithUpper(buf, i, end, EXCLUDE_OBJECT)) return;
    i += EXCLUDE_OBJECT.length;
    if (startsWithUpper(buf, i, end, START) && endsWord(buf, i + START.length, end)) this.labelStarted();
    else if (startsWithUpper(buf, i, end, END) && endsWord(buf, i + END.length, end)) this.labelled = false;
    else return;
    this.update();
  }

  /** `M486` (cancel objects): `S<n>` starts object n, `S-1` ends it; T, P, U, C and A (a name) change nothing here. */
  m486(buf: Uint8Array, start: number, end: number): void {
    const s = m486Object(buf, start, end);
    if (s !== s) return;
    if (s >= 0) this.labelStarted();
    else this.labelled = false;
    this.update();
  }

  /** An object starts (PrusaSlicer/Orca comments, Klipper, M486). */
  private labelStarted(): void {
    this.labelled = true;
    if (!this.objectMarked) this.objectsFound();
  }

  /** The first object marker: from now on, feature types do not matter (and are not looked at). */
  private objectsFound(): void {
    this.objectMarked = true;
    this.objectFeature = false;
    const t = this.firstBytes;
    t.fill(0);
    setBytes(t, MARKER_FIRST_BYTES, 1);
    setBytes(t, FEATURE_FIRST_BYTES, 0);
    // Cura's `;TIME_ELAPSED:` ends meshes
    if (this.meshSeen) setBytes(t, 'T', 1);
  }

  private update(): void {
    this.extent.classify(this.labelled || this.mesh, this.objectFeature);
  }

  /** The objects' box, and what it is based on (call after the last move). */
  result(): { bbox: Box | null; source: ObjectsBboxSource } {
    if (this.objectMarked) return { bbox: this.extent.objectsBbox(), source: 'object-markers' };
    if (this.featureMarked) return { bbox: this.extent.objectFeaturesBbox(), source: 'feature-types' };
    return { bbox: null, source: null };
  }
}

function setBytes(table: Uint8Array, chars: string, v: number): void {
  for (let k = 0; k < chars.length; k++) table[chars.charCodeAt(k)] = v;
}

const NOT_OBJECT = /skirt|brim|custom|wipe tower|prime tower|prime pillar|ooze shield|raft|purge/;

/** Whether a feature type (`;TYPE:` name) is part of an object. */
export function isObjectFeature(name: string): boolean {
  return !NOT_OBJECT.test(name.toLowerCase().replace(/[-_]/g, ' '));
}

/** The feature names seen, classified once each (a file uses a dozen; at most 32 are kept). */
class FeatureNames {
  private readonly names: Uint8Array[] = [];
  private readonly objects: boolean[] = [];

  isObject(buf: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    next: for (let k = 0; k < this.names.length; k++) {
      const name = this.names[k]!;
      if (name.length !== n) continue;
      for (let j = 0; j < n; j++) if (name[j] !== buf[start + j]) continue next;
      return this.objects[k]!;
    }
    const object = isObjectFeature(Buffer.from(buf.buffer, buf.byteOffset + start, n).toString('latin1'));
    if (this.names.length < 32) {
      this.names.push(buf.slice(start, end));
      this.objects.push(object);
    }
    return object;
  }
}

const EXCLUDE_OBJECT = bytes('EXCLUDE_OBJECT_');
const START = bytes('START');
const END = bytes('END');

function bytes(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

/** Case-insensitive: Klipper takes its extended commands in any case. */
function startsWithUpper(buf: Uint8Array, i: number, end: number, word: Uint8Array): boolean {
  if (end - i < word.length) return false;
  for (let k = 0; k < word.length; k++) {
    let c = buf[i + k]!;
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== word[k]) return false;
  }
  return true;
}

function endsWord(buf: Uint8Array, i: number, end: number): boolean {
  return i >= end || buf[i] === 32 || buf[i] === 9 || buf[i] === 59;
}

/**
 * The S word of an `M486` line, NaN if none. Read here rather than by the general parser: the
 * object name of `M486 A<name>` runs to the end of the line and may hold any letters (`AStage2`
 * would read as S), so words stop at A.
 */
export function m486Object(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  // skip blanks and an N word, then the M486 itself
  while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
  if (buf[i] === 78 || buf[i] === 110) {
    readNumber(buf, i + 1, end);
    i = readNumberEnd();
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
  }
  i++; // M
  while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
  readNumber(buf, i, end);
  i = readNumberEnd();
  while (i < end) {
    let c = buf[i]!;
    if (c === 59 || c === 42 || c === 40) break; // ; * (
    if (c >= 97 && c <= 122) c -= 32;
    i++;
    if (c === 65) break; // A: the rest is a name
    if (c !== 83) continue;
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    return readNumber(buf, i, end);
  }
  return NaN;
}
