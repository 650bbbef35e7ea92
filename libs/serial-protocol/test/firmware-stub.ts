/**
 * A pure, line-level model of how Marlin 2.1, Prusa-Firmware 3.13 and Repetier 1.0 take lines from
 * the host (FIRMWARE.md; Marlin `queue.cpp`, Prusa `cmdqueue.cpp`, Repetier `gcode.cpp`), recording
 * every command it executes. It models what matters for exactly-once delivery:
 * - line-number check before checksum check; on either error the receive buffer is flushed
 *   (the caller cuts the line that was half-received at that moment into a tail);
 * - Marlin executes unnumbered lines unchecked (so tails run); Prusa refuses `*` without `N`;
 *   Repetier checks a checksum wherever there is one and wants a G, M or T letter;
 * - Repetier acknowledges when a line is stored (`ok <n>`), skips recent duplicates and repeats
 *   `Resend:` every 200 ms while it waits.
 */
import { xorChecksum } from '../src/framing';

export type Dialect = 'marlin' | 'marlin-advanced' | 'prusa' | 'repetier';

export interface FirmwareIo {
  /** Throw away what sits in the receive buffer and cut the half-received line, as a flush does. */
  flush(): void;
  /** Send one line to the host. */
  reply(line: string): void;
}

const TEMPS = 'T:20.00 /0.00 B:20.00 /0.00 @:0 B@:0';

export class FirmwareStub {
  /** Every command run, in order, numbered or not. */
  readonly executed: string[] = [];
  /** The line number each command of `executed` carried (null: run unnumbered). */
  readonly executedNumbers: (number | null)[] = [];
  private lastN = 0;
  private waitingForResend = false;
  private lastDataAt = 0;
  private lastWaitAt = 0;

  /**
   * Repetier built with FEATURE_CHECKSUM_FORCED refuses lines without `*`. Without it, noise that
   * hits the `*` makes a numbered line run unchecked: no host can prevent that (docs).
   */
  repetierChecksumForced = true;

  constructor(
    readonly dialect: Dialect,
    private readonly io: FirmwareIo,
  ) {}

  /** One complete line as the firmware's reader sees it (without the line end). */
  receive(raw: string, now: number): void {
    this.lastDataAt = now;
    if (this.dialect === 'repetier') return this.repetier(raw);
    return this.marlinLike(raw);
  }

  /** Time passes: Repetier's resend repeat and `wait`. */
  idle(now: number, bufferEmpty: boolean): void {
    if (this.dialect !== 'repetier') return;
    if (this.waitingForResend && now - this.lastDataAt > 200) {
      this.lastDataAt = now;
      this.requestResend();
    } else if (bufferEmpty && now - this.lastDataAt > 1000 && now - this.lastWaitAt > 1000) {
      this.lastWaitAt = now;
      this.io.reply('wait');
    }
  }

  private marlinLike(raw: string): void {
    const line = raw.replace(/^ +/, '');
    if (line === '') return;
    if (line.startsWith('N')) {
      const isM110 = line.includes('M110');
      const nMatch = isM110 ? /M110\s*N(-?\d+)/.exec(line) : null;
      const n = Number.parseInt((nMatch ? nMatch[1] : line.slice(1)) ?? '', 10);
      if (n !== this.lastN + 1 && !isM110) return this.lineError('Line Number is not Last Line Number+1');
      const star = line.lastIndexOf('*');
      if (star < 0) return this.lineError('No Checksum with line number');
      if (Number.parseInt(line.slice(star + 1), 10) !== xorChecksum(line.slice(0, star))) {
        return this.lineError('checksum mismatch');
      }
      this.lastN = n;
      const code = line.slice(0, star).replace(/^N-?\d+\s*/, '');
      return this.execute(code, n);
    }
    if (this.dialect === 'prusa' && line.includes('*')) return this.lineError('No Line Number with checksum');
    const star = line.indexOf('*');
    const code = (star >= 0 ? line.slice(0, star) : line).trim();
    if (!/^[GMT]\d/i.test(code)) {
      this.io.reply(`echo:Unknown command: "${code}"`);
      return this.io.reply('ok');
    }
    this.execute(code, null); // Marlin: unnumbered lines run unchecked
  }

  private execute(code: string, n: number | null): void {
    this.executed.push(code);
    this.executedNumbers.push(n);
    if (/^M110\b/.test(code)) this.lastN = Number(/N(-?\d+)/.exec(code)?.[1] ?? 0);
    if (/^M105\b/.test(code)) return this.io.reply(`ok ${TEMPS}`);
    if (/^G999\b/.test(code)) this.io.reply(`echo:Unknown command: "${code}"`);
    this.io.reply(this.dialect === 'marlin-advanced' && n !== null ? `ok N${n} P15 B3` : 'ok');
  }

  private lineError(message: string): void {
    this.io.reply(`Error:${message}, Last Line: ${this.lastN}`);
    this.io.flush();
    this.io.reply(`Resend: ${this.lastN + 1}`);
    this.io.reply('ok');
  }

  private repetier(raw: string): void {
    const line = raw.trim();
    if (line === '') return;
    const nPos = line.indexOf('N');
    const n = nPos >= 0 ? Number.parseInt(line.slice(nPos + 1), 10) : null;
    const star = line.indexOf('*');
    if (star >= 0 && Number.parseInt(line.slice(star + 1), 10) !== xorChecksum(line.slice(0, star))) {
      this.io.reply('Error:Wrong checksum');
      return this.requestResend();
    }
    if (star < 0 && this.repetierChecksumForced) {
      this.io.reply('Error:Missing checksum');
      return this.requestResend();
    }
    const body = star >= 0 ? line.slice(0, star) : line;
    const code = body.replace(/^N-?\d+\s*/, '').trim();
    if (!/[GMT]/.test(code)) {
      this.io.reply('Error:Format error');
      return this.requestResend();
    }
    if (/^M110\b/.test(code)) {
      this.lastN = n ?? 0;
      this.waitingForResend = false;
      return this.io.reply('ok');
    }
    if (n !== null && !Number.isNaN(n)) {
      if (n !== this.lastN + 1) {
        if ((this.lastN - n >= 0 && this.lastN - n < 40) || this.waitingForResend) {
          this.io.reply(`skip ${n}`);
          return this.io.reply('ok');
        }
        this.io.reply(`Error:expected line ${this.lastN + 1} got ${n}`);
        return this.requestResend();
      }
      this.lastN = n;
    }
    this.waitingForResend = false;
    this.executed.push(code);
    this.executedNumbers.push(n);
    this.io.reply(`ok ${n ?? this.lastN}`);
    if (/^M105\b/.test(code)) this.io.reply(TEMPS);
  }

  private requestResend(): void {
    this.io.flush();
    this.waitingForResend = true;
    this.io.reply('');
    this.io.reply(`Resend:${this.lastN + 1}`);
    this.io.reply('ok');
  }
}
