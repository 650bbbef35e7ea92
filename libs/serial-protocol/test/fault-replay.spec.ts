import type { ProfileName } from '../src/profiles';
import type { Dialect } from './firmware-stub';
import { expectedCommands, makeFile, NO_FAULTS, simulate, type Faults } from './link-sim';

const NOISY: Faults = {
  corrupt: 0.05,
  cutTail: 0.5,
  dropOk: 0.03,
  duplicateOk: 0.03,
  garbage: 0.02,
  garbleReply: 0.02,
};

// A literal second `ok` cannot be told from a real one on a link without numbered acks; on Marlin the
// realistic source of extra oks is an unnumbered garbage line (`garbage`), which the engine absorbs.
// See docs/serial-protocol.md, "Limits".
// Progress is exact wherever acks carry line numbers. With bare oks an extra `ok` that cannot be
// recognised (a literal duplicate, or garbage whose `Unknown command` echo was itself garbled) makes
// one confirmation run ahead of the firmware until the next resend, probe or the completion barrier.
const PLAIN_PROGRESS: Faults = { ...NOISY, duplicateOk: 0, garbleReply: 0, garbage: 0.04 };
const CASES: {
  name: string;
  dialect: Dialect;
  profile: ProfileName;
  faults: Faults;
  progressFaults: Faults;
}[] = [
  {
    name: 'Marlin 2 (plain ok)',
    dialect: 'marlin',
    profile: 'marlin',
    faults: { ...NOISY, duplicateOk: 0, garbage: 0.04 },
    progressFaults: PLAIN_PROGRESS,
  },
  {
    name: 'Marlin 1.1 (plain ok)',
    dialect: 'marlin',
    profile: 'marlin-1.1',
    faults: { ...NOISY, duplicateOk: 0, garbage: 0.04 },
    progressFaults: PLAIN_PROGRESS,
  },
  {
    name: 'Marlin 2 with ADVANCED_OK',
    dialect: 'marlin-advanced',
    profile: 'marlin',
    faults: NOISY,
    progressFaults: NOISY,
  },
  { name: 'Prusa', dialect: 'prusa', profile: 'prusa', faults: NOISY, progressFaults: PLAIN_PROGRESS },
  {
    name: 'Repetier (send-ahead)',
    dialect: 'repetier',
    profile: 'repetier',
    faults: NOISY,
    progressFaults: NOISY,
  },
];

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe.each(CASES)('$name', ({ dialect, profile, faults, progressFaults }) => {
  it('prints a clean file exactly', () => {
    const file = makeFile(300, 99);
    const o = simulate({ dialect, profile, seed: 99, file, faults: NO_FAULTS });
    expect(o.failure).toBeNull();
    expect(o.finished).toBe(true);
    expect(o.jobExecuted).toEqual(expectedCommands(file));
    // M110 barrier + every line + the completion probe, nothing else.
    expect(o.writes).toBe(expectedCommands(file).length + 2);
  });

  it('executes every file line exactly once and in order under seeded faults', () => {
    let resends = 0;
    let timeouts = 0;
    for (const seed of SEEDS) {
      const file = makeFile(150, seed);
      const o = simulate({ dialect, profile, seed, file, faults });
      const where = `seed ${seed}`;
      expect({ where, failure: o.failure, finished: o.finished }).toEqual({
        where,
        failure: null,
        finished: true,
      });
      expect({ where, executed: o.jobExecuted }).toEqual({
        where,
        executed: expectedCommands(file),
      });
      resends += o.actions.filter((a) => a.type === 'resend').length;
      timeouts += o.actions.filter((a) => a.type === 'timeout').length;
    }
    // The faults really happened and were recovered from, not avoided.
    expect(resends).toBeGreaterThan(SEEDS.length);
    expect(timeouts).toBeGreaterThan(SEEDS.length / 4);
  });

  it('never confirms a line before the firmware ran it', () => {
    for (const seed of SEEDS) {
      const file = makeFile(120, seed);
      const o = simulate({ dialect, profile, seed, file, faults: progressFaults });
      const where = `seed ${seed}`;
      const ahead = o.progress.filter((p) => p.confirmed > p.ran);
      expect({ where, ahead }).toEqual({ where, ahead: [] });
      expect(o.progress.at(-1)?.confirmed).toBe(expectedCommands(file).length);
    }
  });
});

describe('why Marlin is ping-pong', () => {
  it('send-ahead on Marlin runs stray tails out of order under the same noise (negative control)', () => {
    let strayRuns = 0;
    for (const seed of SEEDS) {
      const file = makeFile(150, seed);
      const o = simulate({
        dialect: 'marlin',
        profile: 'marlin',
        seed,
        file,
        faults: { ...NO_FAULTS, corrupt: 0.05, cutTail: 0.5 },
        engine: { profileOverrides: { maxUnvalidatedLines: 4 } },
      });
      const got = o.jobExecuted;
      const want = expectedCommands(file);
      if (!got.every((c, i) => c === want[i])) strayRuns++;
    }
    expect(strayRuns).toBeGreaterThan(5);
  });

  it('the same noise is harmless to Prusa and Repetier with lines in flight', () => {
    for (const [dialect, profile] of [
      ['prusa', 'prusa'],
      ['repetier', 'repetier'],
    ] as const) {
      for (const seed of SEEDS.slice(0, 30)) {
        const file = makeFile(150, seed);
        const o = simulate({
          dialect,
          profile,
          seed,
          file,
          faults: { ...NO_FAULTS, corrupt: 0.05, cutTail: 0.5 },
          engine: { profileOverrides: { maxUnvalidatedLines: 4 } },
        });
        expect(o.jobExecuted).toEqual(expectedCommands(file));
      }
    }
  });

  it('Repetier really streams ahead (several lines in flight) once it numbers its acks', () => {
    const o = simulate({
      dialect: 'repetier',
      profile: 'repetier',
      seed: 5,
      file: makeFile(200, 5),
      faults: NO_FAULTS,
    });
    expect(o.maxUnacked).toBeGreaterThanOrEqual(3);
    const marlin = simulate({
      dialect: 'marlin',
      profile: 'marlin',
      seed: 5,
      file: makeFile(200, 5),
      faults: NO_FAULTS,
    });
    expect(marlin.maxUnacked).toBe(1);
  });
});
