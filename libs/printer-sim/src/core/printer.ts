import { Firmware, type FirmwareOptions } from './firmware';
import { DEFAULT_HALT_MESSAGE, type FaultOptions } from './faults';
import { seededRandom, type Random } from './random';
import type { ExecutionRecord } from './record';
import type { Scheduler, TimerHandle } from './scheduler';
import { Wire } from './wire';

export interface SimPrinterOptions extends FirmwareOptions {
  /** Bits per second on the wire, both ways (default 115200; 0 = unlimited). */
  baudRate?: number;
  /** Extra delay on every byte to the host, ms (USB adapters add 1–16; default 2). */
  latencyMs?: number;
  faults?: FaultOptions;
}

type Listener<T> = (value: T) => void;

/**
 * A printer on the end of a cable: the firmware model behind a baud-limited link, with the
 * fault injectors. Pure: no I/O, time from the Scheduler. The adapters (PTY, serialport
 * binding) call `open`/`write`/`close` and listen with `onData`/`onDisconnect`.
 */
export class SimulatedPrinter {
  readonly firmware: Firmware;
  /** Live fault settings; change them with `setFaults`. */
  readonly faults: FaultOptions;
  private readonly toPrinter: Wire;
  private readonly toHost: Wire;
  private readonly eol: string;
  private readonly dataListeners = new Set<Listener<Buffer>>();
  private readonly disconnectListeners = new Set<Listener<void>>();
  private portOpen = false;
  private timers: TimerHandle[] = [];
  private random: Random;

  constructor(
    readonly scheduler: Scheduler,
    options: SimPrinterOptions = {},
  ) {
    this.faults = { ...options.faults };
    this.random = seededRandom(this.faults.seed ?? 1);
    this.firmware = new Firmware(scheduler, options, (line) => this.emitLine(line), this.faults, () =>
      this.handleDisconnect(),
    );
    this.eol = this.firmware.dialect.eol;
    const baud = options.baudRate ?? 115200;
    this.toPrinter = new Wire(scheduler, baud, 0, (b) => this.firmware.receive(b));
    this.toHost = new Wire(scheduler, baud, options.latencyMs ?? 2, (b) => {
      for (const l of this.dataListeners) l(b);
    });
  }

  get record(): ExecutionRecord {
    return this.firmware.record;
  }

  /** Bytes still on their way to the host. */
  get outputPending(): number {
    return this.toHost.pending;
  }

  get isOpen(): boolean {
    return this.portOpen;
  }

  /** The host opened the port: DTR drops, the board resets and boots (see `dtrReset`). */
  open(): void {
    this.portOpen = true;
    this.toPrinter.clear();
    this.toHost.clear();
    this.clearFaultTimers();
    // DTR reboots most boards; one without that reset runs on, unless it never booted yet.
    if (this.firmware.dtrReset || this.firmware.state === 'booting') this.firmware.reset();
    const { disconnectAfterMs, thermalRunawayAfterMs } = this.faults;
    if (disconnectAfterMs !== undefined) {
      this.timers.push(this.scheduler.setTimer(disconnectAfterMs, () => this.disconnect()));
    }
    if (thermalRunawayAfterMs !== undefined) {
      this.timers.push(this.scheduler.setTimer(thermalRunawayAfterMs, () => this.thermalRunaway()));
    }
  }

  /** The host closed the port. The board keeps its state (Marlin does not reset on close). */
  close(): void {
    this.portOpen = false;
    this.toPrinter.clear();
    this.toHost.clear();
  }

  /** Bytes from the host. */
  write(data: Uint8Array | string): void {
    if (!this.portOpen) return;
    const bytes = Buffer.from(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    const rate = this.faults.corruptInRate ?? 0;
    if (rate > 0) {
      for (let i = 0; i < bytes.length; i++) {
        if (this.random() < rate) bytes[i] = bytes[i]! ^ (1 << Math.floor(this.random() * 7));
      }
    }
    this.toPrinter.send(bytes);
  }

  onData(fn: Listener<Buffer>): () => void {
    this.dataListeners.add(fn);
    return () => this.dataListeners.delete(fn);
  }

  onDisconnect(fn: Listener<void>): () => void {
    this.disconnectListeners.add(fn);
    return () => this.disconnectListeners.delete(fn);
  }

  setFaults(patch: Partial<FaultOptions>): void {
    Object.assign(this.faults, patch);
    if (patch.seed !== undefined) this.random = seededRandom(patch.seed);
  }

  /** Set the link rate (the host must use the same; a real UART would see garbage otherwise). */
  setBaudRate(baudRate: number): void {
    this.toPrinter.setBaudRate(baudRate);
    this.toHost.setBaudRate(baudRate);
  }

  // ---- faults on demand ----------------------------------------------------------------------

  halt(message = DEFAULT_HALT_MESSAGE): void {
    this.firmware.kill([`Error:${message}`, 'Error:Printer halted. kill() called!']);
  }

  thermalRunaway(heater: 'hotend' | 'bed' = 'hotend'): void {
    this.firmware.thermalRunaway(heater);
  }

  filamentRunout(): void {
    this.firmware.filamentRunout();
  }

  /** Pull the cable: the adapter closes the port under the host. */
  disconnect(): void {
    this.firmware.disconnect();
  }

  /** Press the reset button: the board reboots and prints its banner. */
  reset(): void {
    this.firmware.reset();
  }

  /** The printer's power switch, with the USB adapter still powered by the host: the port stays open. */
  powerOff(): void {
    this.firmware.powerOff();
  }

  powerOn(): void {
    this.firmware.powerOn();
  }

  dispose(): void {
    this.clearFaultTimers();
    this.firmware.stopTimers();
    this.toPrinter.clear();
    this.toHost.clear();
    this.dataListeners.clear();
    this.disconnectListeners.clear();
  }

  private clearFaultTimers(): void {
    for (const t of this.timers) this.scheduler.clearTimer(t);
    this.timers = [];
  }

  private handleDisconnect(): void {
    this.clearFaultTimers();
    this.close();
    for (const l of this.disconnectListeners) l();
  }

  private emitLine(line: string): void {
    if (!this.portOpen) return;
    let text = line;
    const rate = this.faults.corruptOutRate ?? 0;
    if (rate > 0 && text.length > 0 && this.random() < rate) {
      const i = Math.floor(this.random() * text.length);
      const code = text.charCodeAt(i);
      // Flip a low bit but stay printable and off the line ending.
      let bad = code ^ (1 << Math.floor(this.random() * 4));
      if (bad < 0x20 || bad > 0x7e) bad = 0x3f;
      text = text.slice(0, i) + String.fromCharCode(bad === code ? 0x23 : bad) + text.slice(i + 1);
    }
    this.toHost.send(Buffer.from(text + this.eol, 'latin1'));
  }
}
