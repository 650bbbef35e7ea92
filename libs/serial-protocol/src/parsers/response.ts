import { parseBusy } from './busy';
import { parseError, type FirmwareError } from './error';
import { parseCapability, parseFirmwareInfo, type Capability, type FirmwareInfo } from './firmware-info';
import { parseHostAction, type HostAction } from './host-action';
import { parseSkip, parseStart, parseUnknownCommand, parseWait } from './misc';
import { parseOk, type OkResponse } from './ok';
import { parsePosition, type Position } from './position';
import { parseResend } from './resend';
import { parseTemperatureReport, type TemperatureReport } from './temperature';

/** One received line, classified. Anything unrecognised is `other`, never an exception. */
export type Response =
  | ({ kind: 'ok' } & OkResponse)
  | { kind: 'resend'; lineNumber: number }
  | { kind: 'error'; error: FirmwareError }
  | { kind: 'busy'; reason: string }
  | { kind: 'temperature'; report: TemperatureReport }
  | { kind: 'position'; position: Position }
  | { kind: 'firmware-info'; info: FirmwareInfo }
  | ({ kind: 'capability' } & Capability)
  | ({ kind: 'host-action' } & HostAction)
  | { kind: 'start' }
  | { kind: 'unknown-command'; command: string }
  | { kind: 'skip'; lineNumber: number }
  | { kind: 'wait' }
  | { kind: 'halted'; message: string }
  | { kind: 'echo'; text: string }
  | { kind: 'empty' }
  | { kind: 'other'; text: string };

/** Classifies one line (without its line end). Order matters: `ok T:` is an ok, `echo:busy:` is busy. */
export function parseResponse(raw: string): Response {
  // Line noise can bring NULs and other control bytes; they never belong to a response.
  const line = raw.replace(/[\0-\x08\x0b-\x1f\x7f]/g, '').trim();
  if (line === '') return { kind: 'empty' };
  const ok = parseOk(line);
  if (ok) return { kind: 'ok', ...ok };
  const resend = parseResend(line);
  if (resend !== null) return { kind: 'resend', lineNumber: resend };
  const error = parseError(line);
  if (error) return { kind: 'error', error };
  const busy = parseBusy(line);
  if (busy !== null) return { kind: 'busy', reason: busy };
  const temps = parseTemperatureReport(line);
  if (temps) return { kind: 'temperature', report: temps };
  const position = parsePosition(line);
  if (position) return { kind: 'position', position };
  const info = parseFirmwareInfo(line);
  if (info) return { kind: 'firmware-info', info };
  const cap = parseCapability(line);
  if (cap) return { kind: 'capability', ...cap };
  const action = parseHostAction(line);
  if (action) return { kind: 'host-action', ...action };
  if (parseStart(line)) return { kind: 'start' };
  const unknown = parseUnknownCommand(line);
  if (unknown !== null) return { kind: 'unknown-command', command: unknown };
  const skip = parseSkip(line);
  if (skip !== null) return { kind: 'skip', lineNumber: skip };
  if (parseWait(line)) return { kind: 'wait' };
  // Prusa prints this without an `Error:` prefix after `Error:Printer halted. kill() called!`.
  if (/^M112 called\. Emergency Stop\.?$/i.test(line)) return { kind: 'halted', message: line };
  if (/^echo:/i.test(line)) return { kind: 'echo', text: line.slice(5).trim() };
  return { kind: 'other', text: line };
}
