import type { CommandPayload, CommandVerb, PrinterStateName, StartCommand } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import { commandRefusal, type StateDetails } from '@printfleet/printer-state';
import { CommandRefused } from '../commands/command-refused';
import { FileCacheError, type CachedFile, type FileCache } from '../jobs/file-cache';
import type { JobStore } from '../jobs/job-store';
import { JobStreamer, type StreamerOptions } from '../jobs/job-streamer';
import type { PrinterConnection } from '../serial/printer-connection';
import { planInterruptedResume } from '../recovery/resume-interrupted';
import { parkedBy } from '../recovery/resume-plan';
import { JobRun } from './job-run';
import { resumePrelude, scriptRetraction } from './pause-scripts';
import type { PrinterPublisher } from './printer-publisher';

/** What the command handlers need of their session. */
export interface CommandContext {
  readonly printerId: string;
  readonly log: Logger;
  readonly store: JobStore;
  readonly cache: FileCache;
  readonly publisher: PrinterPublisher;
  readonly streamer?: StreamerOptions;
  /** The pause script in force now (admin's settings > configuration > default): read at each pause. */
  pauseScript(): readonly string[];
  state(): PrinterStateName;
  /** The bed holds a print no operator has cleared yet: no job may start. */
  bedHeld(): boolean;
  /** The operator's confirmation: the state machine's `clear` (→ `ready`), published; false if refused. */
  clearBed(): boolean;
  /** The board printed `start` since the job last ran: it has lost its temperatures, homing and position. */
  boardReset(): boolean;
  job(): JobRun | null;
  setJob(job: JobRun): void;
  /** The open, handshaken link, or a refusal. */
  requireLink(): PrinterConnection;
  move(to: PrinterStateName, details?: StateDetails): boolean;
  persist(job: JobRun): void;
  failJob(job: JobRun, reason: string): void;
  /** Close and reopen the port (board reset). */
  reconnect(baudRate?: number): Promise<void>;
  /** Close the port and stay offline until `connect`. */
  holdOffline(): Promise<void>;
}

type Handlers = { [V in CommandVerb]: (command: CommandPayload<V>) => Promise<void> | void };

/**
 * The printer's command handlers, one per verb. `execute` refuses by state first
 * (`commandRefusal`); a handler refuses with `CommandRefused` when it finds the printer cannot
 * do it (the router turns either into a reply with the reason).
 */
export class CommandHandlers {
  private preparing = false;

  constructor(private readonly s: CommandContext) {}

  private readonly handlers: Handlers = {
    start: (c) => this.startJob(c),
    pause: (c) => this.pauseJob(c.requestedBy),
    resume: () => this.resumeJob(),
    cancel: (c) => this.cancelJob(c.reason),
    clear: (c) => this.clearBed(c.requestedBy),
    gcode: (c) => {
      const conn = this.s.requireLink();
      for (const line of c.lines) conn.sendCommand(line);
    },
    estop: () => this.s.requireLink().emergencyStop(),
    connect: (c) => this.s.reconnect(c.baudRate),
    disconnect: () => this.s.holdOffline(),
  };

  async execute<V extends CommandVerb>(verb: V, command: CommandPayload<V>): Promise<void> {
    const refusal = commandRefusal(verb, this.s.state(), { bedHeld: this.s.bedHeld() });
    if (refusal) throw new CommandRefused(refusal);
    await (this.handlers[verb] as (c: CommandPayload<V>) => Promise<void> | void)(command);
  }

  /**
   * The job has drained (state `paused`): note where the print is (M114), then run the pause
   * script (retract, lift, park; heaters stay on). A resume waits for this to finish.
   */
  afterPaused(conn: PrinterConnection, job: JobRun): void {
    // Read now, not when the session began: a script changed mid-print applies to this pause.
    const script = this.s.pauseScript();
    if (script.length === 0) return;
    job.pauseScript = conn.requestPosition().then((at) => {
      if (this.s.job() !== job || this.s.state() !== 'paused') return;
      if (!at) {
        // Without the position a resume could not come back: better not to move away.
        this.s.log.warn('no position from M114: pause script not run');
        return;
      }
      job.pausedAt = at;
      job.pauseRetraction = scriptRetraction(script);
      // Persisted with the job: if the board resets while parked, its Z is the script's, not the file's.
      job.parked = parkedBy(script, at, job.streamer.modal.state, job.pauseRetraction);
      this.s.persist(job);
      for (const line of script) conn.sendCommand(line);
    });
  }

  private async startJob(c: StartCommand): Promise<void> {
    this.s.requireLink();
    if (this.preparing) throw new CommandRefused('another job is being prepared for this printer');
    this.preparing = true;
    let cached: CachedFile;
    try {
      cached = await this.s.cache.ensure(c.file);
    } catch (err) {
      if (err instanceof FileCacheError) throw new CommandRefused(`file ${c.file.id}: ${err.message}`);
      throw err;
    } finally {
      this.preparing = false;
    }
    // The download took time: the printer may have changed meanwhile.
    const refusal = commandRefusal('start', this.s.state(), { bedHeld: this.s.bedHeld() });
    if (refusal) throw new CommandRefused(refusal);
    await this.beginJob(c.jobId, c.file, cached, c.fromLine ?? 1, false);
  }

  private async beginJob(jobId: string, file: StartCommand['file'], cached: CachedFile, fromLine: number, resumed: boolean): Promise<void> {
    const conn = this.s.requireLink();
    if (fromLine > cached.lines + 1) throw new CommandRefused(`fromLine ${fromLine} is past the end of the file (${cached.lines} lines)`);
    const streamer = new JobStreamer(
      cached.path,
      jobId,
      { enqueueJob: (lines, o) => conn.enqueueJob(lines, o), queuedLines: () => conn.status().job?.queuedLines ?? 0 },
      fromLine,
      this.s.streamer,
    );
    const job = new JobRun(jobId, file, cached.lines, streamer);
    this.s.setJob(job);
    this.s.persist(job);
    this.s.move('printing', { job: job.stateJob() });
    this.s.publisher.event(
      resumed ? { type: 'job.resumed', jobId } : { type: 'job.started', jobId, fileId: file.id, fileName: file.name.slice(0, 200) },
    );
    await streamer.start().catch((err: Error) => this.s.failJob(job, `reading the file failed: ${err.message}`));
  }

  private pauseJob(requestedBy?: string): void {
    const conn = this.s.requireLink();
    const job = this.s.job();
    if (!job) throw new CommandRefused('no job is running');
    job.pauseReason = requestedBy ? `paused by ${requestedBy}` : undefined;
    // The state turns `paused` when the lines already sent are confirmed (`job-paused`), not before.
    conn.pause();
  }

  private async resumeJob(): Promise<void> {
    const conn = this.s.requireLink();
    const job = this.s.job();
    if (this.s.state() === 'paused' && job) {
      await job.pauseScript;
      if (this.s.job() !== job || this.s.state() !== 'paused') throw new CommandRefused('the job changed while resuming');
      if (job.pausedAt) {
        // Interactive commands go before job lines: all of these run before the next file line.
        for (const line of resumePrelude(job.pausedAt, job.streamer.modal.state, job.pauseRetraction)) conn.sendCommand(line);
      }
      job.pauseScript = null;
      job.pausedAt = null;
      job.pauseRetraction = 0;
      job.parked = null;
      this.s.persist(job);
      conn.resume();
      job.running();
      this.s.move('printing', { job: job.stateJob() });
      this.s.publisher.event({ type: 'job.resumed', jobId: job.jobId });
      await job.streamer.fill();
      return;
    }
    const persisted = this.s.store.load(this.s.printerId);
    if (!persisted) throw new CommandRefused('there is no interrupted job to resume');
    let cached: CachedFile;
    try {
      cached = await this.s.cache.ensure(persisted.file);
    } catch (err) {
      throw new CommandRefused(`file ${persisted.file.id}: ${(err as Error).message}`);
    }
    // The printer may have restarted since the cut: what it lost is rebuilt first (docs: "Resuming an interrupted job").
    const plan = await planInterruptedResume(conn, cached.path, persisted, this.s.boardReset()).catch((err: Error) => {
      throw new CommandRefused(`reading the file failed: ${err.message}`);
    });
    if (plan.kind === 'refuse') throw new CommandRefused(plan.reason);
    if (this.s.state() !== 'interrupted' || this.s.job()) throw new CommandRefused('the job changed while resuming');
    this.s.log.info({ fromLine: plan.fromLine, boardKeptState: plan.boardKeptState, evidence: plan.evidence, prelude: plan.prelude }, 'resuming an interrupted job');
    // The board answered on this link: on another one its answers prove nothing.
    if (this.s.requireLink() !== conn) throw new CommandRefused('the printer reconnected while resuming: try again');
    for (const line of plan.prelude) conn.sendCommand(line);
    await this.beginJob(persisted.jobId, persisted.file, cached, plan.fromLine, true);
  }

  private cancelJob(reason?: string): void {
    if (this.s.state() === 'interrupted') {
      const persisted = this.s.store.load(this.s.printerId);
      this.s.store.remove(this.s.printerId);
      this.s.move('cancelled', { reason: reason ?? 'interrupted job cancelled' });
      if (persisted) this.s.publisher.event({ type: 'job.cancelled', jobId: persisted.jobId, reason: reason ?? 'interrupted job cancelled' });
      return;
    }
    const conn = this.s.requireLink();
    const job = this.s.job();
    if (!job) throw new CommandRefused('no job is running');
    job.cancelReason = reason;
    conn.cancel(); // → job-cancelled at once; the line in flight completes
  }

  /** The only way a bed that held a print becomes free again (the record goes with the state). */
  private clearBed(by?: string): void {
    this.s.requireLink(); // `ready` on a printer we cannot reach would be a lie
    const interrupted = this.s.state() === 'interrupted';
    if (!this.s.clearBed()) throw new CommandRefused(`the bed cannot be cleared while the printer is ${this.s.state()}`);
    if (interrupted) this.s.store.remove(this.s.printerId);
    this.s.publisher.event({ type: 'printer.bed-cleared', ...(by ? { by } : {}) });
  }
}
