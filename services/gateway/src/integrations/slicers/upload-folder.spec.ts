import { GatewayError } from '../../errors/gateway-error';
import { encodePath, folderFromOctoPrintPath, octoPrintPath } from './upload-folder';

describe('folderFromOctoPrintPath', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['  ', null],
    ['prints', 'prints'],
    ['prints/pla', 'prints/pla'],
    ['prints/pla/', 'prints/pla'],
    ['prints\\pla', 'prints/pla'],
    ['Prüfkörper/ABS (rot), v2', 'Prüfkörper/ABS (rot), v2'],
    ['試作/第1版', '試作/第1版'],
    ["anna's parts/v1.2+fix", "anna's parts/v1.2+fix"],
    ['x'.repeat(100), 'x'.repeat(100)],
  ])('takes %j as folder %j', (raw, folder) => {
    expect(folderFromOctoPrintPath(raw)).toBe(folder);
  });

  it.each([
    ['..', /dot/],
    ['../etc', /dot/],
    ['prints/..', /dot/],
    ['prints/./pla', /dot/],
    ['.git', /dot/],
    ['/etc', /absolute/],
    ['\\\\server\\share', /absolute/],
    ['C:\\Users', /absolute/],
    ['c:relative', /absolute/],
    ['a//b', /empty/],
    ['a/ b', /space/],
    ['a /b', /space/],
    ['a\u0000b', /letters/],
    ['a\nb', /letters/],
    ['ab:c', /letters/],
    ['a*b', /letters/],
    ['a%2e%2e', /letters/],
    ['a<b>', /letters/],
    ['x'.repeat(101), /longer than 100/],
    [`${'abcdefghi/'.repeat(20)}x`, /longer than 200/],
    ['1/2/3/4/5/6/7/8/9', /levels/],
  ])('refuses %j', (raw, why) => {
    let err: unknown;
    try {
      folderFromOctoPrintPath(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('INVALID_INPUT');
    expect((err as GatewayError).message).toMatch(why);
  });

  it('names and encodes a file’s place as OctoPrint does', () => {
    expect(octoPrintPath(null, 'a.gcode')).toBe('a.gcode');
    expect(octoPrintPath('prints/pla', 'a.gcode')).toBe('prints/pla/a.gcode');
    expect(encodePath('prints/PLA Teile/a#1.gcode')).toBe('prints/PLA%20Teile/a%231.gcode');
  });
});
