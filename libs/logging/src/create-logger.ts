import pino, { type Logger } from 'pino';
import pretty, { prettyFactory } from 'pino-pretty';

export type { Logger } from 'pino';

export interface LogOptions {
  level: string;
  format: 'auto' | 'json' | 'pretty';
}

const PRETTY_OPTIONS = { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true };

function wantsPretty(format: LogOptions['format']): boolean {
  return format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
}

/**
 * One root logger per process, named after the service. JSON lines by default (what the
 * launcher, docker and journald collect); readable when a person runs a service in a terminal.
 */
export function createLogger(service: string, options: LogOptions): Logger {
  const base = { level: options.level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  return wantsPretty(options.format) ? pino(base, pretty(PRETTY_OPTIONS)) : pino(base, pino.destination({ sync: false }));
}

/** Turns one JSON log line of a child process into a readable line; other text passes through. */
export function createLinePrettifier(): (line: string) => string {
  const format = prettyFactory({ ...PRETTY_OPTIONS, ignore: 'pid,hostname,service' });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return format(JSON.parse(line)).replace(/\n$/, '');
    } catch {
      return line;
    }
  };
}
