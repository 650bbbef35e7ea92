/** A print's shape in small: heat and wait, fan, modes, then layers of short extruding moves. */
export const HEADER = ['M140 S60', 'M104 S215', 'M190 S60', 'M109 S215', 'M106 S204', 'G90', 'M83', 'G92 E0', 'G1 X10 Y10 F600000'];
const MOVES_PER_LAYER = 100;

const zOf = (layer: number) => Math.round((0.3 + 0.2 * layer) * 100) / 100;
const xyOf = (move: number) => ({ x: move === 0 ? 10 : (move % 100) + 10, y: move === 0 ? 10 : Math.floor(move / 100) + 10 });

/** Every line is one command (file line n = command n), and no two moves end at the same place. */
export function layeredFile(layers: number): string {
  const lines = [...HEADER];
  for (let b = 0; b < layers; b++) {
    lines.push(`G1 Z${zOf(b)} F600000`);
    for (let w = 1; w <= MOVES_PER_LAYER; w++) {
      const { x, y } = xyOf(b * MOVES_PER_LAYER + w);
      lines.push(`G1 X${x} Y${y} E0.01 F600000`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Where the file has the head after its line `n` (past the header), worked out from how it is built. */
export function layeredAt(n: number): { x: number; y: number; z: number; e: number } {
  const body = n - HEADER.length - 1;
  if (body < 0) throw new Error('inside the header');
  const layer = Math.floor(body / (MOVES_PER_LAYER + 1));
  const moves = layer * MOVES_PER_LAYER + (body % (MOVES_PER_LAYER + 1));
  return { ...xyOf(moves), z: zOf(layer), e: Math.round(moves * 0.01 * 1000) / 1000 };
}
