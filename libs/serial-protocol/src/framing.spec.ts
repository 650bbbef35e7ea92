import {
  cleanGcodeLine,
  frameLine,
  hasDangerousTail,
  isHeatingWait,
  isLineNumberReset,
  xorChecksum,
} from './framing';

describe('framing', () => {
  it('computes the XOR checksum real hosts send', () => {
    // Known pairs: `N0 M110 N0*125` (OctoPrint's first line) and `N1 M105*38`.
    expect(frameLine(0, 'M110 N0')).toBe('N0 M110 N0*125');
    expect(frameLine(1, 'M105')).toBe('N1 M105*38');
    expect(xorChecksum('')).toBe(0);
  });
  it('strips comments and blank lines', () => {
    expect(cleanGcodeLine('G1 X10 ; move')).toBe('G1 X10');
    expect(cleanGcodeLine('  ; only a comment')).toBeNull();
    expect(cleanGcodeLine('   ')).toBeNull();
    expect(cleanGcodeLine('M117 Hello\r')).toBe('M117 Hello');
  });
  it('recognises M110 and heating waits', () => {
    expect(isLineNumberReset('M110 N0')).toBe(true);
    expect(isLineNumberReset('M1100')).toBe(false);
    expect(isHeatingWait('M109 S210')).toBe(true);
    expect(isHeatingWait('M190 S60')).toBe(true);
    expect(isHeatingWait('M104 S210')).toBe(false);
  });
  it('finds suffixes Repetier would run alone after a flush', () => {
    // A suffix passes Repetier's checksum exactly when the XOR of the bytes before it is 0.
    for (let n = 1; n < 3000; n++) {
      const framed = frameLine(n, 'G1 X10 Y20 E0.5');
      const star = framed.lastIndexOf('*');
      const given = Number(framed.slice(star + 1));
      let expected = false;
      for (let c = 1; c < star; c++) {
        const tail = framed.slice(c, star);
        if (xorChecksum(tail) === given && /[GMT]/.test(tail)) expected = true;
      }
      expect(hasDangerousTail(framed)).toBe(expected);
    }
  });
  it('flags at least one real dangerous line and clears ordinary moves', () => {
    expect(hasDangerousTail(frameLine(12, 'G1 X10 Y20'))).toBe(false);
    let found = 0;
    for (let n = 1; n < 3000; n++) if (hasDangerousTail(frameLine(n, 'M104 S200 T0'))) found++;
    expect(found).toBeGreaterThan(0);
  });
});
