import type { Logger } from '@printfleet/logging';
import type { EngineOptions } from '@printfleet/serial-protocol';
import { CommandRefused } from '../commands/command-refused';
import { baudRatesToTry, type FirmwareProfile } from '../serial/firmware-profile';
import { PrinterConnection, type ConnectionTimings } from '../serial/printer-connection';
import type { SerialBinding } from '../serial/serial-link';
import { ReconnectTimer } from './reconnect-timer';

export interface LinkOptions {
  baudRate?: number;
  binding?: SerialBinding;
  timings?: Partial<ConnectionTimings>;
  engine?: EngineOptions;
  /** First wait before trying again when a present port did not answer; doubles per failure. */
  retryDelayMs?: number;
  /** Longest wait between tries (default 60 s): a printer that never answers is not hammered. */
  maxRetryDelayMs?: number;
  /** Where Linux's sysfs is, for the USB latency timer (tests); null: leave it alone. */
  sysfsRoot?: string | null;
}

/** What the session decides; the link only opens, closes and retries. */
export interface LinkHooks {
  /** A try is opening `path` with a fresh connection. */
  opening(path: string, conn: PrinterConnection): void;
  connected(path: string, profile: FirmwareProfile): void;
  /** A try failed; the next one comes in `nextTryMs` (null: none, the port is gone or held). */
  failed(path: string, err: Error, nextTryMs: number | null): void;
  /** The handshaken link went away under us (unplug, EIO). */
  lost(conn: PrinterConnection, err: Error): void;
}

/**
 * One printer's port: at most one connection, opened when the port is present and not held
 * offline, and tried again after a failure or a loss, spaced by a backoff (3 s, 6 s … 60 s).
 */
export class PrinterLink {
  private path: string | null = null;
  private connection: PrinterConnection | null = null;
  private connecting: Promise<void> | null = null;
  private up = false;
  /** Set by `hold`: stay closed until `reconnect`, even while the port is present. */
  private held = false;
  private stopped = false;
  private readonly retry: ReconnectTimer;

  constructor(
    private readonly log: Logger,
    private readonly options: LinkOptions,
    private readonly hooks: LinkHooks,
  ) {
    this.retry = new ReconnectTimer({ baseMs: options.retryDelayMs ?? 3000, maxMs: options.maxRetryDelayMs ?? 60_000 });
  }

  /** The handshaken connection, or null. */
  get open(): PrinterConnection | null {
    return this.up ? this.connection : null;
  }

  /** Actions of an older connection are stale. */
  isCurrent(conn: PrinterConnection): boolean {
    return this.connection === conn;
  }

  /** The port appeared (hot-plug or configured path). */
  attach(path: string): void {
    this.path = path;
    // A try already scheduled keeps its turn: a port that flickers must not bypass the backoff.
    if (!this.held && !this.retry.pending) void this.connect();
  }

  /** The port disappeared: a link on it (or a try in progress) is lost. */
  detach(): void {
    this.path = null;
    const conn = this.connection;
    if (conn) this.hooks.lost(conn, new Error('printer unplugged'));
  }

  /** Close `conn` (lost, or its printer went silent) and try again after the backoff. */
  drop(conn: PrinterConnection): boolean {
    if (this.connection !== conn) return false;
    this.connection = null;
    this.up = false;
    void conn.close();
    this.scheduleRetry();
    return true;
  }

  /** `cmd/connect`: close and reopen at once (the board resets). */
  async reconnect(baudRate?: number): Promise<void> {
    if (!this.path) throw new CommandRefused("the printer's port is not present");
    this.held = false;
    await this.close();
    await this.connect(baudRate);
  }

  /** `cmd/disconnect`: close and stay closed. */
  async hold(): Promise<void> {
    this.held = true;
    this.retry.cancel();
    await this.close();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry.cancel();
    await this.close();
  }

  private async close(): Promise<void> {
    const conn = this.connection;
    this.connection = null;
    this.up = false;
    await conn?.close();
  }

  private connect(baudRate?: number): Promise<void> {
    this.connecting ??= this.doConnect(baudRate).finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async doConnect(baudRate?: number): Promise<void> {
    const path = this.path;
    if (!path || this.stopped || this.held) return;
    this.retry.cancel();
    const conn = new PrinterConnection(path, this.log, {
      binding: this.options.binding,
      timings: this.options.timings,
      engine: this.options.engine,
      sysfsRoot: this.options.sysfsRoot,
    });
    this.connection = conn;
    conn.on('lost', (err) => {
      if (this.connection === conn) this.hooks.lost(conn, err);
    });
    this.hooks.opening(path, conn);
    try {
      const profile = await conn.connect(baudRatesToTry(baudRate ?? this.options.baudRate));
      if (this.connection !== conn || this.stopped) return void (await conn.close());
      this.up = true;
      this.retry.succeeded();
      this.hooks.connected(path, profile);
    } catch (err) {
      if (this.connection !== conn) return;
      this.connection = null;
      this.hooks.failed(path, err as Error, this.scheduleRetry());
    }
  }

  private scheduleRetry(): number | null {
    if (this.stopped || !this.path || this.held) return null;
    return this.retry.schedule(() => void this.connect());
  }
}
