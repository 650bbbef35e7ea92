import pino, { type Logger } from 'pino';

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * A real pino logger whose records a test can await: what the agent does with a message that
 * changes nothing on MQTT (a refused payload) is only visible in its log. Pino writes to a
 * plain stream synchronously, so a record is here as soon as the code that logged it ran.
 * PRINTFLEET_TEST_LOG=info (or any level) also echoes the records to stdout.
 */
export class LogCapture {
  readonly records: LogRecord[] = [];
  readonly logger: Logger;
  private waiters: { match: (r: LogRecord) => boolean; resolve: (r: LogRecord) => void }[] = [];

  constructor() {
    this.logger = pino({ level: 'info' }, { write: (line: string) => this.add(line) });
  }

  /** Position in the log: waits given `since` ignore what came before it. */
  mark(): number {
    return this.records.length;
  }

  /** Resolves with the first record (already logged or future) from `since` on that `match`es. */
  waitFor(match: (r: LogRecord) => boolean, since = 0, timeoutMs = 10_000): Promise<LogRecord> {
    const seen = this.records.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log record within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  private add(line: string): void {
    if (process.env.PRINTFLEET_TEST_LOG && process.env.PRINTFLEET_TEST_LOG !== 'silent') process.stdout.write(line);
    const record = JSON.parse(line) as LogRecord;
    this.records.push(record);
    this.waiters = this.waiters.filter((w) => (w.match(record) ? (w.resolve(record), false) : true));
  }
}
