/**
 * Deterministic discrete-event replay of engine ⇄ wire ⇄ firmware stub with seeded faults.
 * Lines in transit to the firmware sit on `wire`; lines it has received but not read sit in `rx`.
 * A firmware flush empties `rx` and, with probability `cutTail`, cuts the line half-way on the wire
 * into the tail that arrives after the flush (FIRMWARE.md: "Things a host must know").
 */
import { ProtocolEngine } from '../src/engine';
import type { EngineAction, EngineOptions } from '../src/engine-types';
import type { ProfileName } from '../src/profiles';
import { FirmwareStub, type Dialect } from './firmware-stub';

export interface Faults {
  /** A host line has one byte changed on the way. */
  corrupt: number;
  /** A flush cuts the line that is half-received. */
  cutTail: number;
  /** An `ok` is lost or garbled beyond recognition. */
  dropOk: number;
  /** An `ok` arrives twice. */
  duplicateOk: number;
  /** Noise makes a short garbage line reach the firmware. */
  garbage: number;
  /** Any firmware line is garbled (one byte changed). */
  garbleReply: number;
}

export const NO_FAULTS: Faults = {
  corrupt: 0,
  cutTail: 0,
  dropOk: 0,
  duplicateOk: 0,
  garbage: 0,
  garbleReply: 0,
};

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Scenario {
  dialect: Dialect;
  profile: ProfileName;
  seed: number;
  file: string[];
  faults: Faults;
  engine?: EngineOptions;
  maxSteps?: number;
  /** Collects a readable log of the run (debugging a failing seed). */
  trace?: string[];
}

export interface Outcome {
  /** Everything the firmware ran. */
  executed: string[];
  /** What it ran except the engine's own M110 barriers and M105 probes: must equal the file. */
  jobExecuted: string[];
  actions: EngineAction[];
  finished: boolean;
  failure: string | null;
  maxUnacked: number;
  writes: number;
  /** At each `job-progress`: lines the engine confirmed, and job lines the firmware had run by then. */
  progress: { confirmed: number; ran: number }[];
}

const SAFE_NOISE = 'ABCDEFHIJKLOPQRUVWXYZ0123456789 .-'; // no line ends, `;`, `:`, `*`, N, G, M, T (see docs)

export function simulate(s: Scenario): Outcome {
  const rand = rng(s.seed);
  const pick = (text: string) => text[Math.floor(rand() * text.length)] ?? 'X';
  const wire: string[] = [];
  let rx: string[] = [];
  const toHost: string[] = [];
  const actions: EngineAction[] = [];
  let now = 0;
  let finished = false;
  let failure: string | null = null;
  let maxUnacked = 0;
  let writes = 0;
  const progress: Outcome['progress'] = [];
  const jobExecuted: string[] = [];
  const originByNumber = new Map<number, string>();

  const fw = new FirmwareStub(s.dialect, {
    flush: () => {
      s.trace?.push(`${now} flush ${JSON.stringify(rx)}`);
      rx = [];
      const cut = wire[0];
      if (cut !== undefined && cut.length > 1 && rand() < s.faults.cutTail) {
        wire[0] = cut.slice(1 + Math.floor(rand() * (cut.length - 1)));
      }
    },
    reply: (line) => {
      const isOk = line.startsWith('ok');
      if (isOk && rand() < s.faults.dropOk) return;
      let out = line;
      if (out.length > 0 && rand() < s.faults.garbleReply) {
        const i = Math.floor(rand() * out.length);
        out = out.slice(0, i) + pick('xyz#') + out.slice(i + 1);
      }
      s.trace?.push(`${now} fw> ${JSON.stringify(out)}`);
      toHost.push(out);
      if (isOk && rand() < s.faults.duplicateOk) toHost.push(out);
    },
  });
  const engine = new ProtocolEngine({
    profile: s.profile,
    autoProfile: false,
    ackTimeoutMs: 2000,
    ...s.engine,
  });

  const apply = (list: EngineAction[]) => {
    for (const a of list) {
      actions.push(a);
      if (a.type !== 'write') s.trace?.push(`${now} engine ${JSON.stringify(a)}`);
      if (a.type === 'job-finished') finished = true;
      if (a.type === 'job-failed') failure = a.reason;
      if (a.type === 'job-progress') progress.push({ confirmed: a.confirmedLines, ran: jobExecuted.length });
      if (a.type !== 'write') continue;
      writes++;
      if (a.lineNumber !== null) originByNumber.set(a.lineNumber, a.origin?.kind ?? 'none');
      let line = a.data.slice(0, -1);
      if (rand() < s.faults.corrupt) {
        const i = 1 + Math.floor(rand() * (line.length - 1));
        line = line.slice(0, i) + pick(SAFE_NOISE) + line.slice(i + 1);
      }
      s.trace?.push(`${now} host> ${JSON.stringify(line)}`);
      wire.push(line);
      if (rand() < s.faults.garbage) wire.push(pick(SAFE_NOISE) + pick('0123456789'));
    }
    maxUnacked = Math.max(maxUnacked, engine.status().inFlight);
  };

  apply(engine.enqueueJob(s.file, { jobId: 'job-1' }));
  const maxSteps = s.maxSteps ?? 200_000;
  for (let step = 0; step < maxSteps && !finished && failure === null; step++) {
    const busy = wire.length + rx.length + toHost.length > 0;
    now += busy ? 1 + Math.floor(rand() * 3) : 100;
    const r = rand();
    if (r < 0.3 && wire.length > 0) {
      rx.push(wire.shift() as string);
    } else if (r < 0.6 && rx.length > 0) {
      const got = rx.shift() as string;
      s.trace?.push(`${now} fw reads ${JSON.stringify(got)}`);
      const before = fw.executed.length;
      fw.receive(got, now);
      for (let i = before; i < fw.executed.length; i++) {
        const n = fw.executedNumbers[i];
        // Unnumbered runs (stray tails) count against the job: they must never happen.
        const kind = n === null || n === undefined || Number.isNaN(n) ? 'stray' : originByNumber.get(n);
        if (kind !== 'probe' && kind !== 'line-reset') jobExecuted.push(fw.executed[i] ?? '');
      }
    } else if (toHost.length > 0) {
      apply(engine.onLine(toHost.shift() as string, now));
    }
    fw.idle(now, rx.length === 0 && wire.length === 0);
    apply(engine.tick(now));
  }
  return { executed: fw.executed, jobExecuted, actions, finished, failure, maxUnacked, writes, progress };
}

/** A file of unique moves with comments, blank lines and a file `M110` the engine must drop. */
export function makeFile(count: number, seed: number): string[] {
  const rand = rng(seed);
  const lines = ['; generated by the test', 'M110 N0', ''];
  for (let i = 0; i < count; i++) {
    const x = (rand() * 200).toFixed(2);
    const y = (rand() * 200).toFixed(2);
    lines.push(i % 17 === 0 ? `G1 X${x} Y${y} ; comment` : `G1 X${x} Y${y} E${(i * 0.01).toFixed(3)}`);
    if (i % 29 === 0) lines.push('');
  }
  return lines;
}

/** The commands the file must execute, in order. */
export function expectedCommands(file: string[]): string[] {
  return file.map((l) => l.replace(/;.*$/, '').trim()).filter((l) => l !== '' && !/^M110\b/.test(l));
}
