import type { CommandPayload, CommandReply, CommandVerb, PrinterSettings, PrinterState, PrinterStateName } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { commandRefusal, PrinterStateMachine, type StateDetails } from '@printfleet/printer-state';
import type { EngineOptions } from '@printfleet/serial-protocol';
import { CommandRefused } from '../commands/command-refused';
import type { CommandTarget } from '../commands/command-router';
import type { FileCache } from '../jobs/file-cache';
import type { JobStore } from '../jobs/job-store';
import type { StreamerOptions } from '../jobs/job-streamer';
import { baudRatesToTry } from '../serial/firmware-profile';
import { PrinterConnection, type ConnectionTimings, type PrinterAction } from '../serial/printer-connection';
import type { SerialBinding } from '../serial/serial-link';
import { CommandHandlers } from './command-handlers';
import { ConsoleLimiter } from './console-limiter';
import type { JobRun } from './job-run';
import type { PrinterPublisher } from './printer-publisher';
import { LinkStats } from './link-stats';
import type { SeqStore } from './seq-store';
import { effectiveDisplayName, effectiveScripts, type PrinterScripts } from './settings-precedence';
import { TelemetryState } from './telemetry-state';

export interface SessionOptions {
  baudRate?: number;
  binding?: SerialBinding;
  timings?: Partial<ConnectionTimings>;
  engine?: EngineOptions;
  streamer?: StreamerOptions;
  telemetryIntervalMs?: number;
  /** Wait before trying again when a present port did not answer. */
  retryDelayMs?: number;
  // The two scripts below are this host's configuration: an admin's settings for the printer win (`scripts`).
  /** Sent after a cancel (default: heaters and fan off, motors off; no park: a move could hit the print). */
  cancelScript?: readonly string[];
  /** Sent once a pause has drained (default: retract, lift Z, park; heaters stay on). */
  pauseScript?: readonly string[];
  /** Where Linux's sysfs is, for the USB latency timer (tests); null: leave it alone. */
  sysfsRoot?: string | null;
}

export interface SessionDeps {
  printerId: string;
  agentId: string;
  publisher: PrinterPublisher;
  logger: Logger;
  store: JobStore;
  cache: FileCache;
  /** Last published `seq`, kept across agent restarts. */
  seqs: SeqStore;
  options?: SessionOptions;
  /** An admin's settings for this printer known before it appeared (see `applySettings`). */
  settings?: PrinterSettings | null;
}

/**
 * One printer: its connection, its state machine (the only truth about it, published once per
 * transition), its job, its telemetry and its command handlers. Printers never share one: a slow,
 * faulty or unplugged printer cannot delay another.
 */
export class PrinterSession implements CommandTarget {
  readonly machine: PrinterStateMachine;
  private readonly log: Logger;
  private readonly telemetry = new TelemetryState();
  private readonly consoleLimiter = new ConsoleLimiter();
  /** Resends, timeouts and streaming rate of the current connection (a new one starts from zero). */
  private linkStats = new LinkStats();
  private readonly options: SessionOptions;
  private path: string | null = null;
  private connection: PrinterConnection | null = null;
  private connecting: Promise<void> | null = null;
  private linkUp = false;
  /** Set by `disconnect`: stay offline until `connect`, even while the port is present. */
  private heldOffline = false;
  private job: JobRun | null = null;
  private settings: PrinterSettings | null;
  private readonly commands: CommandHandlers;
  private telemetryTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;

  constructor(private readonly deps: SessionDeps) {
    this.machine = new PrinterStateMachine(deps.printerId, deps.agentId, undefined, deps.seqs.load(deps.printerId));
    this.log = deps.logger.child({ printerId: deps.printerId });
    this.options = deps.options ?? {};
    this.settings = deps.settings ?? null;
    this.commands = new CommandHandlers({
      printerId: deps.printerId,
      log: this.log,
      store: deps.store,
      cache: deps.cache,
      publisher: deps.publisher,
      streamer: this.options.streamer,
      pauseScript: () => this.scripts.pauseScript,
      state: () => this.state,
      job: () => this.job,
      setJob: (job) => (this.job = job),
      requireLink: () => this.requireLink(),
      move: (to, details) => this.move(to, details),
      persist: (job) => this.persist(job),
      failJob: (job, reason) => this.failJob(job, reason),
      reconnect: (baudRate) => this.reconnect(baudRate),
      holdOffline: () => this.holdOffline(),
    });
  }

  get printerId(): string {
    return this.deps.printerId;
  }

  get state(): PrinterStateName {
    return this.machine.state;
  }

  get connected(): boolean {
    return this.linkUp;
  }

  /** The scripts the next pause and cancel will run. */
  get scripts(): PrinterScripts {
    return effectiveScripts(this.settings, this.options);
  }

  /**
   * An admin changed this printer's settings (null: cleared). Scripts are read at each pause and
   * cancel, so they need nothing here; a new name is published at once (seq + 1, same state),
   * and only when it really changes: retained settings come again after every reconnect.
   */
  applySettings(settings: PrinterSettings | null): void {
    this.settings = settings;
    // Before `start` the first state carries the name; after `stop` the agent no longer speaks for the printer.
    if (!this.started || this.stopped) return;
    const displayName = effectiveDisplayName(settings);
    if (displayName === this.machine.snapshot().displayName) return;
    this.publishState(this.machine.update({ displayName }));
  }

  /** Publishes the first state. A job persisted by a previous run is `interrupted` (boot reconciliation). */
  start(): void {
    this.started = true;
    const displayName = effectiveDisplayName(this.settings);
    const persisted = this.deps.store.load(this.printerId);
    if (persisted) {
      this.move('interrupted', {
        displayName,
        reason: 'the agent stopped during the print',
        job: { id: persisted.jobId, progress: 0, fileName: persisted.file.name.slice(0, 200), line: persisted.lastConfirmedFileLine },
      });
      this.deps.publisher.event({
        type: 'job.interrupted',
        jobId: persisted.jobId,
        reason: 'the agent stopped during the print',
        lastConfirmedLine: persisted.lastConfirmedFileLine,
      });
    } else {
      // Numbered after everything the previous run published.
      this.publishState(this.machine.update({ displayName }));
    }
    this.telemetryTimer = setInterval(() => this.publishTelemetry(), this.options.telemetryIntervalMs ?? 1000);
  }

  /** The port appeared (hot-plug or configured path). */
  attach(path: string): void {
    this.path = path;
    if (!this.heldOffline) void this.connect();
  }

  /** The port disappeared. */
  detach(): void {
    this.path = null;
    const conn = this.connection;
    if (conn) this.linkLost(conn, new Error('printer unplugged'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const conn = this.connection;
    this.connection = null;
    this.linkUp = false;
    if (this.job) this.interruptJob('the agent stopped');
    else if (this.state !== 'offline' && this.state !== 'interrupted') this.move('offline', { reason: 'the agent stopped' });
    await conn?.close();
  }

  republishState(): void {
    this.deps.publisher.republishState();
  }

  execute<V extends CommandVerb>(verb: V, command: CommandPayload<V>): Promise<void> {
    return this.commands.execute(verb, command);
  }

  reply(verb: CommandVerb, reply: CommandReply): void {
    this.deps.publisher.reply(verb, reply);
  }

  // ---- connection ---------------------------------------------------------------------------

  private connect(baudRate?: number): Promise<void> {
    this.connecting ??= this.doConnect(baudRate).finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async doConnect(baudRate?: number): Promise<void> {
    const path = this.path;
    if (!path || this.stopped) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.state === 'offline' || this.state === 'error') this.move('connecting', { reason: `opening ${path}` });
    const conn = new PrinterConnection(path, this.log, {
      binding: this.options.binding,
      timings: this.options.timings,
      engine: this.options.engine,
      sysfsRoot: this.options.sysfsRoot,
    });
    this.connection = conn;
    this.linkStats = new LinkStats();
    conn.on('action', (a) => this.onAction(conn, a));
    conn.on('lost', (err) => this.linkLost(conn, err));
    conn.on('tx', (line) => this.console('tx', line));
    conn.on('rx', (line) => this.console('rx', line));
    try {
      const profile = await conn.connect(baudRatesToTry(baudRate ?? this.options.baudRate));
      if (this.connection !== conn || this.stopped) return void (await conn.close());
      this.linkUp = true;
      const firmware = { name: profile.name.slice(0, 200), version: profile.version, capabilities: profile.capabilities.slice(0, 64) };
      this.log.info({ path, firmware: profile.name, profile: profile.engineProfile, baud: profile.baudRate }, 'printer connected');
      // An interrupted job stays the printer's truth until an operator resumes or clears it.
      if (this.state === 'connecting') this.move('ready', { firmware });
      this.deps.publisher.event({ type: 'printer.connected', port: path.slice(0, 200) });
    } catch (err) {
      if (this.connection !== conn) return;
      this.connection = null;
      this.log.warn({ path, err: (err as Error).message }, 'printer did not answer');
      if (this.state === 'connecting') this.move('offline', { reason: (err as Error).message });
      this.scheduleRetry();
    }
  }

  private async reconnect(baudRate?: number): Promise<void> {
    if (!this.path) throw new CommandRefused("the printer's port is not present");
    this.heldOffline = false;
    const old = this.connection;
    this.connection = null;
    this.linkUp = false;
    await old?.close();
    await this.connect(baudRate);
  }

  private async holdOffline(): Promise<void> {
    this.heldOffline = true;
    const conn = this.connection;
    this.connection = null;
    this.linkUp = false;
    await conn?.close();
    this.move('offline', { reason: 'disconnected on request' });
    this.deps.publisher.event({ type: 'printer.disconnected', reason: 'disconnected on request' });
  }

  private requireLink(): PrinterConnection {
    if (!this.connection || !this.linkUp) throw new CommandRefused('the printer is not connected');
    return this.connection;
  }

  private scheduleRetry(): void {
    if (this.stopped || !this.path || this.heldOffline) return;
    this.retryTimer = setTimeout(() => void this.connect(), this.options.retryDelayMs ?? 3000);
  }

  private linkLost(conn: PrinterConnection, err: Error): void {
    if (this.connection !== conn) return;
    this.connection = null;
    this.linkUp = false;
    void conn.close();
    this.log.warn({ err: err.message }, 'link lost');
    if (this.job) {
      this.interruptJob(`connection lost: ${err.message}`);
    } else if (this.state !== 'offline' && this.state !== 'interrupted') {
      this.move('offline', { reason: `connection lost: ${err.message}` });
    }
    this.deps.publisher.event({ type: 'printer.disconnected', reason: err.message.slice(0, 2000) });
    this.scheduleRetry();
  }

  /** A print cut off: keep where it was confirmed, for `resume`. */
  private interruptJob(reason: string): void {
    const job = this.job;
    if (!job) return;
    this.job = null;
    job.streamer.stop();
    this.persist(job);
    this.move('interrupted', { reason, job: job.stateJob() });
    this.deps.publisher.event({ type: 'job.interrupted', jobId: job.jobId, reason, lastConfirmedLine: job.lastConfirmedFileLine });
  }

  // ---- what the firmware says ----------------------------------------------------------------

  private onAction(conn: PrinterConnection, a: PrinterAction): void {
    if (this.connection !== conn) return;
    const job = this.job;
    switch (a.type) {
      case 'job-progress':
        if (!job || a.jobId !== job.jobId) return;
        job.lastConfirmedFileLine = job.streamer.fileLine(a.lastConfirmedFileLine);
        job.streamer.confirmed(job.lastConfirmedFileLine);
        this.persist(job);
        void job.streamer.fill().catch((err: Error) => this.failJob(job, `reading the file failed: ${err.message}`));
        return;
      case 'job-paused':
        if (!job || a.jobId !== job.jobId) return;
        job.held();
        this.move('paused', { reason: job.pauseReason, job: job.stateJob() });
        this.deps.publisher.event({ type: 'job.paused', jobId: job.jobId, reason: job.pauseReason });
        this.commands.afterPaused(conn, job);
        return;
      case 'job-finished':
        if (!job || a.jobId !== job.jobId) return;
        this.endJob(job);
        this.move('finished', { job: job.stateJob(100) });
        this.deps.publisher.event({ type: 'job.finished', jobId: job.jobId, durationS: job.elapsedS() });
        return;
      case 'job-failed':
        if (!job || a.jobId !== job.jobId) return;
        // A halt fails the job first, then says `halted` (same batch): the printer's state is
        // `error` with the firmware's message, not `failed` on the way there.
        if (conn.status().halted) return this.failJob(job, a.reason, false);
        return this.failJob(job, a.reason);
      case 'job-cancelled':
        if (!job || a.jobId !== job.jobId) return;
        this.endJob(job);
        this.move('cancelled', { reason: job.cancelReason, job: job.stateJob() });
        this.deps.publisher.event({ type: 'job.cancelled', jobId: job.jobId, reason: job.cancelReason });
        for (const line of this.scripts.cancelScript) conn.sendCommand(line);
        return;
      case 'halted':
        if (this.state === 'error') return; // `Error:Thermal Runaway…` then `Error:Printer halted…`
        this.deps.store.remove(this.printerId);
        this.move('error', { reason: a.reason.slice(0, 2000) });
        this.deps.publisher.event({ type: 'printer.error', reason: a.reason.slice(0, 2000) });
        return;
      case 'acknowledged':
        if (a.origin.kind === 'job') this.linkStats.onAcknowledged();
        return;
      case 'resend':
        return this.linkStats.onResend();
      case 'timeout':
        return this.linkStats.onTimeout();
      case 'temperature':
        return this.telemetry.onTemperature(a.report);
      case 'position':
        return this.telemetry.onPosition(a.position);
      case 'host-action':
        return this.onHostAction(a.action);
      case 'unresponsive':
      case 'firmware-error':
        this.log.warn({ action: a }, 'firmware trouble');
        return;
      case 'warning':
        this.log.debug({ message: a.message }, 'protocol engine');
        return;
      default:
        return;
    }
  }

  /** `//action:pause|resume|cancel` (filament runout, the printer's own menu): obeyed like commands. */
  private onHostAction(action: string): void {
    const verbs: Record<string, 'pause' | 'resume' | 'cancel'> = {
      pause: 'pause',
      paused: 'pause',
      out_of_filament: 'pause',
      resume: 'resume',
      cancel: 'cancel',
    };
    const verb = verbs[action];
    if (!verb || commandRefusal(verb, this.state)) return;
    this.log.info({ action }, 'host action from the firmware');
    const commandId = `firmware-${action}-${Date.now()}`;
    const done =
      verb === 'cancel'
        ? this.execute('cancel', { commandId, reason: 'cancelled on the printer' })
        : this.execute(verb, { commandId, requestedBy: 'the printer' });
    done.catch((err: Error) => this.log.warn({ action, err: err.message }, 'host action not obeyed'));
  }

  private failJob(job: JobRun, reason: string, moveToFailed = true): void {
    if (this.job !== job) return;
    this.endJob(job);
    if (moveToFailed) this.move('failed', { reason: reason.slice(0, 2000), job: job.stateJob() });
    this.deps.publisher.event({ type: 'job.failed', jobId: job.jobId, reason: reason.slice(0, 2000), line: job.lastConfirmedFileLine });
  }

  private endJob(job: JobRun): void {
    this.job = null;
    job.streamer.stop();
    job.held();
    this.deps.store.remove(this.printerId);
  }

  private persist(job: JobRun): void {
    this.deps.store.save(this.printerId, {
      jobId: job.jobId,
      file: job.file,
      startedAt: job.startedAt.toISOString(),
      lastConfirmedFileLine: job.lastConfirmedFileLine,
    });
  }

  // ---- publishing -----------------------------------------------------------------------------

  private move(to: PrinterStateName, details: StateDetails = {}): boolean {
    const t = this.machine.moveTo(to, details);
    if (!t) {
      this.log.warn({ from: this.state, to }, 'transition refused by the state machine');
      return false;
    }
    this.publishState(t.snapshot);
    return true;
  }

  /** The seq is on disk before the state is on the wire: a restart never reuses one. */
  private publishState(snapshot: PrinterState): void {
    try {
      this.deps.seqs.save(this.printerId, snapshot.seq);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not persist the state seq');
    }
    this.deps.publisher.state(snapshot);
  }

  private publishTelemetry(): void {
    if (!this.linkUp || (!this.telemetry.hasReadings && !this.job)) return;
    this.deps.publisher.telemetry(this.telemetry.snapshot(this.printerId, new Date().toISOString(), this.job?.telemetryJob(), this.linkStats.snapshot()));
  }

  private console(direction: 'tx' | 'rx', line: string): void {
    const skipped = this.consoleLimiter.admit();
    if (skipped === null) return;
    if (skipped > 0) this.deps.publisher.console(direction, `[${skipped} lines not shown]`);
    this.deps.publisher.console(direction, line);
  }
}
