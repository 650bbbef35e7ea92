import { EventEmitter } from 'node:events';
import { autoDetect } from '@serialport/bindings-cpp';
import type { BindingInterface } from '@serialport/bindings-interface';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPortStream } from '@serialport/stream';

/**
 * Which serialport binding opens ports: the real one (`autoDetect()`, what opens /dev/ttyUSB0
 * and a simulator's PTY) unless a test passes another (`SimBinding`). A typed option, never
 * smuggled in (STYLE.md "Injectable transports").
 */
export type SerialBinding = BindingInterface;

export function realSerialBinding(): SerialBinding {
  return autoDetect() as unknown as SerialBinding;
}

export interface SerialLinkEvents {
  line: [string];
  /** The port closed under us (unplugged, EIO); null after our own `close()`. */
  closed: [Error | null];
}

/**
 * One open serial port as lines in, bytes out. Framing only: no protocol here. Lines end at LF;
 * a CR before it (Repetier's CRLF) is dropped.
 */
export class SerialLink extends EventEmitter<SerialLinkEvents> {
  private closing = false;

  private constructor(
    private readonly port: SerialPortStream,
    readonly path: string,
    readonly baudRate: number,
  ) {
    super();
    const lines = port.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
    lines.on('data', (line: string) => this.emit('line', line.endsWith('\r') ? line.slice(0, -1) : line));
    port.on('error', () => undefined); // errors are reported through 'close' or the write callback
    port.on('close', (err: Error | null) => this.emit('closed', this.closing ? null : (err ?? new Error('port closed'))));
  }

  static open(path: string, baudRate: number, binding: SerialBinding = realSerialBinding()): Promise<SerialLink> {
    return new Promise((resolve, reject) => {
      const port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
      port.open((err) => (err ? reject(err) : resolve(new SerialLink(port, path, baudRate))));
    });
  }

  get isOpen(): boolean {
    return this.port.isOpen && !this.closing;
  }

  write(data: string): void {
    if (!this.isOpen) return;
    this.port.write(Buffer.from(data, 'latin1'));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
