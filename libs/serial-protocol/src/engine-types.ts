import type { FirmwareError } from './parsers/error';
import type { FirmwareInfo } from './parsers/firmware-info';
import type { Position } from './parsers/position';
import type { TemperatureReport } from './parsers/temperature';
import type { FirmwareProfile, ProfileName } from './profiles';

/** Where a firmware line number came from. */
export type LineOrigin =
  | { kind: 'job'; jobId: string; fileLine: number }
  | { kind: 'command'; id: string }
  | { kind: 'probe' }
  | { kind: 'line-reset' };

/** What the engine asks its adapter to do or tell. `write` is the only action with an effect on the port. */
export type EngineAction =
  /** Bytes for the port. `origin` says what the line is (null for the unnumbered M112). */
  | { type: 'write'; data: string; lineNumber: number | null; origin: LineOrigin | null }
  | { type: 'acknowledged'; lineNumber: number; origin: LineOrigin }
  | { type: 'job-progress'; jobId: string; confirmedLines: number; lastConfirmedFileLine: number }
  | { type: 'job-paused'; jobId: string; lastConfirmedFileLine: number }
  | { type: 'job-finished'; jobId: string; confirmedLines: number; lastConfirmedFileLine: number }
  | { type: 'job-failed'; jobId: string; reason: string; lastConfirmedFileLine: number }
  | { type: 'job-cancelled'; jobId: string; lastConfirmedFileLine: number }
  | { type: 'command-done'; id: string }
  | { type: 'command-failed'; id: string; reason: string }
  | { type: 'resend'; lineNumber: number; attempt: number }
  | { type: 'timeout'; lineNumber: number; attempt: number }
  | { type: 'busy'; reason: string }
  | { type: 'temperature'; report: TemperatureReport }
  | { type: 'position'; position: Position }
  | { type: 'firmware'; info: FirmwareInfo; profile: ProfileName }
  | { type: 'capability'; name: string; enabled: boolean }
  | { type: 'host-action'; action: string; args: string }
  | { type: 'unknown-command'; command: string }
  | { type: 'firmware-error'; error: FirmwareError }
  | { type: 'halted'; reason: string }
  /** Probes went unanswered: everything in flight failed; the adapter may reopen the port. */
  | { type: 'unresponsive'; reason: string }
  | { type: 'reset' }
  | { type: 'warning'; message: string };

export interface EngineOptions {
  /** Starting profile; replaced by M115's answer unless `autoProfile` is false. Default `marlin-1.1`. */
  profile?: ProfileName;
  autoProfile?: boolean;
  /** Adjusts the chosen profile (a board with a larger receive buffer, a firmware with longer lines). */
  profileOverrides?: Partial<Omit<FirmwareProfile, 'name'>>;
  /** Times one line may be re-sent (resend requests and timeouts) before its job fails. Default 10. */
  maxRetriesPerLine?: number;
  /** Probes after a silent timeout before the job fails. Default 3. */
  maxProbes?: number;
  /** Override of the profile's ack timeout. */
  ackTimeoutMs?: number;
  /** Acknowledged lines kept for a resend of a line whose `ok` was mistaken (Marlin). Default 256. */
  historySize?: number;
}

export interface EngineStatus {
  profile: ProfileName;
  halted: boolean;
  lineNumbersSynced: boolean;
  nextLineNumber: number;
  inFlight: number;
  queuedCommands: number;
  job: null | {
    id: string;
    paused: boolean;
    inputComplete: boolean;
    queuedLines: number;
    confirmedLines: number;
    lastConfirmedFileLine: number;
  };
}
