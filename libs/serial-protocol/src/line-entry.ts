/** What the engine keeps for each line it sends, and for each job. */
import type { LineOrigin } from './engine-types';
import { cleanGcodeLine, isLineNumberReset } from './framing';

/** The harmless command used as a probe and as the completion barrier. */
export const PROBE_CODE = 'M105';

export interface Entry {
  code: string;
  origin: LineOrigin;
  /** Firmware line number of the latest transmission (-1 before the first). */
  number: number;
  framed: string;
  /** Proven accepted by the firmware (a later line was asked for), though not yet acknowledged. */
  validated: boolean;
  sentAt: number;
  /** Re-sends so far (resend requests honoured). */
  attempts: number;
  /** Set when this entry was sent as the answer to `Resend: <resentFor>`. */
  resentFor: number | null;
  /** Order of transmission, growing even when line numbers are reused after a resend. */
  seq: number;
}

export interface Job {
  id: string;
  /** File lines not yet sent. */
  queue: Entry[];
  nextFileLine: number;
  inputComplete: boolean;
  paused: boolean;
  pauseReported: boolean;
  confirmedLines: number;
  lastConfirmedFileLine: number;
  /** `seq` of the last job line transmitted. */
  lastSentSeq: number;
}

export function newEntry(code: string, origin: LineOrigin): Entry {
  return {
    code,
    origin,
    number: -1,
    framed: '',
    validated: false,
    sentAt: 0,
    attempts: 0,
    resentFor: null,
    seq: 0,
  };
}

export function newJob(id: string): Job {
  return {
    id,
    queue: [],
    nextFileLine: 1,
    inputComplete: false,
    paused: false,
    pauseReported: false,
    confirmedLines: 0,
    lastConfirmedFileLine: 0,
    lastSentSeq: 0,
  };
}

/**
 * Appends raw file lines: every raw line advances the file line count (so progress names real file
 * lines), comments and blank lines are not queued, nor a file's own `M110`.
 */
export function appendJobLines(job: Job, lines: Iterable<string>): void {
  for (const raw of lines) {
    const fileLine = job.nextFileLine++;
    const code = cleanGcodeLine(raw);
    if (code === null || isLineNumberReset(code)) continue;
    job.queue.push(newEntry(code, { kind: 'job', jobId: job.id, fileLine }));
  }
}

export function isProbeCode(code: string): boolean {
  return code.toUpperCase() === PROBE_CODE;
}

/** `echo:Unknown command: "G999"` names our line when its first word is the line's command. */
export function sameCommand(code: string, reported: string): boolean {
  const word = (s: string) => (s.trim().split(/\s+/)[0] ?? '').toUpperCase();
  return word(code) === word(reported);
}

export function describeEntry(e: Entry): string {
  return e.origin.kind === 'job'
    ? `${e.number} (file line ${e.origin.fileLine})`
    : `${e.number} ("${e.code}")`;
}
