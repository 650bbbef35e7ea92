import { isValidId, slugifyId } from './ids';

describe('printer ids', () => {
  it.each(['prusa-mk3', 'A50285BI', 'dagoma_1', 'x.y'])('accepts %s', (id) => expect(isValidId(id)).toBe(true));
  it.each(['', 'a/b', 'a+b', '#', '$SYS', '-lead', 'a b', 'é', 'x'.repeat(65)])('refuses %j', (id) =>
    expect(isValidId(id)).toBe(false),
  );
  it('slugifies USB serial numbers into valid ids', () => {
    expect(slugifyId(' FTDI/A50285BI ')).toBe('FTDI-A50285BI');
    expect(slugifyId('///')).toBeNull();
  });
});
