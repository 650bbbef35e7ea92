import { ReadlineParser } from '@serialport/parser-readline';
import type { SerialPortStream } from '@serialport/stream';

/** Collects lines from a real serialport stream and waits for the ones a test expects. */
export class LineClient {
  readonly lines: string[] = [];
  private waiters: Array<() => void> = [];

  constructor(readonly port: SerialPortStream) {
    const parser = port.pipe(new ReadlineParser({ delimiter: '\n' }));
    parser.on('data', (l: string) => {
      this.lines.push(l.replace(/\r$/, ''));
      for (const w of this.waiters) w();
    });
  }

  /** Resolve with the first line from index `from` on that matches; reject after `ms`. */
  waitFor(match: RegExp | string, from = 0, ms = 5000): Promise<string> {
    const test = (l: string) => (typeof match === 'string' ? l === match : match.test(l));
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.lines.slice(from).find(test);
        if (hit === undefined) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`no line matching ${match} within ${ms} ms; got ${JSON.stringify(this.lines.slice(from))}`));
      }, ms);
      if (!check()) this.waiters.push(check);
    });
  }

  /** Write a line and wait for the next line matching `reply`. */
  async request(line: string, reply: RegExp | string = /^ok/): Promise<string> {
    const from = this.lines.length;
    this.port.write(line + '\n');
    return this.waitFor(reply, from);
  }

  get mark(): number {
    return this.lines.length;
  }
}

export function closePort(port: SerialPortStream): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}
