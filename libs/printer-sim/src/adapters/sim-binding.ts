import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from '@serialport/bindings-interface';
import type { SimulatedPrinter } from '../core/printer';

interface PendingRead {
  buffer: Buffer;
  offset: number;
  length: number;
  resolve: (r: { buffer: Buffer; bytesRead: number }) => void;
  reject: (e: Error) => void;
}

function canceled(message: string): Error {
  return Object.assign(new Error(message), { canceled: true });
}

/** One open port on a simulated printer; opening it resets the board, as DTR does. */
export class SimPort implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  isOpen = true;
  private readonly chunks: Buffer[] = [];
  private pending: PendingRead | undefined;
  private readonly unsubscribe: Array<() => void>;
  private gone = false;

  constructor(
    private readonly printer: SimulatedPrinter,
    options: OpenOptions,
  ) {
    this.openOptions = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    };
    this.unsubscribe = [
      printer.onData((b) => this.push(b)),
      printer.onDisconnect(() => this.unplugged()),
    ];
    printer.open();
  }

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.serve();
  }

  private serve(): void {
    const p = this.pending;
    if (!p || this.chunks.length === 0) return;
    this.pending = undefined;
    let n = 0;
    while (n < p.length && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length, p.length - n);
      c.copy(p.buffer, p.offset + n, 0, take);
      n += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    p.resolve({ buffer: p.buffer, bytesRead: n });
  }

  private unplugged(): void {
    // Not `canceled`: serialport treats any other read error as a disconnection, then closes
    // the port itself (so isOpen stays true until it does).
    this.gone = true;
    for (const u of this.unsubscribe) u();
    this.pending?.reject(new Error('device disconnected (simulated unplug)'));
    this.pending = undefined;
  }

  private teardown(): void {
    this.isOpen = false;
    for (const u of this.unsubscribe) u();
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) return Promise.reject(canceled('Port is not open'));
    if (this.gone) return Promise.reject(new Error('device disconnected (simulated unplug)'));
    return new Promise((resolve, reject) => {
      this.pending = { buffer, offset, length, resolve, reject };
      this.serve();
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw canceled('Port is not open');
    if (this.gone) throw new Error('device disconnected (simulated unplug)');
    this.printer.write(buffer);
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.teardown();
    if (!this.gone) this.printer.close();
    this.pending?.reject(canceled('Port closed'));
    this.pending = undefined;
  }

  async update(options: UpdateOptions): Promise<void> {
    this.openOptions.baudRate = options.baudRate;
  }

  async set(_options: SetOptions): Promise<void> {
    // DTR/RTS are accepted; the reset a DTR pulse causes happens at open().
  }

  async get(): Promise<PortStatus> {
    return { cts: true, dsr: true, dcd: true };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }

  async flush(): Promise<void> {
    this.chunks.length = 0;
  }

  async drain(): Promise<void> {}
}

/**
 * An in-process `serialport` binding: `new SerialPortStream({ binding, path, baudRate })`
 * talks to a SimulatedPrinter with no PTY, for fast tests of serial code.
 */
export class SimBinding implements BindingInterface<SimPort> {
  private readonly printers = new Map<string, SimulatedPrinter>();
  private readonly open_ = new Map<string, SimPort>();

  add(path: string, printer: SimulatedPrinter): this {
    this.printers.set(path, printer);
    return this;
  }

  remove(path: string): void {
    this.printers.delete(path);
  }

  async list(): Promise<PortInfo[]> {
    return [...this.printers.keys()].map((path, i) => ({
      path,
      manufacturer: 'printfleet simulator',
      serialNumber: `SIM${String(i).padStart(4, '0')}`,
      pnpId: undefined,
      locationId: undefined,
      // The lab's printers sit behind FTDI FT232R adapters.
      vendorId: '0403',
      productId: '6001',
    }));
  }

  async open(options: OpenOptions): Promise<SimPort> {
    const printer = this.printers.get(options.path);
    if (!printer) throw new Error(`Error: No such file or directory, cannot open ${options.path}`);
    const current = this.open_.get(options.path);
    if (current?.isOpen && options.lock !== false) throw new Error('Error Resource temporarily unavailable Cannot lock port');
    const port = new SimPort(printer, options);
    this.open_.set(options.path, port);
    return port;
  }
}
