import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultOptions } from '../core/faults';
import { SimulatedPrinter, type SimPrinterOptions } from '../core/printer';
import type { ExecutionRecord } from '../core/record';
import { RealTimeScheduler } from '../core/scheduler';

export interface StartSimulatorOptions extends SimPrinterOptions {
  /** Where the PTY's symlink goes (default: a fresh temp folder's `ttySIM0`). */
  path?: string;
  /** socat binary (default `socat` on PATH). */
  socat?: string;
  /** How long the "USB device" stays away after a disconnect fault (default 1000 ms). */
  reconnectMs?: number;
}

export interface SimulatorFaults {
  set(patch: Partial<FaultOptions>): void;
  halt(message?: string): void;
  thermalRunaway(heater?: 'hotend' | 'bed'): void;
  filamentRunout(): void;
  disconnect(): void;
  reset(): void;
  /** The printer's power switch; the PTY (a USB adapter powered by the host) stays. */
  powerOff(): void;
  powerOn(): void;
}

export interface RunningSimulator {
  /** Open this like /dev/ttyUSB0. */
  readonly path: string;
  readonly printer: SimulatedPrinter;
  readonly record: ExecutionRecord;
  readonly faults: SimulatorFaults;
  /** Resolves at the next time a host opens the port. */
  nextOpen(): Promise<void>;
  /** Resolves once the path is ready for a new host (after a close or an unplug, socat restarts). */
  listening(): Promise<void>;
  close(): Promise<void>;
}

/** socat parses its address text: only plain path characters may reach it. */
const SAFE_PATH = /^[A-Za-z0-9_./-]+$/;

/**
 * One simulated printer on a real pseudo-terminal. socat owns the PTY (`wait-slave`: it waits
 * for a host to open it) and relays bytes to this process over its stdio; a host opening the
 * port is the DTR reset that makes the board boot. When the host closes the port socat exits
 * and a new one takes its place, so the path can be reopened.
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const path = options.path ?? join(mkdtempSync(join(tmpdir(), 'printfleet-sim-')), 'ttySIM0');
  if (!SAFE_PATH.test(path)) throw new Error(`simulator path "${path}" may only hold letters, digits and _ . / -`);
  const scheduler = new RealTimeScheduler();
  const printer = new SimulatedPrinter(scheduler, { bootMs: 500, ...options });
  const socatBin = options.socat ?? 'socat';
  const reconnectMs = options.reconnectMs ?? 1000;
  let child: ChildProcess | undefined;
  let stopping = false;
  let openWaiters: Array<() => void> = [];
  let isListening = false;
  let listenWaiters: Array<() => void> = [];
  const setListening = (v: boolean) => {
    isListening = v;
    if (!v) return;
    const w = listenWaiters;
    listenWaiters = [];
    for (const f of w) f();
  };

  printer.onData((b) => {
    if (child?.stdin?.writable) child.stdin.write(b);
  });

  const spawnSession = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(socatBin, ['-d', '-d', '-t', '0.1', `PTY,link=${path},raw,echo=0,wait-slave`, 'STDIO'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child = proc;
      let ready = false;
      let log = '';
      proc.stdout!.on('data', (b: Buffer) => {
        if (child === proc) printer.write(b);
      });
      proc.stdin!.on('error', () => undefined); // EPIPE while socat exits
      proc.stderr!.on('data', (b: Buffer) => {
        log += b.toString();
        if (!ready && /PTY is /.test(log)) {
          ready = true;
          waitForLink(path).then(() => {
            if (child === proc) setListening(true);
            resolve();
          }, reject);
        }
        if (/starting data transfer loop/.test(log)) {
          log = '';
          setListening(false);
          printer.open();
          const w = openWaiters;
          openWaiters = [];
          for (const f of w) f();
        }
      });
      proc.on('error', (e) => {
        if (!ready) reject(new Error(`cannot start socat: ${e.message}`));
      });
      proc.on('exit', () => {
        if (child !== proc) return;
        child = undefined;
        setListening(false);
        printer.close();
        if (!ready) reject(new Error(`socat exited before creating the PTY: ${log.trim()}`));
        else if (!stopping && !unplugged) void spawnSession().catch(() => undefined);
      });
    });

  let unplugged = false;
  printer.onDisconnect(() => {
    // Pull the cable: the PTY vanishes under the host, and comes back a little later.
    unplugged = true;
    child?.kill('SIGTERM');
    setTimeout(() => {
      unplugged = false;
      if (!stopping && !child) void spawnSession().catch(() => undefined);
    }, reconnectMs).unref();
  });

  await spawnSession();

  return {
    path,
    printer,
    record: printer.record,
    faults: {
      set: (patch) => printer.setFaults(patch),
      halt: (message) => printer.halt(message),
      thermalRunaway: (heater) => printer.thermalRunaway(heater),
      filamentRunout: () => printer.filamentRunout(),
      disconnect: () => printer.disconnect(),
      reset: () => printer.reset(),
      powerOff: () => printer.powerOff(),
      powerOn: () => printer.powerOn(),
    },
    nextOpen: () => new Promise<void>((resolve) => openWaiters.push(resolve)),
    listening: () => (isListening ? Promise.resolve() : new Promise<void>((resolve) => listenWaiters.push(resolve))),
    close: async () => {
      stopping = true;
      printer.dispose();
      scheduler.clearAll();
      const proc = child;
      if (proc && proc.exitCode === null) {
        await new Promise<void>((resolve) => {
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
        });
      }
    },
  };
}

/** socat creates the symlink right after it logs the PTY; give it a moment. */
async function waitForLink(path: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (existsSync(path)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`socat did not create ${path}`);
}
