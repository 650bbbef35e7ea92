import { parsed } from '../../test/parsed-line';
import { marlinDefaults, type MachineLimits } from '../planner/machine-limits';
import { applyLimitCommand } from './limit-commands';

function apply(line: string, L: MachineLimits = marlinDefaults()): MachineLimits {
  const p = parsed(line);
  expect(applyLimitCommand(p, p.code, L)).toBe(true);
  return L;
}

describe('M201–M205 into the machine limits', () => {
  test('M201 / M203: positive per-axis values only', () => {
    const L = apply('M201 X500 Y0 Z-1 E2000');
    expect(L.maxAcceleration).toEqual([500, 3000, 100, 2000]);
    expect(apply('M203 X200 E40').maxFeedrate).toEqual([200, 300, 5, 40]);
  });

  test('M204: legacy S sets print and travel (T then is retract), P/R/T the modern way; capped by the slicer maxima', () => {
    const legacy = apply('M204 S800 T1500');
    expect(legacy).toMatchObject({ printAcceleration: 800, travelAcceleration: 800, retractAcceleration: 1500 });
    const L = marlinDefaults();
    L.maxPrintAcceleration = 1000;
    L.maxTravelAcceleration = 1200;
    expect(apply('M204 P1500 R700 T2000', L)).toMatchObject({ printAcceleration: 1000, retractAcceleration: 700, travelAcceleration: 1200 });
  });

  test('M205: jerk selects classic jerk, J junction deviation; S/T minimum feed rates', () => {
    const L = apply('M205 X8 Y8 Z0.4 E4.5 S1 T2');
    expect(L).toMatchObject({ junction: 'jerk', jerk: [8, 8, 0.4, 4.5], minExtrudingFeedrate: 1, minTravelFeedrate: 2 });
    expect(apply('M205 J0.02', L)).toMatchObject({ junction: 'deviation', junctionDeviation: 0.02 });
    expect(apply('M205 E3', L)).toMatchObject({ junction: 'deviation', jerk: [8, 8, 0.4, 3] });
  });

  test('other M codes are not limit commands', () => {
    const p = parsed('M104 S200');
    expect(applyLimitCommand(p, p.code, marlinDefaults())).toBe(false);
  });
});
