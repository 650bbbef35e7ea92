import { numberedLine } from '../core/checksum';
import { SimulatedPrinter, type SimPrinterOptions } from '../core/printer';
import { VirtualScheduler } from '../core/scheduler';

/**
 * A host on a virtual clock, for unit tests: write lines, advance time, read what came back.
 * Defaults make exchanges exact: unlimited link, no latency, no boot delay, no thermal noise.
 */
export class VirtualHost {
  readonly scheduler = new VirtualScheduler();
  readonly printer: SimulatedPrinter;
  private text = '';
  private taken = 0;

  constructor(options: SimPrinterOptions = {}) {
    this.printer = new SimulatedPrinter(this.scheduler, {
      baudRate: 0,
      latencyMs: 0,
      bootMs: 0,
      ...options,
      thermal: { noise: 0, ...options.thermal },
    });
    this.printer.onData((b) => {
      this.text += b.toString('latin1');
    });
  }

  /** Open the port and let the board boot; the banner is taken (not returned). */
  open(): this {
    this.printer.open();
    this.run(0);
    this.scheduler.runUntil(() => this.printer.firmware.state !== 'booting');
    this.scheduler.runUntil(() => this.printer.outputPending === 0);
    this.take();
    return this;
  }

  send(line: string): this {
    this.printer.write(line + '\n');
    return this;
  }

  sendRaw(bytes: string): this {
    this.printer.write(bytes);
    return this;
  }

  sendNumbered(n: number, command: string): this {
    return this.send(numberedLine(n, command));
  }

  run(ms: number): this {
    this.scheduler.advanceBy(ms);
    return this;
  }

  /** Every complete line received so far (line endings removed). */
  lines(): string[] {
    const parts = this.text.split('\n');
    parts.pop();
    return parts.map((l) => l.replace(/\r$/, ''));
  }

  /** Raw text received so far, line endings included. */
  raw(): string {
    return this.text;
  }

  /** Complete lines received since the last `take`. */
  take(): string[] {
    const all = this.lines();
    const out = all.slice(this.taken);
    this.taken = all.length;
    return out;
  }

  /** Advance until a received line matches; returns the virtual ms it took. */
  runUntilLine(match: RegExp | string, limitMs = 600_000): number {
    const test = (l: string) => (typeof match === 'string' ? l === match : match.test(l));
    const from = this.lines().length;
    return this.scheduler.runUntil(() => this.lines().slice(from).some(test), limitMs);
  }

  /** Advance until `count` more `ok` lines have arrived. */
  runUntilOks(count: number, limitMs = 600_000): number {
    const from = this.lines().length;
    return this.scheduler.runUntil(
      () => this.lines().slice(from).filter((l) => /^ok\b/.test(l)).length >= count,
      limitMs,
    );
  }
}
