import type { CommandPayload, CommandReply, CommandVerb, PrinterSettings, PrinterState, PrinterStateName } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { commandRefusal, PrinterStateMachine, withBedNote, type StateDetails, type Transition } from '@printfleet/printer-state';
import { CommandRefused } from '../commands/command-refused';
import type { CommandTarget } from '../commands/command-router';
import type { FileCache } from '../jobs/file-cache';
import type { JobStore } from '../jobs/job-store';
import type { StreamerOptions } from '../jobs/job-streamer';
import type { FirmwareProfile } from '../serial/firmware-profile';
import type { PrinterAction, PrinterConnection } from '../serial/printer-connection';
import { CommandHandlers } from './command-handlers';
import { ConsoleLimiter } from './console-limiter';
import type { BedStore } from './bed-store';
import type { JobRun } from './job-run';
import type { PrinterPublisher } from './printer-publisher';
import { LinkStats } from './link-stats';
import { PrinterLink, type LinkOptions } from './printer-link';
import type { SeqStore } from './seq-store';
import { effectiveDisplayName, effectiveScripts, type PrinterScripts } from './settings-precedence';
import { TelemetryState } from './telemetry-state';

export interface SessionOptions extends LinkOptions {
  streamer?: StreamerOptions;
  telemetryIntervalMs?: number;
  // The two scripts below are this host's configuration: an admin's settings for the printer win (`scripts`).
  /** Sent after a cancel (default: heaters and fan off, motors off; no park: a move could hit the print). */
  cancelScript?: readonly string[];
  /** Sent once a pause has drained (default: retract, lift Z, park; heaters stay on). */
  pauseScript?: readonly string[];
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
  /** Whether the bed holds a print no operator has cleared, kept across agent restarts. */
  bed: BedStore;
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
  private readonly link: PrinterLink;
  private job: JobRun | null = null;
  private settings: PrinterSettings | null;
  private readonly commands: CommandHandlers;
  private telemetryTimer: NodeJS.Timeout | null = null;
  /** The board printed `start` since the job last ran (cleared when a job starts streaming). */
  private boardReset = false;
  /** The job a halt just failed (`job-failed` comes before `halted`): its print stays on the bed. */
  private haltedJob: JobRun | null = null;
  /** Set while the printer, which was connected, does not answer: failed tries publish `error`. */
  private silentReason: string | null = null;
  private started = false;
  private stopped = false;

  constructor(private readonly deps: SessionDeps) {
    // A print left on the bed by a previous run keeps this one off `ready` until an operator clears it.
    this.machine = new PrinterStateMachine(deps.printerId, deps.agentId, undefined, deps.seqs.load(deps.printerId), deps.bed.load(deps.printerId));
    this.log = deps.logger.child({ printerId: deps.printerId });
    this.options = deps.options ?? {};
    this.settings = deps.settings ?? null;
    this.link = new PrinterLink(this.log, this.options, {
      opening: (path, conn) => this.opening(path, conn),
      connected: (path, profile) => this.onConnected(path, profile),
      failed: (path, err, nextTryMs) => this.connectFailed(path, err, nextTryMs),
      lost: (conn, err) => this.linkLost(conn, err),
    });
    this.commands = new CommandHandlers({
      printerId: deps.printerId,
      log: this.log,
      store: deps.store,
      cache: deps.cache,
      publisher: deps.publisher,
      streamer: this.options.streamer,
      pauseScript: () => this.scripts.pauseScript,
      state: () => this.state,
      bedHeld: () => this.machine.bed !== null,
      clearBed: () => this.apply(this.machine.clearBed(), 'ready'),
      boardReset: () => this.boardReset,
      job: () => this.job,
      setJob: (job) => {
        this.job = job;
        this.boardReset = false;
        this.haltedJob = null;
      },
      requireLink: () => this.requireLink(),
      move: (to, details) => this.move(to, details),
      persist: (job) => this.persist(job),
      failJob: (job, reason) => this.failJob(job, reason),
      reconnect: (baudRate) => this.link.reconnect(baudRate),
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
    return this.link.open !== null;
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
      // Numbered after everything the previous run published. A print left on the bed is said at once.
      this.publishState(this.machine.update({ displayName, ...(this.machine.bed ? { reason: withBedNote() } : {}) }));
    }
    this.telemetryTimer = setInterval(() => this.publishTelemetry(), this.options.telemetryIntervalMs ?? 1000);
  }

  /** The port appeared (hot-plug or configured path). */
  attach(path: string): void {
    this.link.attach(path);
  }

  /** The port disappeared. */
  detach(): void {
    this.link.detach();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    const closed = this.link.stop();
    if (this.job) this.interruptJob('the agent stopped');
    else if (this.state !== 'offline' && this.state !== 'interrupted') this.move('offline', { reason: this.offlineReason('the agent stopped') });
    await closed;
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

  // ---- connection (mechanics in PrinterLink; the states are decided here) --------------------

  private opening(path: string, conn: PrinterConnection): void {
    if (this.state === 'offline' || this.state === 'error') this.move('connecting', { reason: `opening ${path}` });
    this.linkStats = new LinkStats();
    conn.on('action', (a) => this.onAction(conn, a));
    conn.on('tx', (line) => this.console('tx', line));
    conn.on('rx', (line) => this.console('rx', line));
  }

  private onConnected(path: string, profile: FirmwareProfile): void {
    this.silentReason = null;
    const firmware = { name: profile.name.slice(0, 200), version: profile.version, capabilities: profile.capabilities.slice(0, 64) };
    this.log.info({ path, firmware: profile.name, profile: profile.engineProfile, baud: profile.baudRate }, 'printer connected');
    // An interrupted job stays the printer's truth until an operator resumes or clears it; a
    // printer whose bed holds a print goes back to the ending it was in, never to `ready`.
    if (this.state === 'connecting') {
      const t = this.machine.reconnected({ firmware });
      if (t && t.to !== 'ready') this.log.warn({ state: t.to, jobId: t.snapshot.job?.id }, 'reconnected with a print on the bed: waiting for clear');
      this.apply(t, 'ready');
    }
    this.deps.publisher.event({ type: 'printer.connected', port: path.slice(0, 200) });
  }

  /** A printer that stopped answering is in `error` until it answers again; an absent one is `offline`. */
  private connectFailed(path: string, err: Error, nextTryMs: number | null): void {
    this.log.warn({ path, err: err.message, nextTryMs }, 'printer did not answer');
    if (this.state !== 'connecting') return;
    if (!this.silentReason) return void this.move('offline', { reason: this.offlineReason(err.message) });
    const next = nextTryMs === null ? '' : `; next try in ${Math.round(nextTryMs / 100) / 10} s`;
    this.move('error', { reason: `${this.silentReason}; ${err.message}${next}`.slice(0, 2000) });
  }

  private async holdOffline(): Promise<void> {
    this.silentReason = null;
    await this.link.hold();
    this.move('offline', { reason: this.offlineReason('disconnected on request') });
    this.deps.publisher.event({ type: 'printer.disconnected', reason: 'disconnected on request' });
  }

  private requireLink(): PrinterConnection {
    const conn = this.link.open;
    if (!conn) throw new CommandRefused('the printer is not connected');
    return conn;
  }

  private linkLost(conn: PrinterConnection, err: Error): void {
    if (!this.link.drop(conn)) return;
    this.log.warn({ err: err.message }, 'link lost');
    if (this.job) {
      this.interruptJob(`connection lost: ${err.message}`);
    } else if (this.state !== 'offline' && this.state !== 'interrupted') {
      this.move('offline', { reason: this.offlineReason(`connection lost: ${err.message}`) });
    }
    this.deps.publisher.event({ type: 'printer.disconnected', reason: err.message.slice(0, 2000) });
  }

  /**
   * Probes went unanswered (the printer was switched off with its USB adapter still powered, or
   * its firmware hung): close the port and reopen it, spaced by the backoff, until it answers.
   * A printer with a clear bed (`ready`) shows `error` with the reason meanwhile; one whose bed
   * holds a print keeps its state (the job was interrupted already): only an operator clears it.
   */
  private onSilent(conn: PrinterConnection, reason: string): void {
    if (this.link.open !== conn) return; // during a handshake: that try fails by itself
    this.link.drop(conn);
    const why = `the printer stopped answering (${reason})`;
    this.silentReason = why;
    this.log.warn({ reason }, 'printer unresponsive: reconnecting');
    if (this.state === 'ready') this.move('error', { reason: why });
    this.deps.publisher.event({ type: 'printer.disconnected', reason: why.slice(0, 2000) });
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
    if (!this.link.isCurrent(conn)) return;
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
      case 'job-interrupted':
        if (!job || a.jobId !== job.jobId) return;
        return this.interruptJob(
          a.cause === 'reset'
            ? 'the printer restarted: its temperatures, homing and position are lost'
            : `the printer stopped answering (${a.reason})`,
        );
      case 'reset':
        this.boardReset = true;
        return;
      case 'job-failed':
        if (!job || a.jobId !== job.jobId) return;
        // A halt fails the job first, then says `halted` (same batch): the printer's state is
        // `error` with the firmware's message, not `failed` on the way there.
        if (conn.status().halted) {
          this.haltedJob = job;
          return this.failJob(job, a.reason, false);
        }
        return this.failJob(job, a.reason);
      case 'job-cancelled':
        if (!job || a.jobId !== job.jobId) return;
        this.endJob(job);
        this.move('cancelled', { reason: job.cancelReason, job: job.stateJob() });
        this.deps.publisher.event({ type: 'job.cancelled', jobId: job.jobId, reason: job.cancelReason });
        for (const line of this.scripts.cancelScript) conn.sendCommand(line);
        return;
      case 'halted': {
        if (this.state === 'error') return; // `Error:Thermal Runaway…` then `Error:Printer halted…`
        const reason = a.reason.slice(0, 2000);
        // An interrupted job ends here too (its record goes): the job-service hears it failed.
        const interrupted = this.state === 'interrupted' ? this.deps.store.load(this.printerId) : null;
        this.deps.store.remove(this.printerId);
        const failed = this.haltedJob;
        this.haltedJob = null;
        // The print stays on the bed as a failed one (state `error` now, `failed` once reconnected).
        this.move('error', { reason }, failed?.stateJob());
        if (interrupted) this.deps.publisher.event({ type: 'job.failed', jobId: interrupted.jobId, reason, line: interrupted.lastConfirmedFileLine });
        this.deps.publisher.event({ type: 'printer.error', reason });
        return;
      }
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
        return this.onSilent(conn, a.reason);
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
      ...(job.parked ? { parked: job.parked } : {}),
    });
  }

  // ---- publishing -----------------------------------------------------------------------------

  private move(to: PrinterStateName, details: StateDetails = {}, bedJob?: StateDetails['job']): boolean {
    return this.apply(this.machine.moveTo(to, details, bedJob), to);
  }

  /** Publishes an accepted transition; the bed's record is on disk before (a restart keeps it). */
  private apply(t: Transition | null, to?: PrinterStateName): boolean {
    if (!t) {
      this.log.warn({ from: this.state, to, bedHeld: this.machine.bed !== null }, 'transition refused by the state machine');
      return false;
    }
    if (t.bedChanged) {
      try {
        this.deps.bed.save(this.printerId, t.bed);
      } catch (err) {
        this.log.error({ err: (err as Error).message, bed: t.bed }, "could not persist the bed's state: an agent restart would not know it");
      }
    }
    this.publishState(t.snapshot);
    return true;
  }

  /** An offline printer whose bed holds a print says so: it comes back to its ending, not to `ready`. */
  private offlineReason(why: string): string {
    return this.machine.bed ? withBedNote(why) : why;
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
    if (!this.connected || (!this.telemetry.hasReadings && !this.job)) return;
    this.deps.publisher.telemetry(this.telemetry.snapshot(this.printerId, new Date().toISOString(), this.job?.telemetryJob(), this.linkStats.snapshot()));
  }

  private console(direction: 'tx' | 'rx', line: string): void {
    const skipped = this.consoleLimiter.admit();
    if (skipped === null) return;
    if (skipped > 0) this.deps.publisher.console(direction, `[${skipped} lines not shown]`);
    this.deps.publisher.console(direction, line);
  }
}
