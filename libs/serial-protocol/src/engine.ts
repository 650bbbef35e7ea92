/**
 * ProtocolEngine: the pure host side of the G-code serial protocol (Marlin 1.1/2.x, Prusa, Repetier).
 *
 * No I/O and no timers. Every input is a method call and every method returns the actions it caused:
 *
 *   const engine = new ProtocolEngine();
 *   port.on('line', (l) => run(engine.onLine(l, Date.now())));       // one received line, no line end
 *   setInterval(() => run(engine.tick(Date.now())), 250);             // drives timeouts
 *   run(engine.sendImmediate('M115', 'cmd-1'));                        // console, scripts, polling
 *   run(engine.sendUrgent('M108'));                                    // past a blocking M109 (emergency parser)
 *   run(engine.enqueueJob(chunkOfFileLines, { jobId, final }));        // feed while `status().job.queuedLines` is low
 *   run(engine.pause()); run(engine.resume()); run(engine.cancel()); run(engine.emergencyStop());
 *   port.on('open', () => run(engine.reset()));                          // a reopened port: renumber
 *   function run(actions) { for (const a of actions) a.type === 'write' ? port.write(a.data) : publish(a); }
 *
 * `write` is the only action with an effect; the others are events (see `EngineAction`): line and
 * job progress, pause drained, job finished/failed/cancelled with a reason, resend, timeout, busy,
 * temperatures, position, firmware/capabilities from M115 (the profile switches itself), host
 * actions, firmware errors, halted, unresponsive, reset. `nextDeadline()` may replace the interval.
 *
 * Guarantees (argued in docs/serial-protocol.md):
 * - every streamed line is `N<n> <code>*<xor>`; comments/blank lines and file `M110` are never sent;
 *   numbering starts with a barrier `N0 M110 N0` (nothing else is sent until it is acknowledged);
 * - at most `profile.maxUnvalidatedLines` lines are in flight unproven (1 = ping-pong on Marlin and Prusa);
 * - `Resend: n` re-sends from n exactly once per request (repeats and the `ok` after it are absorbed);
 * - a silent stall is resolved by a numbered `M105` probe, whose answer (or the resend it provokes)
 *   tells exactly which lines ran, so no line is ever sent for execution twice;
 * - `emergencyStop()` writes `M112` at once, unnumbered, ahead of everything.
 */
import { attributeOk } from './ack-attribution';
import type { EngineAction, EngineOptions, EngineStatus } from './engine-types';
import { cleanGcodeLine, frameLine, hasDangerousTail, isHeatingWait, isLineNumberReset } from './framing';
import {
  appendJobLines,
  describeEntry,
  newEntry,
  newJob,
  PROBE_CODE,
  sameCommand,
  type Entry,
  type Job,
} from './line-entry';
import { parseResponse, type Response } from './parsers/response';
import { detectProfile, PROFILES, type FirmwareProfile, type ProfileName } from './profiles';

const REPEAT_GRACE_MS = 1000;

export class ProtocolEngine {
  private profile: FirmwareProfile;
  private readonly autoProfile: boolean;
  private readonly maxRetries: number;
  private readonly maxProbes: number;
  private readonly timeoutOverride: number | undefined;
  private readonly historySize: number;
  private readonly overrides: Partial<Omit<FirmwareProfile, 'name'>>;

  private out: EngineAction[] = [];
  private now = 0;
  private lastActivityAt = 0;
  private halted = false;
  private synced = false;
  private nextNumber = 1;
  private numberedAcksSeen = false;
  private inFlight: Entry[] = [];
  private history: Entry[] = [];
  private retry: Entry[] = [];
  private commands: Entry[] = [];
  private job: Job | null = null;
  private expectResendOk = false;
  private errorSinceResend = false;
  private rewindTarget: number | null = null;
  /** After a resend, one line at a time until the re-sent line is acknowledged (no flush storms). */
  private slowStartUntil: number | null = null;
  private probes = 0;
  private commandSeq = 0;
  private sendSeq = 0;
  /** `seq` of the last acknowledged probe: everything sent before it has been processed. */
  private probeAckSeq = 0;

  constructor(options: EngineOptions = {}) {
    this.overrides = options.profileOverrides ?? {};
    this.profile = { ...PROFILES[options.profile ?? 'marlin-1.1'], ...this.overrides };
    this.autoProfile = options.autoProfile ?? true;
    this.maxRetries = options.maxRetriesPerLine ?? 10;
    this.maxProbes = options.maxProbes ?? 3;
    this.timeoutOverride = options.ackTimeoutMs;
    this.historySize = options.historySize ?? 256;
  }

  // ---- inputs -------------------------------------------------------------------------------

  /** Appends file lines to the job (creating it on the first call). File lines are counted 1-based as given. */
  enqueueJob(lines: Iterable<string>, options: { jobId?: string; final?: boolean } = {}): EngineAction[] {
    return this.run(() => {
      if (this.halted) return this.warn('firmware halted: job refused');
      if (!this.job) {
        this.job = newJob(options.jobId ?? 'job');
      } else if (options.jobId !== undefined && options.jobId !== this.job.id) {
        return this.warn(`job ${this.job.id} is running: lines for ${options.jobId} refused`);
      }
      const job = this.job;
      appendJobLines(job, lines);
      if (options.final ?? true) job.inputComplete = true;
      this.checkJobDone();
    });
  }

  /** Queues an interactive command ahead of job lines. `M112` is routed to `emergencyStop()`. */
  sendImmediate(command: string, id?: string): EngineAction[] {
    const commandId = id ?? `cmd-${++this.commandSeq}`;
    const code = cleanGcodeLine(command);
    if (code !== null && /^M112(?!\d)/i.test(code)) return this.emergencyStop();
    return this.run(() => {
      if (code === null) return this.emit({ type: 'command-done', id: commandId });
      if (this.halted) return this.emit({ type: 'command-failed', id: commandId, reason: 'firmware halted' });
      if (isLineNumberReset(code)) {
        this.synced = false; // re-synchronise through the barrier instead of sending it numbered
        return this.emit({ type: 'command-done', id: commandId });
      }
      this.commands.push(newEntry(code, { kind: 'command', id: commandId }));
    });
  }

  /** Handles one received line (without its line end). `nowMs` keeps the engine's clock. */
  onLine(received: string, nowMs?: number): EngineAction[] {
    return this.run(() => {
      if (nowMs !== undefined) this.now = nowMs;
      this.handle(parseResponse(received));
    });
  }

  /** Advances the clock; probes a silent firmware. */
  tick(nowMs: number): EngineAction[] {
    return this.run(() => {
      this.now = nowMs;
      if (this.halted || this.inFlight.length === 0) return;
      if (this.now - this.lastActivityAt >= this.ackTimeout()) this.stalled();
    });
  }

  /** Stops feeding job lines; lines already sent complete. `job-paused` follows once they are confirmed. */
  pause(): EngineAction[] {
    return this.run(() => {
      if (!this.job) return this.warn('pause: no job');
      this.job.paused = true;
      this.job.pauseReported = false;
      this.checkPaused();
    });
  }

  resume(): EngineAction[] {
    return this.run(() => {
      if (!this.job) return this.warn('resume: no job');
      this.job.paused = false;
    });
  }

  /** Drops every job line not yet accepted; lines in flight cannot be recalled and still complete. */
  cancel(): EngineAction[] {
    return this.run(() => {
      const job = this.job;
      if (!job) return this.warn('cancel: no job');
      this.retry = this.retry.filter((e) => e.origin.kind !== 'job');
      this.job = null;
      this.emit({ type: 'job-cancelled', jobId: job.id, lastConfirmedFileLine: job.lastConfirmedFileLine });
    });
  }

  /**
   * For commands Marlin's emergency parser acts on as the bytes arrive (M108 "stop waiting for
   * heaters", M410 quick-stop), which must not wait behind a line in flight (an M109 can block for
   * minutes). Marlin and Prusa: written now, unnumbered; its `ok` (after those of the lines ahead
   * of it in the queue) is expected in order. It cannot cut a line: in ping-pong the line in
   * flight has been read long before. Repetier (no emergency parser, checksums may be forced):
   * queued numbered, ahead of other commands.
   */
  sendUrgent(command: string, id?: string): EngineAction[] {
    const commandId = id ?? `cmd-${++this.commandSeq}`;
    const code = cleanGcodeLine(command);
    if (code !== null && /^M112(?!\d)/i.test(code)) return this.emergencyStop();
    return this.run(() => {
      if (code === null) return this.emit({ type: 'command-done', id: commandId });
      if (this.halted) return this.emit({ type: 'command-failed', id: commandId, reason: 'firmware halted' });
      const entry = newEntry(code, { kind: 'command', id: commandId });
      if (this.profile.ackMeansStored) {
        this.commands.unshift(entry);
        return;
      }
      entry.validated = true;
      entry.framed = code;
      entry.sentAt = this.now;
      entry.seq = ++this.sendSeq;
      this.inFlight.push(entry);
      this.activity();
      this.emit({ type: 'write', data: `${code}\n`, lineNumber: null, origin: entry.origin });
    });
  }

  /** Writes `M112` now, unnumbered, regardless of lines in flight, then sends nothing until `reset()` or `start`. */
  emergencyStop(): EngineAction[] {
    return this.run(() => {
      this.emit({ type: 'write', data: 'M112\n', lineNumber: null, origin: null });
      this.failAll('emergency stop');
      this.halted = true;
      this.emit({ type: 'halted', reason: 'emergency stop' });
    });
  }

  /** The port was (re)opened: forget everything in flight; numbering restarts with the M110 barrier. */
  reset(): EngineAction[] {
    return this.run(() => {
      this.failAll('connection reset');
      this.halted = false;
      this.synced = false;
      this.numberedAcksSeen = false;
    });
  }

  setProfile(name: ProfileName): void {
    this.profile = { ...PROFILES[name], ...this.overrides };
  }

  status(): EngineStatus {
    const job = this.job;
    return {
      profile: this.profile.name,
      halted: this.halted,
      lineNumbersSynced: this.synced,
      nextLineNumber: this.nextNumber,
      inFlight: this.inFlight.length,
      queuedCommands: this.commands.length,
      job: job && {
        id: job.id,
        paused: job.paused,
        inputComplete: job.inputComplete,
        queuedLines: job.queue.length,
        confirmedLines: job.confirmedLines,
        lastConfirmedFileLine: job.lastConfirmedFileLine,
      },
    };
  }

  /** When `tick` next has something to do (the adapter may use one timer instead of polling). */
  nextDeadline(): number | null {
    return this.inFlight.length > 0 && !this.halted ? this.lastActivityAt + this.ackTimeout() : null;
  }

  // ---- responses ----------------------------------------------------------------------------

  private handle(r: Response): void {
    if (r.kind === 'empty') return; // Repetier prints an empty line before `Resend:`
    const resendOk = this.expectResendOk;
    this.expectResendOk = false;
    switch (r.kind) {
      case 'ok':
        if (resendOk) return this.activity(); // the `ok` that follows `Resend:` / `skip` acknowledges nothing
        if (r.temperatures) this.emit({ type: 'temperature', report: r.temperatures });
        return this.onOk(r.lineNumber, r.temperatures !== undefined);
      case 'resend':
        this.expectResendOk = true;
        return this.onResend(r.lineNumber);
      case 'skip':
        this.expectResendOk = true;
        return this.activity();
      case 'error': {
        const error = r.error;
        this.emit({ type: 'firmware-error', error });
        if (error.fatal)
          return this.halt(
            `${error.kind === 'thermal' ? 'thermal error' : 'firmware halted'}: ${error.message}`,
          );
        if (error.kind === 'checksum' || error.kind === 'line-number') this.errorSinceResend = true;
        return;
      }
      case 'halted':
        return this.halt(`firmware halted: ${r.message}`);
      case 'busy':
        this.activity();
        return this.emit({ type: 'busy', reason: r.reason });
      case 'temperature':
        if (r.report.wait !== undefined || this.inFlight.some((e) => isHeatingWait(e.code))) this.activity();
        return this.emit({ type: 'temperature', report: r.report });
      case 'wait':
        // Repetier: idle for a second with an empty buffer, so anything older than that was lost.
        if (this.inFlight.some((e) => this.now - e.sentAt >= 1000)) this.stalled();
        return;
      case 'start':
        this.failAll('printer reset');
        this.halted = false;
        this.synced = false;
        this.numberedAcksSeen = false;
        return this.emit({ type: 'reset' });
      case 'position':
        return this.emit({ type: 'position', position: r.position });
      case 'firmware-info': {
        const profile = detectProfile(r.info);
        if (this.autoProfile) this.setProfile(profile);
        return this.emit({ type: 'firmware', info: r.info, profile });
      }
      case 'capability':
        return this.emit({ type: 'capability', name: r.name, enabled: r.enabled });
      case 'host-action':
        return this.emit({ type: 'host-action', action: r.action, args: r.args });
      case 'unknown-command':
        // Marlin/Prusa answer an unnumbered garbage line (the tail of a cut line, noise) with
        // `Unknown command` and an `ok`. That `ok` belongs to no line of ours: absorb it.
        if (!this.profile.ackMeansStored && !this.inFlight.some((e) => sameCommand(e.code, r.command))) {
          this.expectResendOk = true;
        }
        return this.emit({ type: 'unknown-command', command: r.command });
      default:
        return;
    }
  }

  private onOk(lineNumber: number | undefined, hasTemperatures: boolean): void {
    this.activity();
    if (lineNumber !== undefined) this.numberedAcksSeen = true;
    const result = attributeOk(
      this.inFlight,
      lineNumber === undefined ? { hasTemperatures } : { lineNumber, hasTemperatures },
      { numberedAcksSeen: this.numberedAcksSeen, plainOkAcksLines: this.profile.plainOkAcksLines },
    );
    if ('ignored' in result) return this.warn(result.ignored);
    // Cumulative by position: the firmware answers in the order lines were sent.
    const upTo = this.inFlight.indexOf(result.upTo);
    for (const e of this.inFlight.slice(0, upTo + 1)) this.acknowledge(e);
  }

  private onResend(n: number): void {
    const current = this.inFlight.find((e) => e.number === n);
    // Repetier repeats `Resend:` every 200 ms until data arrives: a repeat that crossed our answer
    // is ignored. If the answer was lost in a later flush the repeats go on, and after a second the
    // request is honoured again (a duplicate is only ever skipped by the firmware, never run).
    if (
      current &&
      current.resentFor === n &&
      !this.errorSinceResend &&
      this.now - current.sentAt < REPEAT_GRACE_MS
    )
      return;
    this.activity();
    this.errorSinceResend = false;
    const reset = this.inFlight.find((e) => e.origin.kind === 'line-reset');
    if (reset) {
      // Numbering not established yet: the only thing to resend is the barrier itself.
      this.inFlight = this.inFlight.filter((e) => e !== reset);
      return this.sendReset();
    }
    for (const e of this.inFlight) {
      if (e.number >= n) continue;
      e.validated = true;
      if (this.profile.ackMeansStored) this.acknowledge(e);
    }
    if (n > this.nextNumber) return this.warn(`Resend: ${n} for a line never sent ignored`);
    if (n === this.nextNumber) return; // everything sent was accepted; nothing to resend
    const reacked = this.history.filter((e) => e.number >= n);
    const held = this.inFlight.some((e) => e.number === n) || this.history.some((e) => e.number === n);
    // A resend request is the firmware's word on what it has accepted, so it wins over any `ok`
    // we counted (a duplicated or misattributed one). A line no longer held cannot be sent again.
    if (!held) return this.failJob(`firmware asked to resend line ${n}, which is no longer held`);
    if (reacked.length > 0) this.unacknowledge(reacked);
    const back = [...reacked, ...this.inFlight.filter((e) => e.number >= n)].sort(
      (a, b) => a.number - b.number,
    );
    this.inFlight = this.inFlight.filter((e) => e.number < n);
    // Probes are not re-sent, nor lines of a job cancelled meanwhile.
    const kept = back.filter(
      (e) => e.origin.kind !== 'probe' && !(e.origin.kind === 'job' && e.origin.jobId !== this.job?.id),
    );
    for (const e of kept) {
      e.validated = false;
      e.attempts++;
    }
    this.retry = [...kept, ...this.retry];
    this.nextNumber = n;
    this.rewindTarget = n;
    this.slowStartUntil = n;
    const first = kept[0];
    this.emit({ type: 'resend', lineNumber: n, attempt: first ? first.attempts : 0 });
  }

  private stalled(): void {
    const oldest = this.inFlight[0];
    if (!oldest) return;
    this.lastActivityAt = this.now;
    if (++this.probes > this.maxProbes) {
      // The link is gone or the firmware hung: fail what was in flight, renumber on the next send.
      const reason = `no answer from the firmware for line ${oldest.number} after ${this.maxProbes} probes`;
      this.failAll(reason);
      this.synced = false;
      return this.emit({ type: 'unresponsive', reason });
    }
    this.emit({ type: 'timeout', lineNumber: oldest.number, attempt: this.probes });
    if (oldest.origin.kind === 'line-reset') {
      this.inFlight = [];
      return this.sendReset(); // M110 is idempotent
    }
    // An unanswered probe carries no line: forget it, so that answers are not paired off by one
    // forever. The stalled line has been on the wire for a whole timeout, so the firmware has read
    // it and any flush it caused is over: the probe cannot be cut by that flush (docs: "Recovery").
    for (const e of this.inFlight.filter((x) => x.origin.kind === 'probe')) {
      this.inFlight = this.inFlight.filter((x) => x !== e);
      this.remember(e);
    }
    this.transmit(newEntry(PROBE_CODE, { kind: 'probe' }));
  }

  private halt(reason: string): void {
    this.failAll(reason);
    this.halted = true;
    this.emit({ type: 'halted', reason });
  }

  // ---- sending ------------------------------------------------------------------------------

  private pump(): void {
    if (this.halted) return;
    for (;;) {
      if (this.inFlight.some((e) => e.origin.kind === 'line-reset')) return; // M110 is a barrier
      const source = this.nextSource();
      if (!source) return;
      if (!this.synced) {
        if (this.inFlight.length === 0) this.sendReset();
        return;
      }
      const entry = source[0] as Entry;
      const framed = frameLine(this.nextNumber, entry.code);
      if (framed.length > this.profile.maxLineLength) {
        source.shift();
        this.rejectEntry(
          entry,
          `line "${entry.code}" is ${framed.length} bytes framed; firmware keeps ${this.profile.maxLineLength}`,
        );
        continue;
      }
      const unvalidated = this.inFlight.filter((e) => !e.validated);
      if (unvalidated.length > 0) {
        const bytes = unvalidated.reduce((sum, e) => sum + e.framed.length + 1, 0);
        if (unvalidated.length >= this.windowLines()) return;
        if (bytes + framed.length + 1 > this.profile.rxBufferBytes) return;
        if (hasDangerousTail(framed)) return;
      }
      source.shift();
      this.transmit(entry);
    }
  }

  private nextSource(): Entry[] | null {
    if (this.retry.length > 0) return this.retry;
    if (this.commands.length > 0) return this.commands;
    const job = this.job;
    if (job && !job.paused && job.queue.length > 0) return job.queue;
    return null;
  }

  private windowLines(): number {
    const p = this.profile;
    if (p.maxUnvalidatedLines <= 1 || this.slowStartUntil !== null) return 1;
    return !p.sendAheadNeedsNumberedAcks || this.numberedAcksSeen ? p.maxUnvalidatedLines : 1;
  }

  private transmit(entry: Entry): void {
    entry.number = this.nextNumber++;
    entry.framed = frameLine(entry.number, entry.code);
    entry.sentAt = this.now;
    entry.seq = ++this.sendSeq;
    if (entry.origin.kind === 'job' && this.job?.id === entry.origin.jobId) this.job.lastSentSeq = entry.seq;
    entry.resentFor = this.rewindTarget === entry.number ? entry.number : null;
    this.rewindTarget = null;
    if (entry.attempts > this.maxRetries) {
      this.nextNumber--;
      this.rejectEntry(
        entry,
        `line ${describeEntry(entry)} rejected ${this.maxRetries} times by the firmware`,
      );
      return;
    }
    this.inFlight.push(entry);
    this.activity();
    this.emit({ type: 'write', data: `${entry.framed}\n`, lineNumber: entry.number, origin: entry.origin });
  }

  private sendReset(): void {
    const entry = newEntry('M110 N0', { kind: 'line-reset' });
    entry.number = 0;
    entry.framed = frameLine(0, 'M110 N0');
    entry.sentAt = this.now;
    this.nextNumber = 1;
    this.retry = [...this.inFlight.filter((e) => e.origin.kind !== 'probe'), ...this.retry];
    this.inFlight = [entry];
    this.activity();
    this.emit({ type: 'write', data: `${entry.framed}\n`, lineNumber: 0, origin: entry.origin });
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  private acknowledge(e: Entry): void {
    this.inFlight = this.inFlight.filter((x) => x !== e);
    this.probes = 0;
    if (this.slowStartUntil !== null && e.number >= this.slowStartUntil) this.slowStartUntil = null;
    if (e.origin.kind === 'line-reset') {
      this.synced = true;
      return;
    }
    this.remember(e);
    if (e.origin.kind === 'probe') {
      this.probeAckSeq = Math.max(this.probeAckSeq, e.seq);
      this.checkJobDone();
      return this.checkPaused();
    }
    if (e.number >= 0) this.emit({ type: 'acknowledged', lineNumber: e.number, origin: e.origin });
    if (e.origin.kind === 'command') return this.emit({ type: 'command-done', id: e.origin.id });
    const job = this.job;
    if (!job || job.id !== e.origin.jobId) return;
    job.confirmedLines++;
    job.lastConfirmedFileLine = e.origin.fileLine;
    this.emit({
      type: 'job-progress',
      jobId: job.id,
      confirmedLines: job.confirmedLines,
      lastConfirmedFileLine: job.lastConfirmedFileLine,
    });
    this.checkJobDone();
    this.checkPaused();
  }

  private remember(e: Entry): void {
    this.history.push(e);
    if (this.history.length > this.historySize) this.history.shift();
  }

  /** A mistaken `ok` (for a line Marlin ran unnumbered) was taken as this line's: take the confirmation back. */
  private unacknowledge(entries: Entry[]): void {
    this.history = this.history.filter((e) => !entries.includes(e));
    const job = this.job;
    const jobEntries = entries.filter((e) => e.origin.kind === 'job' && job && e.origin.jobId === job.id);
    if (!job || jobEntries.length === 0) return;
    job.confirmedLines -= jobEntries.length;
    const first = jobEntries[0]?.origin;
    if (first?.kind === 'job') job.lastConfirmedFileLine = first.fileLine - 1;
    this.warn(`firmware asked again for ${jobEntries.length} acknowledged line(s); confirmation taken back`);
  }

  /**
   * Job lines all acknowledged is not yet proof that they ran: a plain `ok` can be a duplicate or
   * belong to something else. A probe sent after the last job line and answered is: the firmware
   * handles lines in order (docs: "Completion barrier").
   */
  private jobDrained(job: Job): boolean {
    if (job.queue.length > 0 && !job.paused) return false;
    if ([...this.inFlight, ...this.retry].some((e) => e.origin.kind === 'job')) return false;
    if (job.lastSentSeq === 0 || this.probeAckSeq > job.lastSentSeq) return true;
    if (
      !this.inFlight.some((e) => e.origin.kind === 'probe') &&
      !this.commands.some((e) => e.origin.kind === 'probe')
    ) {
      this.commands.unshift(newEntry(PROBE_CODE, { kind: 'probe' }));
    }
    return false;
  }

  private checkJobDone(): void {
    const job = this.job;
    if (!job || !job.inputComplete || job.queue.length > 0 || !this.jobDrained(job)) return;
    this.job = null;
    this.emit({
      type: 'job-finished',
      jobId: job.id,
      confirmedLines: job.confirmedLines,
      lastConfirmedFileLine: job.lastConfirmedFileLine,
    });
  }

  private checkPaused(): void {
    const job = this.job;
    if (!job || !job.paused || job.pauseReported || !this.jobDrained(job)) return;
    job.pauseReported = true;
    this.emit({ type: 'job-paused', jobId: job.id, lastConfirmedFileLine: job.lastConfirmedFileLine });
  }

  private rejectEntry(e: Entry, reason: string): void {
    if (e.origin.kind === 'command') return this.emit({ type: 'command-failed', id: e.origin.id, reason });
    if (e.origin.kind === 'job') return this.failJob(reason);
  }

  private failJob(reason: string): void {
    const job = this.job;
    this.retry = this.retry.filter((e) => e.origin.kind !== 'job');
    if (!job) return this.warn(reason);
    this.job = null;
    this.emit({
      type: 'job-failed',
      jobId: job.id,
      reason,
      lastConfirmedFileLine: job.lastConfirmedFileLine,
    });
  }

  private failAll(reason: string): void {
    const commands = [...this.inFlight, ...this.retry, ...this.commands].filter(
      (e) => e.origin.kind === 'command',
    );
    for (const e of commands)
      if (e.origin.kind === 'command') this.emit({ type: 'command-failed', id: e.origin.id, reason });
    this.failJob(reason);
    this.inFlight = [];
    this.retry = [];
    this.commands = [];
    this.history = [];
    this.expectResendOk = false;
    this.errorSinceResend = false;
    this.rewindTarget = null;
    this.slowStartUntil = null;
    this.probes = 0;
  }

  private activity(): void {
    this.lastActivityAt = this.now;
  }

  private ackTimeout(): number {
    return this.timeoutOverride ?? this.profile.ackTimeoutMs;
  }

  private warn(message: string): void {
    this.emit({ type: 'warning', message });
  }

  private emit(action: EngineAction): void {
    this.out.push(action);
  }

  private run(body: () => void): EngineAction[] {
    this.out = [];
    body();
    this.checkJobDone();
    this.checkPaused();
    this.pump();
    const out = this.out;
    this.out = [];
    return out;
  }
}
