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
import type { EngineAction, EngineOptions, EngineStatus } from './engine-types';
import { ackTimeout, applyProfile, createEngineState, emit, warn, type EngineState } from './engine-state';
import { restartNumbering } from './failures';
import { cleanGcodeLine, isLineNumberReset } from './framing';
import { checkJobDone, checkPaused } from './job-completion';
import { appendJobLines, newEntry, newJob } from './line-entry';
import { pump } from './line-sender';
import { parseResponse } from './parsers/response';
import type { ProfileName } from './profiles';
import { handleResponse } from './response-handling';
import { probeStalledLine } from './stall-probe';
import { isEmergencyStop, sendUrgentCommand, writeEmergencyStop } from './urgent-commands';

/**
 * The public face of the engine. Each method applies one input to the shared state (`engine-state.ts`),
 * then `run` ends every call the same way: job end and pause checks, then sending whatever the send
 * window now allows. The rules live in one module each: `response-handling.ts` (what a received line
 * means), `line-sender.ts` (numbering, the M110 barrier, order of sending), `send-window.ts` (flow
 * control per profile), `resend-recovery.ts`, `stall-probe.ts` (the probe after a lost `ok`),
 * `acknowledgements.ts`, `job-completion.ts` (the completion barrier), `failures.ts` (failed jobs,
 * halts, resets) and `urgent-commands.ts` (M112, M108, M410).
 */
export class ProtocolEngine {
  private readonly s: EngineState;

  constructor(options: EngineOptions = {}) {
    this.s = createEngineState(options);
  }

  /** Appends file lines to the job (creating it on the first call). File lines are counted 1-based as given. */
  enqueueJob(lines: Iterable<string>, options: { jobId?: string; final?: boolean } = {}): EngineAction[] {
    const s = this.s;
    return this.run(() => {
      if (s.halted) return warn(s, 'firmware halted: job refused');
      if (!s.job) {
        s.job = newJob(options.jobId ?? 'job');
      } else if (options.jobId !== undefined && options.jobId !== s.job.id) {
        return warn(s, `job ${s.job.id} is running: lines for ${options.jobId} refused`);
      }
      const job = s.job;
      appendJobLines(job, lines);
      if (options.final ?? true) job.inputComplete = true;
      checkJobDone(s);
    });
  }

  /** Queues an interactive command ahead of job lines. `M112` is routed to `emergencyStop()`. */
  sendImmediate(command: string, id?: string): EngineAction[] {
    return this.command(command, id, (code, commandId) => {
      const s = this.s;
      if (isLineNumberReset(code)) {
        s.synced = false; // re-synchronise through the barrier instead of sending it numbered
        return emit(s, { type: 'command-done', id: commandId });
      }
      s.commands.push(newEntry(code, { kind: 'command', id: commandId }));
    });
  }

  /** Handles one received line (without its line end). `nowMs` keeps the engine's clock. */
  onLine(received: string, nowMs?: number): EngineAction[] {
    return this.run(() => {
      if (nowMs !== undefined) this.s.now = nowMs;
      handleResponse(this.s, parseResponse(received));
    });
  }

  /** Advances the clock; probes a silent firmware. */
  tick(nowMs: number): EngineAction[] {
    const s = this.s;
    return this.run(() => {
      s.now = nowMs;
      if (s.halted || s.inFlight.length === 0) return;
      if (s.now - s.lastActivityAt >= ackTimeout(s)) probeStalledLine(s);
    });
  }

  /** Stops feeding job lines; lines already sent complete. `job-paused` follows once they are confirmed. */
  pause(): EngineAction[] {
    const s = this.s;
    return this.run(() => {
      if (!s.job) return warn(s, 'pause: no job');
      s.job.paused = true;
      s.job.pauseReported = false;
      checkPaused(s);
    });
  }

  resume(): EngineAction[] {
    const s = this.s;
    return this.run(() => {
      if (!s.job) return warn(s, 'resume: no job');
      s.job.paused = false;
    });
  }

  /** Drops every job line not yet accepted; lines in flight cannot be recalled and still complete. */
  cancel(): EngineAction[] {
    const s = this.s;
    return this.run(() => {
      const job = s.job;
      if (!job) return warn(s, 'cancel: no job');
      s.retry = s.retry.filter((e) => e.origin.kind !== 'job');
      s.job = null;
      emit(s, { type: 'job-cancelled', jobId: job.id, lastConfirmedFileLine: job.lastConfirmedFileLine });
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
    return this.command(command, id, (code, commandId) => sendUrgentCommand(this.s, code, commandId));
  }

  /** Writes `M112` now, unnumbered, regardless of lines in flight, then sends nothing until `reset()` or `start`. */
  emergencyStop(): EngineAction[] {
    return this.run(() => writeEmergencyStop(this.s));
  }

  /** The port was (re)opened: forget everything in flight; numbering restarts with the M110 barrier. */
  reset(): EngineAction[] {
    return this.run(() => restartNumbering(this.s, 'connection reset'));
  }

  setProfile(name: ProfileName): void {
    applyProfile(this.s, name);
  }

  status(): EngineStatus {
    const s = this.s;
    const job = s.job;
    return {
      profile: s.profile.name,
      halted: s.halted,
      lineNumbersSynced: s.synced,
      nextLineNumber: s.nextNumber,
      inFlight: s.inFlight.length,
      queuedCommands: s.commands.length,
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
    const s = this.s;
    return s.inFlight.length > 0 && !s.halted ? s.lastActivityAt + ackTimeout(s) : null;
  }

  /**
   * What `sendImmediate` and `sendUrgent` share: an id, M112 routed to the emergency stop (it must
   * not queue behind anything), a blank command done at once, and refusal while halted.
   */
  private command(
    command: string,
    id: string | undefined,
    send: (code: string, commandId: string) => void,
  ): EngineAction[] {
    const s = this.s;
    const commandId = id ?? `cmd-${++s.commandSeq}`;
    const code = cleanGcodeLine(command);
    if (code !== null && isEmergencyStop(code)) return this.emergencyStop();
    return this.run(() => {
      if (code === null) return emit(s, { type: 'command-done', id: commandId });
      if (s.halted) return emit(s, { type: 'command-failed', id: commandId, reason: 'firmware halted' });
      send(code, commandId);
    });
  }

  private run(body: () => void): EngineAction[] {
    const s = this.s;
    s.out = [];
    body();
    checkJobDone(s);
    checkPaused(s);
    pump(s);
    const out = s.out;
    s.out = [];
    return out;
  }
}
