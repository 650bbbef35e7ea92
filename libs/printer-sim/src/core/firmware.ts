import { lineChecksum } from './checksum';
import { DIALECTS, type DialectName, type DialectProfile, type TempSnapshot } from './dialect';
import { DEFAULT_HALT_MESSAGE, type FaultOptions } from './faults';
import { commandText, parseCommand, type GcodeCommand } from './gcode-command';
import { seededRandom, type Random } from './random';
import { ExecutionRecord } from './record';
import type { Scheduler, TimerHandle } from './scheduler';
import { EmergencyParser } from './emergency-parser';
import { Planner, type PlannerOptions } from '../machine/planner';
import { ThermalModel, type ThermalOptions, type Heater } from '../machine/thermal';
import { COMMANDS, type CommandStep } from '../machine/commands';
import { MachineAxes } from '../machine/axes';

export interface FirmwareOptions {
  dialect?: DialectName | DialectProfile;
  /** Command queue length, counting the running command (Marlin BUFSIZE, default 4). */
  bufsize?: number;
  /** UART receive ring (Marlin RX_BUFFER_SIZE 128 holds 127 bytes). */
  rxBufferSize?: number;
  /** MAX_CMD_SIZE: longer lines are cut (default 96). */
  maxLineLength?: number;
  /** Marlin ADVANCED_OK: `ok N<line> P<planner free> B<buffer free>`. */
  advancedOk?: boolean;
  /** Bootloader time after a reset: bytes are eaten, then the banner comes (default 0). */
  bootMs?: number;
  planner?: PlannerOptions;
  thermal?: ThermalOptions;
  /** Seed for thermal noise. */
  seed?: number;
  /**
   * Opening the port resets the board (DTR, most USB-serial boards; default true). False: a
   * board that keeps running when the host closes the port or the cable is pulled (native USB,
   * or the DTR reset cut), so a re-plugged host finds it as it was.
   */
  dtrReset?: boolean;
  /** Marlin PREVENT_COLD_EXTRUSION: E moves below this hot end temperature are refused (default: off). */
  extrudeMinTemp?: number;
}

interface QueuedCommand {
  readonly lineNumber: number | null;
  readonly cmd: GcodeCommand;
}

interface Running {
  readonly entry: QueuedCommand;
  readonly steps: Generator<number, void, void>;
  timer?: TimerHandle;
  busyTimer?: TimerHandle;
  skipOk: boolean;
}

/** Marlin's stream state while assembling a line (`process_stream_char`). */
interface LineAssembler {
  chars: string;
  inComment: boolean;
  sawSemicolon: boolean;
}

export type FirmwareState = 'booting' | 'ready' | 'halted' | 'disconnected' | 'off';

/**
 * The firmware: bytes in (already paced by the link), lines out, time from a Scheduler.
 * Follows Marlin 2.1's `queue.cpp` read loop: bytes wait in the RX ring until the command queue
 * has room; a complete line is checked for its number, then its checksum; errors empty the ring
 * and ask for a resend; commands run one at a time, `ok` after each.
 */
export class Firmware {
  readonly dialect: DialectProfile;
  readonly record = new ExecutionRecord();
  readonly planner: Planner;
  readonly thermal: ThermalModel;
  readonly bufsize: number;
  readonly advancedOk: boolean;
  state: FirmwareState = 'booting';
  /** Bytes lost because the RX ring was full (overrun). */
  droppedBytes = 0;
  /** `ok`s swallowed by the drop-ok fault. */
  droppedOks = 0;
  /** Absolute (G90) or relative (G91) XYZ, and E (M82/M83). */
  relativeXYZ = false;
  relativeE = false;
  /** Last feed rate, mm/min. */
  feedrate = 1500;
  /** Set by M108 (emergency parser) to end a heating wait. */
  cancelWait = false;
  filamentPresent = true;
  /** Homed axes and where the head really is (a reset loses the firmware's idea of it). */
  readonly axes = new MachineAxes();
  readonly dtrReset: boolean;
  readonly extrudeMinTemp: number | null;
  /** E moves refused by the cold-extrusion guard (`echo: cold extrusion prevented`). */
  coldExtrusions = 0;
  /** False between `powerOff` and `powerOn`: the board is dead, a DTR pulse cannot boot it. */
  powered = true;

  private readonly rxRing: number[] = [];
  private readonly rxCapacity: number;
  private readonly maxLine: number;
  private readonly bootMs: number;
  private readonly random: Random;
  private readonly emergency = new EmergencyParser();
  private lastN = 0;
  private readonly queue: QueuedCommand[] = [];
  private running: Running | undefined;
  private line: LineAssembler = { chars: '', inComment: false, sawSemicolon: false };
  private dropNextLine = false;
  private pumping = false;
  private bootTimer: TimerHandle | undefined;
  private autoReportTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private resendTimer: TimerHandle | undefined;
  private awaitingResend: number | null = null;
  private faultRandom: Random;

  constructor(
    readonly scheduler: Scheduler,
    options: FirmwareOptions,
    private readonly emit: (line: string) => void,
    readonly faults: FaultOptions = {},
    private readonly onDisconnect: () => void = () => undefined,
  ) {
    const d = options.dialect ?? 'marlin';
    this.dialect = typeof d === 'string' ? DIALECTS[d] : d;
    this.bufsize = options.bufsize ?? 4;
    this.rxCapacity = options.rxBufferSize ?? 127;
    this.maxLine = options.maxLineLength ?? 96;
    this.bootMs = options.bootMs ?? 0;
    this.advancedOk = options.advancedOk ?? false;
    this.dtrReset = options.dtrReset ?? true;
    this.extrudeMinTemp = options.extrudeMinTemp ?? null;
    this.random = seededRandom(options.seed ?? 1);
    this.faultRandom = seededRandom(faults.seed ?? 1);
    this.planner = new Planner(options.planner);
    this.thermal = new ThermalModel(scheduler.now(), this.random, options.thermal);
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /**
   * Power-on or DTR reset: everything volatile is lost (queue, targets, line number, planner,
   * position and homing: the firmware starts at 0 unhomed while the head stays where it was);
   * the heaters keep their physical temperature. The bootloader eats bytes for `bootMs`.
   */
  reset(): void {
    if (!this.powered) return;
    this.stopTimers();
    this.state = 'booting';
    this.rxRing.length = 0;
    this.queue.length = 0;
    this.running = undefined;
    this.line = { chars: '', inComment: false, sawSemicolon: false };
    this.dropNextLine = false;
    this.lastN = 0;
    this.awaitingResend = null;
    this.cancelWait = false;
    this.relativeXYZ = false;
    this.relativeE = false;
    this.feedrate = 1500;
    this.thermal.update(this.now());
    this.thermal.hotend.target = 0;
    this.thermal.bed.target = 0;
    this.thermal.fanSpeed = 0;
    this.axes.reset(this.planner);
    this.emergency.reset();
    this.faultRandom = seededRandom(this.faults.seed ?? 1);
    this.bootTimer = this.scheduler.setTimer(this.bootMs, () => {
      this.bootTimer = undefined;
      this.state = 'ready';
      for (const l of this.dialect.banner(this.advancedOk)) this.emit(l);
      this.armIdleWait();
      this.pump();
    });
  }

  /** The printer's power switch: the board dies (heaters off, silence); the USB adapter may stay. */
  powerOff(): void {
    this.stopTimers();
    this.running = undefined;
    this.queue.length = 0;
    this.rxRing.length = 0;
    this.thermal.update(this.now());
    this.thermal.hotend.target = 0;
    this.thermal.bed.target = 0;
    this.thermal.fanSpeed = 0;
    this.powered = false;
    this.state = 'off';
  }

  /** Power back: the board boots as from a reset (banner after `bootMs`). */
  powerOn(): void {
    if (this.powered) return;
    this.powered = true;
    this.reset();
  }

  /** Stop every timer (port closed for good, or the simulator shuts down). */
  stopTimers(): void {
    const s = this.scheduler;
    s.clearTimer(this.bootTimer);
    s.clearTimer(this.autoReportTimer);
    s.clearTimer(this.idleTimer);
    s.clearTimer(this.resendTimer);
    s.clearTimer(this.running?.timer);
    s.clearTimer(this.running?.busyTimer);
    this.bootTimer = this.autoReportTimer = this.idleTimer = this.resendTimer = undefined;
  }

  now(): number {
    return this.scheduler.now();
  }

  // ---- bytes in ----------------------------------------------------------------------------

  /** Bytes that reached the UART, in arrival order. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.state !== 'ready') continue; // bootloader or dead board: bytes vanish
      // Marlin's EMERGENCY_PARSER sees every byte in the RX interrupt, before the ring.
      const urgent = this.emergency.feed(b);
      if (urgent) this.emergencyCommand(urgent);
      if (this.state !== 'ready') continue;
      if (this.rxRing.length >= this.rxCapacity) {
        this.droppedBytes++;
        continue;
      }
      this.rxRing.push(b);
      this.pump();
    }
  }

  private emergencyCommand(code: 'M108' | 'M112' | 'M410'): void {
    if (code === 'M108') this.cancelWait = true;
    else if (code === 'M410') this.planner.clear();
    else if (this.dialect.m112 === 'reset') this.reset();
    else this.kill(this.dialect.m112Lines());
  }

  // ---- the main loop -----------------------------------------------------------------------

  /** Marlin's `loop()`: read while the queue has room, then run the next command. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      // Repetier keeps reading (and acknowledging) lines while a command waits; Marlin does not.
      if (this.running && this.dialect.okWhenStored) this.readSerial();
      while (this.state === 'ready' && !this.running) {
        this.readSerial();
        const head = this.queue[0];
        if (!head || this.state !== 'ready') break;
        this.start(head);
      }
    } finally {
      this.pumping = false;
    }
  }

  private readSerial(): void {
    while (this.state === 'ready' && this.queue.length < this.bufsize && this.rxRing.length > 0) {
      const c = String.fromCharCode(this.rxRing.shift()!);
      if (c === '\n' || c === '\r') this.lineDone();
      else this.streamChar(c);
    }
  }

  private streamChar(c: string): void {
    const l = this.line;
    if (c === ';') l.sawSemicolon = true;
    if (l.inComment) return;
    if (c === ';') {
      l.inComment = true;
      return;
    }
    if (c === '\b') {
      l.chars = l.chars.slice(0, -1);
      return;
    }
    l.chars += c;
    if (l.chars.length >= this.maxLine - 1) l.inComment = true; // overflow: rest of line ignored
  }

  private lineDone(): void {
    const { chars, sawSemicolon } = this.line;
    this.line = { chars: '', inComment: false, sawSemicolon: false };
    const d = this.dialect;
    if (d.dropsCommentLines) {
      // Prusa: a line with `;` is dropped unanswered, and with LF endings the next one too.
      if (this.dropNextLine) {
        this.dropNextLine = false;
        if (chars) return;
      }
      if (sawSemicolon) {
        this.dropNextLine = d.eol === '\n';
        return;
      }
    }
    if (!chars) return;
    this.acceptLine(chars);
  }

  private acceptLine(raw: string): void {
    const d = this.dialect;
    const command = raw.replace(/^ +/, '');
    let lineNumber: number | null = null;
    const star = command.lastIndexOf('*');
    if (command.startsWith('N')) {
      // queue.cpp: "N<n> M110 N<m>" takes its number from the second N.
      const isM110 = command.includes('M110');
      let npos = 0;
      if (isM110) {
        const n2 = command.indexOf('N', 4);
        if (n2 >= 0) npos = n2;
      }
      const n = strtol(command.slice(npos + 1));
      if (n !== this.lastN + 1 && !isM110) {
        if (d.duplicate === 'skip' && n <= this.lastN) {
          this.emit(`skip ${n}`);
          this.emit('ok');
          return;
        }
        return this.lineError(d.lineNumberError(this.lastN, n));
      }
      if (star < 0) return this.lineError(d.noChecksumError(this.lastN));
      if (strtol(command.slice(star + 1)) !== lineChecksum(command.slice(0, star))) {
        return this.lineError(d.checksumError(this.lastN));
      }
      this.lastN = n;
      lineNumber = n;
      if (this.awaitingResend !== null) this.stopResendRepeat();
    } else if (star >= 0) {
      if (d.checksumNeedsLineNumber) {
        return this.lineError([`Error:No Line Number with checksum, Last Line: ${this.lastN}`]);
      }
      if (d.checksumWithoutLineNumber && strtol(command.slice(star + 1)) !== lineChecksum(command.slice(0, star))) {
        return this.lineError(d.checksumError(this.lastN));
      }
    }
    const text = commandText(command);
    this.queue.push({ lineNumber, cmd: parseCommand(text) });
    if (d.okWhenStored) this.sendOk(lineNumber);
  }

  /** `gcode_line_error`: report, empty the RX ring, ask for last+1, forget the partial line. */
  private lineError(lines: string[]): void {
    for (const l of lines) this.emit(l);
    this.rxRing.length = 0;
    this.line = { chars: '', inComment: false, sawSemicolon: false };
    const want = this.lastN + 1;
    for (const l of this.dialect.resend(want)) this.emit(l);
    const every = this.dialect.resendRepeatMs;
    if (every !== null) {
      this.awaitingResend = want;
      this.scheduler.clearTimer(this.resendTimer);
      const repeat = () => {
        if (this.state !== 'ready' || this.awaitingResend === null) return;
        this.emit(`Resend:${this.awaitingResend}`);
        this.resendTimer = this.scheduler.setTimer(every, repeat);
      };
      this.resendTimer = this.scheduler.setTimer(every, repeat);
    }
  }

  private stopResendRepeat(): void {
    this.awaitingResend = null;
    this.scheduler.clearTimer(this.resendTimer);
    this.resendTimer = undefined;
  }

  // ---- execution ---------------------------------------------------------------------------

  private start(entry: QueuedCommand): void {
    const { cmd, lineNumber } = entry;
    if (lineNumber !== null && this.lineFaults(lineNumber)) return;
    const handler = COMMANDS[cmd.code];
    this.record.add(lineNumber, cmd.text, handler !== undefined, this.now());
    const running: Running = { entry, steps: (handler ?? unknownCommand)(cmd, this), skipOk: false };
    this.running = running;
    this.step(running);
  }

  /** Line-triggered faults; true when the command must not run. */
  private lineFaults(n: number): boolean {
    const f = this.faults;
    if (f.disconnectAtLine === n) {
      this.disconnect();
      // A board that keeps running without its host runs the line anyway.
      if (this.state === 'disconnected') return true;
    }
    if (f.haltAtLine === n) {
      this.kill([`Error:${f.haltMessage ?? DEFAULT_HALT_MESSAGE}`, 'Error:Printer halted. kill() called!']);
      return true;
    }
    if (f.runoutAtLine === n) this.filamentRunout();
    return false;
  }

  private step(running: Running): void {
    if (this.running !== running || this.state !== 'ready') return;
    const r = running.steps.next();
    if (this.running !== running || this.state !== 'ready') return; // the command killed or reset us
    if (!r.done) {
      running.timer = this.scheduler.setTimer(r.value, () => this.step(running));
      if (!running.busyTimer) this.armBusy(running);
      return;
    }
    this.scheduler.clearTimer(running.busyTimer);
    if (!running.skipOk && !this.dialect.okWhenStored) this.sendOk(running.entry.lineNumber);
    this.queue.shift();
    this.running = undefined;
    this.armIdleWait();
    this.pump();
  }

  /** Marlin's host keepalive: `busy: processing` every 2 s while a command blocks. */
  private armBusy(running: Running): void {
    running.busyTimer = this.scheduler.setTimer(2000, () => {
      if (this.running !== running || this.state !== 'ready') return;
      this.emit(this.dialect.busyMessage);
      this.armBusy(running);
    });
  }

  /** The running command answers for itself (M105 prints its own `ok`). */
  suppressOk(): void {
    if (this.running) this.running.skipOk = true;
  }

  private sendOk(lineNumber: number | null): void {
    const rate = this.faults.dropOkRate ?? 0;
    if (rate > 0 && this.faultRandom() < rate) {
      this.droppedOks++;
      return;
    }
    const adv = this.advancedOk
      ? { planner: this.planner.movesFree(), buffer: this.bufsize - this.queue.length }
      : null;
    this.emit(this.dialect.okLine(lineNumber, adv));
  }

  // ---- services used by command handlers -----------------------------------------------------

  out(line: string): void {
    this.emit(line);
  }

  setLineNumber(n: number): void {
    this.lastN = n;
  }

  temps(): TempSnapshot {
    this.thermal.update(this.now());
    const { hotend, bed } = this.thermal;
    return {
      t: this.thermal.reading(hotend),
      tTarget: hotend.target,
      b: this.thermal.reading(bed),
      bTarget: bed.target,
      tPower: hotend.power,
      bPower: bed.power,
    };
  }

  setAutoReport(seconds: number): void {
    this.scheduler.clearTimer(this.autoReportTimer);
    this.autoReportTimer = undefined;
    if (seconds <= 0) return;
    const ms = Math.min(seconds, 60) * 1000;
    const tick = () => {
      if (this.state !== 'ready') return;
      this.emit(this.dialect.autoReport(this.temps()));
      this.autoReportTimer = this.scheduler.setTimer(ms, tick);
    };
    this.autoReportTimer = this.scheduler.setTimer(ms, tick);
  }

  /** Repetier prints `wait` each second while idle with nothing queued. */
  private armIdleWait(): void {
    const every = this.dialect.idleWaitMs;
    if (every === null) return;
    this.scheduler.clearTimer(this.idleTimer);
    this.idleTimer = this.scheduler.setTimer(every, () => {
      if (this.state !== 'ready') return;
      if (!this.running && this.queue.length === 0 && this.rxRing.length === 0) this.emit('wait');
      this.armIdleWait();
    });
  }

  // ---- faults and fatal events -------------------------------------------------------------

  /** Marlin `kill()`: print the reason, heaters off, then silence until the board resets. */
  kill(lines: string[]): void {
    if (this.state !== 'ready' && this.state !== 'booting') return;
    for (const l of lines) this.emit(l);
    this.state = 'halted';
    this.thermal.update(this.now());
    this.thermal.hotend.target = 0;
    this.thermal.bed.target = 0;
    this.planner.clear();
    this.stopTimers();
    this.running = undefined;
  }

  thermalRunaway(heater: 'hotend' | 'bed' = 'hotend'): void {
    const id = heater === 'bed' ? 'bed' : '0';
    this.kill([`Error:Thermal Runaway, system stopped! Heater_ID: ${id}`, 'Error:Printer halted. kill() called!']);
  }

  /** Runout sensor trips: the host is asked to pause (Marlin HOST_ACTION_COMMANDS). */
  filamentRunout(): void {
    this.filamentPresent = false;
    if (this.state === 'ready') this.emit('//action:pause');
  }

  /**
   * The USB cable is pulled: nothing more in or out until the adapter reconnects and resets. A
   * board without the DTR reset keeps running (its replies go nowhere) and is found as it was.
   */
  disconnect(): void {
    if (this.state === 'disconnected') return;
    if (!this.dtrReset) return this.onDisconnect();
    this.stopTimers();
    this.running = undefined;
    this.state = 'disconnected';
    this.onDisconnect();
  }

  heater(which: 'hotend' | 'bed'): Heater {
    return which === 'bed' ? this.thermal.bed : this.thermal.hotend;
  }

  queueLength(): number {
    return this.queue.length;
  }

  rxBuffered(): number {
    return this.rxRing.length;
  }
}

/** `strtol(s, nullptr, 10)`: leading sign and digits, 0 when there are none. */
function strtol(s: string): number {
  const m = /^\s*([-+]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

function* unknownCommand(cmd: GcodeCommand, fw: Firmware): CommandStep {
  fw.out(fw.dialect.unknownCommand(cmd.text));
}
