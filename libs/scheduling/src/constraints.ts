/** The object's extent in machine coordinates (extruding moves only), as the gcode lib reports it. */
export interface BoundingBox {
  minX: number;
  minY: number;
  minZ: number;
  maxX: number;
  maxY: number;
  maxZ: number;
}

/** What an operator declared about a printer (registry). `null`: not declared. */
export interface PrinterProfile {
  bed: { x: number; y: number; z: number } | null;
  nozzleDiameter: number | null;
  filamentType: string | null;
  tags: string[];
}

/** What a job asks of its printer, beyond the file's own size. */
export interface JobConstraints {
  nozzleDiameter?: number;
  filamentType?: string;
  /** The printer must carry every one of these tags. */
  tags?: string[];
}

/** Slicers place objects with float noise; a nozzle of 0.4 is sometimes written 0.40000001. */
const EPSILON = 1e-3;
/** Purge lines and skirts may sit slightly outside the nominal bed; sizes are compared instead. */
const BED_TOLERANCE_MM = 0.5;

/**
 * Why `printer` cannot take a job with these constraints and that bounding box; empty: it can.
 * An explicit constraint needs the printer to declare a matching value (unknown is not a match);
 * the bed check is skipped when the bed size is not declared, so an unprofiled fleet still works.
 * The object's width, depth and top are compared, not its corners: slicers put purge lines at
 * negative coordinates on some printers (Prusa MK3: y = -3).
 */
export function mismatches(constraints: JobConstraints, bbox: BoundingBox | null, printer: PrinterProfile): string[] {
  const out: string[] = [];
  if (constraints.nozzleDiameter !== undefined) {
    if (printer.nozzleDiameter === null) out.push('printer nozzle diameter not declared');
    else if (Math.abs(printer.nozzleDiameter - constraints.nozzleDiameter) > EPSILON)
      out.push(`nozzle ${printer.nozzleDiameter} mm, job needs ${constraints.nozzleDiameter} mm`);
  }
  if (constraints.filamentType !== undefined) {
    if (printer.filamentType === null) out.push('printer filament not declared');
    else if (printer.filamentType.toLowerCase() !== constraints.filamentType.toLowerCase())
      out.push(`filament ${printer.filamentType}, job needs ${constraints.filamentType}`);
  }
  const missing = (constraints.tags ?? []).filter((t) => !printer.tags.includes(t));
  if (missing.length) out.push(`missing tags: ${missing.join(', ')}`);
  if (bbox && printer.bed) {
    const width = bbox.maxX - bbox.minX;
    const depth = bbox.maxY - bbox.minY;
    if (width > printer.bed.x + BED_TOLERANCE_MM || depth > printer.bed.y + BED_TOLERANCE_MM || bbox.maxZ > printer.bed.z + BED_TOLERANCE_MM)
      out.push(
        `object ${fmt(width)}×${fmt(depth)}×${fmt(bbox.maxZ)} mm does not fit the bed ${printer.bed.x}×${printer.bed.y}×${printer.bed.z} mm`,
      );
  }
  return out;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);
