import { EventEmitter } from 'node:events';
import type { Logger } from '@printfleet/logging';
import { ProtocolEngine, type EngineAction, type EngineOptions, type EngineStatus, type Position } from '@printfleet/serial-protocol';
import { firmwareVersion, type FirmwareProfile } from './firmware-profile';
import { setLowLatency } from './latency-timer';
import { SerialLink, type SerialBinding } from './serial-link';

/**
 * Every engine action except `write`, which this class performs itself. A job the engine fails
 * because the board restarted (`start`) or stopped answering comes as `job-interrupted`: the
 * print is cut, not wrong, and can be resumed.
 */
export type PrinterAction =
  | Exclude<EngineAction, { type: 'write' }>
  | { type: 'job-interrupted'; jobId: string; reason: string; cause: 'reset' | 'unresponsive' };

export interface PrinterConnectionEvents {
  action: [PrinterAction];
  tx: [string];
  rx: [string];
  /** The link went away under us (unplug). Everything in flight is unknown: the session decides. */
  lost: [Error];
}

export interface ConnectionTimings {
  /** How long to wait for the firmware's `start` after opening (DTR reset, bootloader). */
  bootWaitMs: number;
  /** How long M115 may take once sent, before the next baud rate is tried. */
  handshakeTimeoutMs: number;
  /** M105 polling period where the firmware cannot auto-report. */
  pollIntervalMs: number;
  /**
   * With auto-report, a firmware silent this long while nothing is in flight gets an M105: the
   * engine's timeouts and probes then tell a dead board (`unresponsive`) from a quiet one.
   */
  silenceMs: number;
}

export const DEFAULT_TIMINGS: ConnectionTimings = { bootWaitMs: 2500, handshakeTimeoutMs: 4000, pollIntervalMs: 2000, silenceMs: 5000 };

const HANDSHAKE_ID = 'handshake-m115';

/**
 * The thin adapter between one serial port and the pure `ProtocolEngine`: it performs the
 * engine's writes, feeds it received lines and its clock (one timer at `nextDeadline()`), and
 * runs the connection sequence. A fresh engine per connection, so nothing of a lost link can
 * leak into the next one.
 */
export class PrinterConnection extends EventEmitter<PrinterConnectionEvents> {
  private link: SerialLink | null = null;
  private engine: ProtocolEngine;
  private timer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private firmwareName: string | null = null;
  private engineProfile = 'marlin-1.1';
  private capabilities = new Map<string, boolean>();
  private handshakeDone = false;
  private queries = 0;
  private lastRxAt = 0;

  constructor(
    private readonly path: string,
    private readonly log: Logger,
    private readonly options: {
      binding?: SerialBinding;
      timings?: Partial<ConnectionTimings>;
      engine?: EngineOptions;
      /** Where Linux's sysfs is (tests); null: leave USB adapters' latency timers alone. */
      sysfsRoot?: string | null;
    } = {},
  ) {
    super();
    this.engine = new ProtocolEngine(options.engine);
  }

  private get timings(): ConnectionTimings {
    return { ...DEFAULT_TIMINGS, ...this.options.timings };
  }

  get connected(): boolean {
    return this.handshakeDone && (this.link?.isOpen ?? false);
  }

  status(): EngineStatus {
    return this.engine.status();
  }

  /** Tries each baud rate: open, wait for `start` (or not), M110 barrier + M115. Throws when none answers. */
  async connect(baudRates: number[]): Promise<FirmwareProfile> {
    this.lowLatency();
    const failures: string[] = [];
    for (const baud of baudRates) {
      try {
        return await this.handshakeAt(baud);
      } catch (err) {
        failures.push(`${baud} baud: ${(err as Error).message}`);
        this.log.debug({ path: this.path, baud, err: (err as Error).message }, 'handshake failed');
        await this.close();
      }
    }
    throw new Error(`no firmware answered on ${this.path} (${failures.join('; ')})`);
  }

  private async handshakeAt(baudRate: number): Promise<FirmwareProfile> {
    this.engine = new ProtocolEngine(this.options.engine);
    this.capabilities.clear();
    this.firmwareName = null;
    this.handshakeDone = false;
    const link = await SerialLink.open(this.path, baudRate, this.options.binding);
    this.link = link;
    link.on('line', (line) => this.onLine(line));
    link.once('closed', (err) => {
      if (this.link !== link) return;
      this.stopTimers();
      this.link = null;
      const wasUp = this.handshakeDone;
      this.handshakeDone = false;
      if (err && wasUp) this.emit('lost', err);
    });
    this.run(this.engine.reset());
    // Most boards reset when the port opens and print `start` after their bootloader; boards
    // without that reset (or a missed banner) get probed after the wait instead.
    await this.waitForAction((a) => a.type === 'reset', this.timings.bootWaitMs).catch(() => undefined);
    const answered = this.waitForAction(
      (a) => (a.type === 'command-done' || a.type === 'command-failed') && a.id === HANDSHAKE_ID,
      this.timings.handshakeTimeoutMs,
    );
    this.run(this.engine.sendImmediate('M115', HANDSHAKE_ID));
    const result = await answered;
    if (result.type === 'command-failed') throw new Error(`M115 failed: ${result.reason}`);
    if (!this.firmwareName) {
      // Repetier acknowledges a line when it is stored, before it runs: M115's answer follows the
      // ok. Its M105 report is printed after M105 runs, so once it arrives the Cap: lines are in.
      await this.waitForAction((a) => a.type === 'firmware', this.timings.handshakeTimeoutMs);
      const report = this.waitForAction((a) => a.type === 'temperature', this.timings.handshakeTimeoutMs);
      this.run(this.engine.sendImmediate('M105', 'handshake-sync'));
      await report;
    }
    const name = this.firmwareName as string | null; // set by the actions awaited above
    if (!name) throw new Error('M115 answered without FIRMWARE_NAME');
    this.handshakeDone = true;
    this.afterHandshake();
    return {
      name,
      version: firmwareVersion(name),
      engineProfile: this.engineProfile,
      capabilities: [...this.capabilities].filter(([, on]) => on).map(([name]) => name),
      baudRate,
    };
  }

  /**
   * One line in flight means every `ok` waits out the USB adapter's latency timer (FTDI: 16 ms):
   * set it to 1 ms where Linux lets us (docs/printer-agent.md "Low-latency serial").
   */
  private lowLatency(): void {
    if (process.platform !== 'linux' || this.options.sysfsRoot === null) return;
    const r = setLowLatency(this.path, { sysfsRoot: this.options.sysfsRoot });
    if (r.status === 'set') this.log.info({ path: this.path, file: r.file, fromMs: r.fromMs, toMs: r.toMs }, 'USB latency timer set');
    else if (r.status === 'already') this.log.info({ path: this.path, file: r.file, ms: r.ms }, 'USB latency timer already low');
    else if (r.status === 'not-writable')
      this.log.warn({ path: this.path, file: r.file, ms: r.ms, err: r.error }, 'USB latency timer not writable (a udev rule can allow it): streaming is slower');
    else this.log.debug({ path: this.path }, 'no USB latency timer on this port');
  }

  /** Temperatures: auto-reported where the firmware can (no polling lines in the stream), else M105. */
  private afterHandshake(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    if (this.capabilities.get('AUTOREPORT_TEMP')) {
      this.run(this.engine.sendImmediate('M155 S1', 'autoreport'));
      // Auto-reports need no answer, so nothing would ever time out on a board that died idle.
      const { silenceMs } = this.timings;
      this.pollTimer = setInterval(() => {
        const st = this.engine.status();
        if (Date.now() - this.lastRxAt >= silenceMs && st.inFlight === 0 && st.queuedCommands === 0) {
          this.run(this.engine.sendImmediate('M105', 'silence-probe'));
        }
      }, Math.max(100, silenceMs / 2));
      return;
    }
    this.pollTimer = setInterval(() => {
      if (this.engine.status().queuedCommands === 0) this.run(this.engine.sendImmediate('M105', 'poll'));
    }, this.timings.pollIntervalMs);
  }

  sendCommand(code: string, id?: string): void {
    this.run(this.engine.sendImmediate(code, id));
  }

  /** M114 as an interactive command: the position its answer reports, or null if none came. */
  requestPosition(timeoutMs = 10_000): Promise<Position | null> {
    return this.query('M114', (a) => (a.type === 'position' ? a.position : null), timeoutMs);
  }

  /** M105: the targets in force (°C; null where the report has none), or null if no report came. */
  requestTargets(timeoutMs = 10_000): Promise<{ hotend: number | null; bed: number | null } | null> {
    return this.query(
      'M105',
      (a) => {
        if (a.type !== 'temperature') return null;
        const h = a.report.heaters;
        const hot = h['T'] ?? h['T0'];
        return { hotend: hot?.target ?? null, bed: h['B']?.target ?? null };
      },
      timeoutMs,
    );
  }

  /**
   * Sends `code` and resolves with the first answer `pick` recognises after it was sent. Repetier
   * prints answers after its `ok`, so the `ok` alone does not end the wait; 1 s after it without
   * an answer, or a failed command, or the timeout, gives null.
   */
  private async query<T>(code: string, pick: (a: PrinterAction) => T | null, timeoutMs: number): Promise<T | null> {
    const id = `query-${++this.queries}`;
    let onAction: ((a: PrinterAction) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<T | null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
        onAction = (a) => {
          const value = pick(a);
          if (value !== null) return resolve(value);
          if (a.type === 'command-failed' && a.id === id) return resolve(null);
          if (a.type === 'command-done' && a.id === id) {
            clearTimeout(timer);
            timer = setTimeout(() => resolve(null), Math.min(1000, timeoutMs));
          }
        };
        this.on('action', onAction);
        this.run(this.engine.sendImmediate(code, id));
      });
    } finally {
      clearTimeout(timer);
      if (onAction) this.off('action', onAction);
    }
  }

  enqueueJob(lines: string[], options: { jobId: string; final: boolean }): void {
    this.run(this.engine.enqueueJob(lines, options));
  }

  pause(): void {
    this.run(this.engine.pause());
  }

  resume(): void {
    this.run(this.engine.resume());
  }

  cancel(): void {
    this.run(this.engine.cancel());
  }

  emergencyStop(): void {
    this.run(this.engine.emergencyStop());
  }

  async close(): Promise<void> {
    this.stopTimers();
    this.handshakeDone = false;
    const link = this.link;
    this.link = null;
    await link?.close();
  }

  private onLine(line: string): void {
    this.lastRxAt = Date.now();
    this.emit('rx', line);
    this.run(this.engine.onLine(line, Date.now()));
  }

  private run(actions: EngineAction[]): void {
    // The engine fails a running job when the board restarts or stops answering, in the same
    // batch as `reset` / `unresponsive`: that job was cut off, not wrong (resumable).
    const cut = actions.find((a) => (a.type === 'reset' && this.handshakeDone) || a.type === 'unresponsive');
    for (const action of actions) {
      if (action.type === 'write') {
        this.link?.write(action.data);
        this.emit('tx', action.data.trimEnd());
        continue;
      }
      if (cut && action.type === 'job-failed') {
        this.emit('action', { type: 'job-interrupted', jobId: action.jobId, reason: action.reason, cause: cut.type === 'reset' ? 'reset' : 'unresponsive' });
        continue;
      }
      if (action.type === 'firmware') {
        this.firmwareName = action.info.name;
        this.engineProfile = action.profile;
      } else if (action.type === 'capability') {
        this.capabilities.set(action.name, action.enabled);
      } else if (action.type === 'reset' && this.handshakeDone) {
        // The board rebooted (Repetier's M112, a reset button): auto-report is off again.
        queueMicrotask(() => this.afterHandshake());
      }
      this.emit('action', action);
    }
    this.schedule();
  }

  /** One timer at the engine's next deadline instead of a polling interval per printer. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const deadline = this.engine.nextDeadline();
    if (deadline === null || !this.link) return;
    this.timer = setTimeout(() => this.run(this.engine.tick(Date.now())), Math.max(0, deadline - Date.now()));
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.timer = null;
    this.pollTimer = null;
  }

  private waitForAction<T extends PrinterAction>(match: (a: PrinterAction) => a is T, ms: number): Promise<T>;
  private waitForAction(match: (a: PrinterAction) => boolean, ms: number): Promise<PrinterAction>;
  private waitForAction(match: (a: PrinterAction) => boolean, ms: number): Promise<PrinterAction> {
    return new Promise((resolve, reject) => {
      const onAction = (a: PrinterAction) => {
        if (!match(a)) return;
        cleanup();
        resolve(a);
      };
      const onClosed = () => {
        cleanup();
        reject(new Error('port closed'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no answer within ${ms} ms`));
      }, ms);
      const link = this.link;
      const cleanup = () => {
        clearTimeout(timer);
        this.off('action', onAction);
        link?.off('closed', onClosed);
      };
      this.on('action', onAction);
      link?.once('closed', onClosed);
    });
  }
}
