import { commandText } from './gcode-command';

/** One command the firmware executed. */
export interface ExecutedCommand {
  /** 0, 1, 2…: order of execution. */
  readonly seq: number;
  /** The `N` it arrived with, or null for an unnumbered line. */
  readonly lineNumber: number | null;
  /** Command text as executed: no `N`, no checksum, no comment, single spaces. */
  readonly command: string;
  /** False when the firmware answered "Unknown command". */
  readonly known: boolean;
  /** Simulator time (ms) when it started executing. */
  readonly at: number;
}

/** Every command the firmware executed, in order; survives resets so a test sees the whole story. */
export class ExecutionRecord {
  private readonly entries: ExecutedCommand[] = [];

  add(lineNumber: number | null, command: string, known: boolean, at: number): void {
    this.entries.push({ seq: this.entries.length, lineNumber, command, known, at });
  }

  all(): readonly ExecutedCommand[] {
    return this.entries;
  }

  commands(): string[] {
    return this.entries.map((e) => e.command);
  }

  get length(): number {
    return this.entries.length;
  }

  /** Entries from `mark` (a previous `length`) on. */
  since(mark: number): readonly ExecutedCommand[] {
    return this.entries.slice(mark);
  }
}

/** The commands a file asks for, as the firmware would execute them (comments and blanks gone). */
export function gcodeCommands(fileText: string): string[] {
  const out: string[] = [];
  for (const raw of fileText.split(/\r?\n|\r/)) {
    const semi = raw.indexOf(';');
    const text = commandText(semi >= 0 ? raw.slice(0, semi) : raw);
    if (text) out.push(text);
  }
  return out;
}

export interface RecordComparison {
  /** True when the record holds exactly the expected commands, in order. */
  readonly whole: boolean;
  /** First index where they differ, with both sides (undefined past an end). */
  readonly firstDifference?: { index: number; expected?: string; executed?: string };
  readonly expectedCount: number;
  readonly executedCount: number;
  /** Commands executed more often than expected (duplicates or strays). */
  readonly extra: string[];
  /** Commands executed less often than expected (lost). */
  readonly missing: string[];
}

export interface CompareOptions {
  /** Leave out executed commands the host sent on its own (e.g. M105 polls). */
  ignore?: (command: string) => boolean;
}

/** Prove a file arrived whole: nothing lost, nothing executed twice, nothing reordered. */
export function compareRecord(
  executed: readonly ExecutedCommand[] | readonly string[],
  expected: readonly string[],
  options: CompareOptions = {},
): RecordComparison {
  const ignore = options.ignore ?? (() => false);
  const got = executed
    .map((e) => (typeof e === 'string' ? commandText(e) : e.command))
    .filter((c) => !ignore(c));
  const want = expected.map((c) => commandText(c));
  let firstDifference: RecordComparison['firstDifference'];
  const n = Math.max(got.length, want.length);
  for (let i = 0; i < n; i++) {
    if (got[i] !== want[i]) {
      firstDifference = { index: i, expected: want[i], executed: got[i] };
      break;
    }
  }
  const counts = new Map<string, number>();
  for (const c of want) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of got) counts.set(c, (counts.get(c) ?? 0) - 1);
  const extra: string[] = [];
  const missing: string[] = [];
  for (const [c, k] of counts) {
    for (let i = 0; i < -k; i++) extra.push(c);
    for (let i = 0; i < k; i++) missing.push(c);
  }
  return {
    whole: firstDifference === undefined,
    ...(firstDifference ? { firstDifference } : {}),
    expectedCount: want.length,
    executedCount: got.length,
    extra,
    missing,
  };
}
