/**
 * What ends lines, commands and jobs: a line the firmware cannot take, a failed job, a firmware halt,
 * and a reset that drops everything in flight and renumbers from the M110 barrier.
 */
import { emit, warn, type EngineState } from './engine-state';
import type { Entry } from './line-entry';

/** A line that can never be sent (too long, retried too often) fails its command or its whole job. */
export function rejectEntry(s: EngineState, e: Entry, reason: string): void {
  if (e.origin.kind === 'command') return emit(s, { type: 'command-failed', id: e.origin.id, reason });
  if (e.origin.kind === 'job') return failJob(s, reason);
}

/** Lines of the job waiting to be re-sent go too: nothing of a failed job may run afterwards. */
export function failJob(s: EngineState, reason: string): void {
  const job = s.job;
  s.retry = s.retry.filter((e) => e.origin.kind !== 'job');
  if (!job) return warn(s, reason);
  s.job = null;
  emit(s, {
    type: 'job-failed',
    jobId: job.id,
    reason,
    lastConfirmedFileLine: job.lastConfirmedFileLine,
  });
}

/** Fails every command and the job, and forgets all line and resend bookkeeping. */
export function failAll(s: EngineState, reason: string): void {
  const commands = [...s.inFlight, ...s.retry, ...s.commands].filter((e) => e.origin.kind === 'command');
  for (const e of commands)
    if (e.origin.kind === 'command') emit(s, { type: 'command-failed', id: e.origin.id, reason });
  failJob(s, reason);
  s.inFlight = [];
  s.retry = [];
  s.commands = [];
  s.history = [];
  s.expectResendOk = false;
  s.errorSinceResend = false;
  s.rewindTarget = null;
  s.slowStartUntil = null;
  s.probes = 0;
}

/** Nothing more is sent until `start` or `reset()`: a halted firmware ignores or refuses it. */
export function halt(s: EngineState, reason: string): void {
  failAll(s, reason);
  s.halted = true;
  emit(s, { type: 'halted', reason });
}

/**
 * The port was reopened or the printer restarted: the firmware's line number is unknown, so the
 * next send goes through the M110 barrier, and whether it numbers its acks must be seen again.
 */
export function restartNumbering(s: EngineState, reason: string): void {
  failAll(s, reason);
  s.halted = false;
  s.synced = false;
  s.numberedAcksSeen = false;
}
