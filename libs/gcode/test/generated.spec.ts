import { analyzeBuffer, GcodeError, type MachineLimitsInput } from '../src';

/** No feed-rate or axis limits: only the acceleration and the corner rule decide. */
const plain = (accel: number, jerk: number): MachineLimitsInput => ({
  junction: 'jerk',
  jerk: [jerk, jerk, jerk, jerk],
  printAcceleration: accel,
  travelAcceleration: accel,
  retractAcceleration: accel,
  maxAcceleration: [1e9, 1e9, 1e9, 1e9],
  maxFeedrate: [1e9, 1e9, 1e9, 1e9],
});

const gcode = (...lines: string[]) => lines.join('\n') + '\n';

describe('time estimate: exact answers', () => {
  test('a 10 mm square at 10 mm/s, 100 mm/s², full stop at each corner: 4 × 1.1 s', () => {
    const r = analyzeBuffer(gcode('G1 F600', 'G1 X10', 'G1 Y10', 'G1 X0', 'G1 Y0'), { limits: plain(100, 0) });
    // each side: accelerate 0.1 s over 0.5 mm, cruise 9 mm in 0.9 s, decelerate 0.1 s
    expect(r.estimateS).toBe(4);
    expect(r.layerList).toEqual([]);
    const exact = analyzeBuffer(gcode('G1 F600', 'G1 X10', 'G1 Y10', 'G1 X0', 'G1 Y0', 'G1 X1 E1'), { limits: plain(100, 0) });
    // + 1 mm extruding: triangle profile, peak sqrt(2·100·0.5) = 10 mm/s → 2 × 0.1 s
    expect(exact.layerList[0]!.timeS + exact.computed.preambleS).toBeCloseTo(4.4 + 0.2, 9);
  });

  test('collinear moves are joined by the look-ahead (no stop in between)', () => {
    const r = analyzeBuffer(gcode('G1 F600', 'G1 X10 E1', 'G1 X20 E2'), { limits: plain(100, 1) });
    // one 20 mm profile 1 → 10 → 1 mm/s (start and end at the jerk speed):
    // 2 × 0.09 s + 19.01 mm / 10 mm/s = 2.081 s
    const total = r.layerList.reduce((a, l) => a + l.timeS, 0) + r.computed.preambleS;
    expect(total).toBeCloseTo(2.081, 9);
  });

  test('M201/M203/M204/M205 in the file override the profile', () => {
    const r = analyzeBuffer(gcode('M204 P50', 'M205 X0 Y0 Z0 E0', 'M203 X5', 'G1 F600 X10 E1'), { limits: plain(100, 0) });
    // max feed X 5 mm/s, accel 50: 0.1 s + (10 - 0.5) / 5 + 0.1 s = 2.1 s
    const total = r.layerList.reduce((a, l) => a + l.timeS, 0) + r.computed.preambleS;
    expect(total).toBeCloseTo(2.1, 6);
    expect(r.computed.junction).toBe('jerk');
  });

  test('G4 dwell adds its time', () => {
    const r = analyzeBuffer(gcode('G1 F600 X10 E1', 'G4 P1500', 'G4 S2'), { limits: plain(100, 0) });
    expect(r.estimateS).toBe(Math.round(1.1 + 3.5));
  });

  test('junction deviation (M205 J) gives corner speeds between stop and full speed', () => {
    const square = ['G1 F6000', 'G1 X100 E1', 'G1 Y100 E2', 'G1 X0 E3', 'G1 Y0 E4'];
    const stop = analyzeBuffer(gcode(...square), { limits: plain(1000, 0) }).estimateS;
    const jd = analyzeBuffer(gcode('M205 J0.05', ...square), { limits: plain(1000, 0) }).estimateS;
    expect(analyzeBuffer(gcode('M205 J0.05', 'G1 X1'), {}).computed.junction).toBe('deviation');
    expect(jd).toBeLessThanOrEqual(stop);
  });
});

describe('filament: E in absolute and relative modes', () => {
  test('absolute E with retraction and G92 resets', () => {
    const r = analyzeBuffer(gcode('M82', 'G92 E0', 'G1 X10 E5', 'G1 E3', 'G1 X20 E8', 'G92 E0', 'G1 X30 E2'));
    // 5, then retract 2 / prime 2 (no new filament), +3, then +2
    expect(r.computed.consumedMm).toBe(10);
    expect(r.computed.extrudedMm).toBe(10);
    expect(r.computed.extrudingMoves).toBe(3);
    expect(r.computed.extrusionMode).toBe('absolute');
  });

  test('G92 E0 while retracted: consumed (physical) vs extruded (since the reset)', () => {
    const r = analyzeBuffer(gcode('M82', 'G1 X10 E5', 'G1 E4', 'G92 E0', 'G1 E1', 'G1 X20 E3'));
    expect(r.computed.consumedMm).toBe(7);
    expect(r.computed.extrudedMm).toBe(8);
  });

  test('relative E (M83) and G91 for all axes; G90 keeps M83', () => {
    const r = analyzeBuffer(gcode('M83', 'G1 X10 E2', 'G1 E-1', 'G1 E1', 'G90', 'G1 X20 E2', 'G91', 'G1 X5 E1'));
    expect(r.computed.consumedMm).toBe(5);
    expect(r.computed.extrusionMode).toBe('relative');
    expect(r.bbox).toMatchObject({ minX: 0, maxX: 25 });
  });

  test('firmware retraction G10/G11 moves no filament; RepRapFirmware G10 P.. S.. is not a retraction', () => {
    const r = analyzeBuffer(gcode('M83', 'G1 X10 E2', 'G10', 'G1 X20', 'G11', 'G1 X30 E2', 'G10 P0 S195 R160'));
    expect(r.computed.consumedMm).toBe(4);
    expect(r.computed.firmwareRetractions).toBe(1);
  });

  test('inches (G20)', () => {
    const r = analyzeBuffer(gcode('G20', 'M83', 'G1 X1 E0.1'));
    expect(r.bbox!.maxX).toBeCloseTo(25.4, 6);
    expect(r.computed.consumedMm).toBeCloseTo(2.54, 6);
  });
});

describe('arcs', () => {
  test('G2 half circle with I/J: bbox includes the arc extreme, length drives the time', () => {
    const r = analyzeBuffer(gcode('M83', 'G1 X0 Y0 F600', 'G2 X20 Y0 I10 J0 E1'), { limits: plain(1e9, 1e9) });
    // clockwise from (0,0) around (10,0): passes (10,10)
    expect(r.bbox).toMatchObject({ minX: 0, maxX: 20, minY: 0, maxY: 10 });
    expect(r.estimateS).toBe(Math.round((Math.PI * 10) / 10));
    expect(r.computed.arcs).toBe(1);
    expect(r.moves).toBe(2);
  });

  test('G3 with R, and a full circle with I/J', () => {
    const r = analyzeBuffer(gcode('M83', 'G1 X0 Y0', 'G3 X20 Y0 R10 E1'));
    // counter-clockwise from (0,0) to (20,0) around (10,0): passes (10,-10)
    expect(r.bbox).toMatchObject({ minY: -10, maxY: 0 });
    const full = analyzeBuffer(gcode('M83', 'G1 X10 Y0', 'G2 X10 Y0 I5 J0 E1'));
    expect(full.bbox).toMatchObject({ minX: 10, maxX: 20, minY: -5, maxY: 5 });
  });
});

describe('layers and tool changes', () => {
  test('without markers: distinct extrusion Z, start lines at the Z move, per-layer time', () => {
    const r = analyzeBuffer(gcode('M83', 'G1 Z0.2 F600', 'G1 X10 E1', 'G1 Z0.4', 'G1 X0 E1', 'G1 Z0.6', 'G1 X10 E1', 'T1', 'T0'));
    expect(r.layers).toBe(3);
    expect(r.layerList.map((l) => l.line)).toEqual([2, 4, 6]);
    expect(r.layerList.map((l) => l.height)).toEqual([0.2, 0.2, 0.2]);
    expect(r.computed.toolChanges).toBe(1 + 0);
    expect(r.computed.toolsUsed).toEqual([0, 1]);
  });

  test('with slicer markers the slicer count wins', () => {
    const r = analyzeBuffer(gcode(';LAYER_CHANGE', 'G1 Z0.2', 'G1 X10 E1', ';LAYER_CHANGE', 'G1 X0 E2'));
    expect(r.layers).toBe(2);
    expect(r.computed.layersByZ).toBe(1);
    expect(r.layerList.map((l) => l.line)).toEqual([1, 4]);
  });
});

describe('malformed input', () => {
  const code = (data: string | Buffer) => {
    try {
      analyzeBuffer(data);
    } catch (e) {
      return (e as GcodeError).code;
    }
    return 'ok';
  };
  test('codes', () => {
    expect(code('')).toBe('EMPTY');
    expect(code('; only comments\nM104 S200\n')).toBe('NO_MOTION');
    expect(code(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toBe('BINARY');
    expect(code(Buffer.concat([Buffer.from('GCDE'), Buffer.alloc(8)]))).toBe('BGCODE');
    expect(code(Buffer.from([0x47, 0x31, 0x20, 0xc3, 0x28, 0x0a]))).toBe('INVALID_UTF8');
  });
  test('a truncated file still yields what it has', () => {
    const r = analyzeBuffer('M83\nG1 X10 E1\nG1 X2');
    expect(r.moves).toBe(2);
    expect(r.bbox!.maxX).toBe(10);
  });
});
