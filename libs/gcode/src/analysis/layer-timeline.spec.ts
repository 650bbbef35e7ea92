import { analyzeBuffer } from '../analyzer';

const gcode = (...lines: string[]) => lines.join('\n') + '\n';

describe('layer starts and heights', () => {
  test('a marker layer takes the Z of its first extrusion, even when Z did not change', () => {
    const r = analyzeBuffer(gcode(';LAYER_CHANGE', 'G1 Z0.2 F600', 'G1 X10 E1', ';LAYER_CHANGE', 'G1 X0 E2', ';LAYER_CHANGE', 'G1 Z0.4', 'G1 X10 E3', 'G1 X0 E4'));
    expect(r.layerList.map((l) => [l.line, l.z, l.height])).toEqual([
      [1, 0.2, 0.2],
      [4, 0.2, 0],
      [6, 0.4, 0.2],
    ]);
    expect(r.computed.layersByZ).toBe(2);
  });

  test('Z values within half a micrometre are one layer', () => {
    const r = analyzeBuffer(gcode('M83', 'G1 Z0.2 F600', 'G1 X10 E1', 'G1 Z0.2004', 'G1 X0 E1', 'G1 Z0.4', 'G1 X10 E1'));
    expect(r.layerList.map((l) => [l.line, l.z])).toEqual([
      [2, 0.2],
      [6, 0.4],
    ]);
  });
});
