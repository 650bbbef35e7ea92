import type { AnalysisResult } from './result';

/** `3725` → `1h 2m 5s`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h ${m}m ${r}s` : m > 0 ? `${m}m ${r}s` : `${r}s`;
}

const fmt = (v: number | null, unit: string, digits = 2): string => (v === null ? '—' : `${Number(v.toFixed(digits))} ${unit}`);

/** A readable summary for people (`printfleet analyze FILE` without `--json`). */
export function formatSummary(r: AnalysisResult): string {
  const m = r.metadata;
  const c = r.computed;
  const diff =
    r.slicerEstimateS !== null && r.slicerEstimateS > 0
      ? ` (${r.estimateS >= r.slicerEstimateS ? '+' : ''}${(((r.estimateS - r.slicerEstimateS) / r.slicerEstimateS) * 100).toFixed(1)}% vs slicer)`
      : '';
  const b = r.bbox;
  const o = r.objectsBbox;
  const size = (x: NonNullable<typeof b>) =>
    `${(x.maxX - x.minX).toFixed(1)} × ${(x.maxY - x.minY).toFixed(1)} × ${x.maxZ.toFixed(2)} mm (X ${x.minX.toFixed(1)}…${x.maxX.toFixed(1)}, Y ${x.minY.toFixed(1)}…${x.maxY.toFixed(1)})`;
  const lines = [
    `Slicer:        ${r.slicer ?? 'unknown'}${r.slicerVersion ? ` ${r.slicerVersion}` : ''}${m.printerModel ? ` — for ${m.printerModel}` : ''}`,
    `Print time:    ${formatDuration(r.estimateS)} estimated${diff}; slicer says ${formatDuration(r.slicerEstimateS)}`,
    `Filament:      ${fmt(r.filamentMm !== null ? r.filamentMm / 1000 : null, 'm', 2)} / ${fmt(r.filamentG, 'g', 1)} per slicer; ${fmt(c.consumedMm / 1000, 'm', 2)} computed${m.filamentType ? `; ${m.filamentType}` : ''}`,
    `Layers:        ${r.layers}${r.layerHeight !== null ? ` × ${r.layerHeight} mm` : ''}${m.firstLayerHeight !== null ? ` (first ${m.firstLayerHeight} mm)` : ''}`,
    // the objects' size when the file says which moves print them, else the extent of all extrusion
    o ? `Size:          ${size(o)}` : `Extent:        ${b ? `${size(b)}, all extrusion (any purge line, skirt included)` : '—'}`,
    `Nozzle:        ${fmt(m.nozzleDiameter, 'mm')}${m.nozzleTemperature !== null ? `, ${m.nozzleTemperature} °C` : ''}${m.bedTemperature !== null ? `, bed ${m.bedTemperature} °C` : ''}`,
    `Moves:         ${r.moves} (${c.extrudingMoves} extruding, ${c.arcs} arcs), ${c.toolChanges} tool changes, ${c.lines} lines`,
    `Thumbnails:    ${r.thumbnails.length === 0 ? 'none' : r.thumbnails.map((t) => `${t.width}x${t.height} ${t.format}`).join(', ')}`,
  ];
  if (o && b) lines.splice(5, 0, `Extent:        ${size(b)}, all extrusion (any purge line, skirt included)`);
  if (m.objects.length > 0) lines.push(`Objects:       ${m.objects.slice(0, 5).join(', ')}${m.objects.length > 5 ? ` (+${m.objects.length - 5})` : ''}`);
  for (const w of r.warnings) lines.push(`Warning:       ${w}`);
  return lines.join('\n');
}
