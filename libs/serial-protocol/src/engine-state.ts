/**
 * The engine's mutable state, shared by the modules that each handle one concern (sending, the send
 * window, resends, the stall probe, acknowledgements, failures). It is one plain object rather than
 * one class per concern because every rule reads the same few queues: the facade (`engine.ts`) owns
 * it, and the other modules are functions over it.
 */
import type { EngineAction, EngineOptions } from './engine-types';
import type { Entry, Job } from './line-entry';
import { PROFILES, type FirmwareProfile, type ProfileName } from './profiles';

/** The constructor's options with their defaults applied; fixed for the engine's life. */
export interface EngineConfig {
  autoProfile: boolean;
  maxRetries: number;
  maxProbes: number;
  ackTimeoutOverride: number | undefined;
  historySize: number;
  profileOverrides: Partial<Omit<FirmwareProfile, 'name'>>;
}

export interface EngineState {
  readonly config: EngineConfig;
  profile: FirmwareProfile;
  /** Actions of the call in progress; the facade hands them out when the call returns. */
  out: EngineAction[];
  now: number;
  lastActivityAt: number;
  halted: boolean;
  /** The M110 barrier has been acknowledged: line numbers are established. */
  synced: boolean;
  nextNumber: number;
  numberedAcksSeen: boolean;
  /** Sent and not yet acknowledged, in transmission order. */
  inFlight: Entry[];
  /** Acknowledged lines kept in case the firmware asks for one again (a mistaken `ok`). */
  history: Entry[];
  /** Lines to send again (after a resend or a re-sync), ahead of everything else. */
  retry: Entry[];
  /** Interactive commands, ahead of job lines. */
  commands: Entry[];
  job: Job | null;
  /** The next `ok` answers a `Resend:`, a `skip` or a garbage line, and acknowledges nothing. */
  expectResendOk: boolean;
  /** A checksum or line-number error arrived since the last honoured resend (a repeat is then new). */
  errorSinceResend: boolean;
  /** The line number a resend asked for; the next line sent with it is the answer. */
  rewindTarget: number | null;
  /** After a resend, one line at a time until the re-sent line is acknowledged (no flush storms). */
  slowStartUntil: number | null;
  /** Probes sent since the last acknowledgement. */
  probes: number;
  commandSeq: number;
  sendSeq: number;
  /** `seq` of the last acknowledged probe: everything sent before it has been processed. */
  probeAckSeq: number;
}

export function createEngineState(options: EngineOptions): EngineState {
  const config: EngineConfig = {
    profileOverrides: options.profileOverrides ?? {},
    autoProfile: options.autoProfile ?? true,
    maxRetries: options.maxRetriesPerLine ?? 10,
    maxProbes: options.maxProbes ?? 3,
    ackTimeoutOverride: options.ackTimeoutMs,
    historySize: options.historySize ?? 256,
  };
  return {
    config,
    profile: { ...PROFILES[options.profile ?? 'marlin-1.1'], ...config.profileOverrides },
    out: [],
    now: 0,
    lastActivityAt: 0,
    halted: false,
    synced: false,
    nextNumber: 1,
    numberedAcksSeen: false,
    inFlight: [],
    history: [],
    retry: [],
    commands: [],
    job: null,
    expectResendOk: false,
    errorSinceResend: false,
    rewindTarget: null,
    slowStartUntil: null,
    probes: 0,
    commandSeq: 0,
    sendSeq: 0,
    probeAckSeq: 0,
  };
}

/** Overrides stay in force when M115 switches the profile: they describe this board or build (a larger buffer, longer lines). */
export function applyProfile(s: EngineState, name: ProfileName): void {
  s.profile = { ...PROFILES[name], ...s.config.profileOverrides };
}

export function emit(s: EngineState, action: EngineAction): void {
  s.out.push(action);
}

export function warn(s: EngineState, message: string): void {
  emit(s, { type: 'warning', message });
}

/** The firmware showed life (or we just wrote): the ack timeout starts again. */
export function markActivity(s: EngineState): void {
  s.lastActivityAt = s.now;
}

export function ackTimeout(s: EngineState): number {
  return s.config.ackTimeoutOverride ?? s.profile.ackTimeoutMs;
}

/** Keeps a line that left `inFlight`, bounded, so a later `Resend:` for it can still be honoured. */
export function remember(s: EngineState, e: Entry): void {
  s.history.push(e);
  if (s.history.length > s.config.historySize) s.history.shift();
}
