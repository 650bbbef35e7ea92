import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfileName } from '../src/profiles';
import type { Dialect } from './firmware-stub';
import { expectedCommands, simulate, type Faults } from './link-sim';

/** The shared corpus lives beside the repository, as for libs/gcode: <repo>/../shared/gcode. */
const CORPUS_DIR = path.resolve(__dirname, '../../../../shared/gcode');

// The acceptance noise: 1 % of lines corrupted both ways, and dropped oks.
const ONE_PERCENT: Faults = {
  corrupt: 0.01,
  cutTail: 0.5,
  dropOk: 0.01,
  duplicateOk: 0,
  garbage: 0.005,
  garbleReply: 0.01,
};

const FILES: { file: string; dialect: Dialect; profile: ProfileName }[] = [
  { file: 'prusaslicer-2.8.1-minicube-qoi.gcode', dialect: 'prusa', profile: 'prusa' },
  { file: 'curaengine-4.13-cube-ender3.gcode', dialect: 'marlin', profile: 'marlin' },
  { file: 'cura-3.6.0-calibration-cube.gcode', dialect: 'marlin-advanced', profile: 'marlin' },
  { file: 'prusaslicer-2.5.0-cube-mk3s.gcode', dialect: 'repetier', profile: 'repetier' },
];

describe.each(FILES)('$file on $dialect', ({ file, dialect, profile }) => {
  it('runs every command of the real file once, in order, through 1 % noise', () => {
    const lines = readFileSync(path.join(CORPUS_DIR, file), 'utf8').split(/\r?\n/);
    const o = simulate({
      dialect,
      profile,
      seed: 2024,
      file: lines,
      faults: ONE_PERCENT,
      maxSteps: 2_000_000,
    });
    expect(o.failure).toBeNull();
    expect(o.finished).toBe(true);
    const want = expectedCommands(lines);
    expect(want.length).toBeGreaterThan(1000);
    expect(o.jobExecuted).toEqual(want);
    expect(o.actions.filter((a) => a.type === 'resend').length).toBeGreaterThan(0);
  });
});
