import { mismatches, type PrinterProfile } from './constraints';

const profile: PrinterProfile = { bed: { x: 220, y: 220, z: 250 }, nozzleDiameter: 0.4, filamentType: 'PLA', tags: ['lab-a'] };
const cube = { minX: 100, minY: 100, minZ: 0.2, maxX: 120, maxY: 120, maxZ: 20 };

describe('mismatches', () => {
  it('accepts a matching job', () => {
    expect(mismatches({ nozzleDiameter: 0.4000001, filamentType: 'pla', tags: ['lab-a'] }, cube, profile)).toEqual([]);
  });

  it('names every reason a printer does not fit', () => {
    const tall = { ...cube, maxZ: 300 };
    expect(mismatches({ nozzleDiameter: 0.6, filamentType: 'PETG', tags: ['enclosed'] }, tall, profile)).toEqual([
      'nozzle 0.4 mm, job needs 0.6 mm',
      'filament PLA, job needs PETG',
      'missing tags: enclosed',
      'object 20×20×300 mm does not fit the bed 220×220×250 mm',
    ]);
  });

  it('compares sizes, so a purge line at negative Y still fits', () => {
    expect(mismatches({}, { minX: 0, minY: -3, minZ: 0.2, maxX: 219, maxY: 210, maxZ: 10 }, profile)).toEqual([]);
  });

  it('treats undeclared printer values as no match for explicit constraints, and skips an undeclared bed', () => {
    const bare: PrinterProfile = { bed: null, nozzleDiameter: null, filamentType: null, tags: [] };
    expect(mismatches({}, { ...cube, maxX: 9999 }, bare)).toEqual([]);
    expect(mismatches({ nozzleDiameter: 0.4, filamentType: 'PLA' }, null, bare)).toEqual([
      'printer nozzle diameter not declared',
      'printer filament not declared',
    ]);
  });
});
