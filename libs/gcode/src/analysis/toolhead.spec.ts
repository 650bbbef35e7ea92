import { parsed } from '../../test/parsed-line';
import { axisTarget, Toolhead } from './toolhead';

describe('Toolhead', () => {
  test('axisTarget: absolute, relative, in units; no word or no number: stays', () => {
    expect(axisTarget(1, 10, 3, false, 1)).toBe(10);
    expect(axisTarget(1, 10, 3, true, 1)).toBe(13);
    expect(axisTarget(1, 1, 2, true, 25.4)).toBe(27.4);
    expect(axisTarget(0, 10, 3, false, 1)).toBe(3);
    expect(axisTarget(1, NaN, 3, false, 1)).toBe(3);
  });

  test('E follows G90/G91 unless M82/M83 says otherwise; the speed factor scales the feed rate', () => {
    const h = new Toolhead();
    expect(h.eRelative()).toBe(false);
    h.relXYZ = true;
    expect(h.eRelative()).toBe(true);
    h.eMode = 1; // M82
    expect(h.eRelative()).toBe(false);
    h.relXYZ = false;
    h.eMode = 2; // M83
    expect(h.eRelative()).toBe(true);
    h.feed = 40;
    h.speedFactor = 0.5;
    expect(h.speed()).toBe(20);
  });

  test('G92 renames the named coordinates, all of them without words; tells when E was renamed', () => {
    const h = new Toolhead();
    [h.tx, h.ty, h.tz, h.te] = [10, 5, 1, 3];
    h.arrive();
    expect(h.setPosition(parsed('G92 X0'))).toBe(false);
    expect([h.x, h.y, h.z, h.e]).toEqual([0, 5, 1, 3]);
    expect(h.setPosition(parsed('G92 E0'))).toBe(true);
    expect(h.e).toBe(0);
    h.x = 4;
    expect(h.setPosition(parsed('G92'))).toBe(true);
    expect([h.x, h.y, h.z, h.e]).toEqual([0, 0, 0, 0]);
  });
});
