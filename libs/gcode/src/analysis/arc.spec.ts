import { arcExtremePoints, arcExtremes, resolveArc, MAX_EXTREMES, type Arc } from './arc';

describe('arc geometry', () => {
  test('resolveArc writes into the object it is given (no object per arc)', () => {
    const out: Arc = { cx: 0, cy: 0, r: 0, a0: 0, sweep: 0 };
    const arc = resolveArc(0, 0, 20, 0, true, 10, 0, undefined, out);
    expect(arc).toBe(out);
    expect(out).toEqual(resolveArc(0, 0, 20, 0, true, 10, 0, undefined));
    expect(out).toMatchObject({ cx: 10, cy: 0, r: 10, sweep: -Math.PI });
    expect(resolveArc(0, 0, 0, 0, true, undefined, undefined, 5, out)).toBeNull();
  });

  test.each([
    ['half circle, clockwise', resolveArc(0, 0, 20, 0, true, 10, 0, undefined)!],
    ['full circle', resolveArc(10, 0, 10, 0, true, 5, 0, undefined)!],
    ['R form, counter-clockwise', resolveArc(0, 0, 20, 0, false, undefined, undefined, 10)!],
    ['quarter, no extreme inside', resolveArc(1, 0, 0, 1, false, -1, 0, undefined)!],
  ])('%s: the extreme points, in order, both ways', (_name, arc) => {
    const visited: number[] = [];
    arcExtremes(arc, (x, y) => visited.push(x, y));
    const points = new Float64Array(2 * MAX_EXTREMES);
    const n = arcExtremePoints(arc, points);
    expect([...points.subarray(0, 2 * n)]).toEqual(visited);
  });

  test('a full circle passes its starting extreme twice', () => {
    const points = new Float64Array(2 * MAX_EXTREMES);
    expect(arcExtremePoints(resolveArc(10, 0, 10, 0, true, 5, 0, undefined)!, points)).toBe(5);
  });
});
