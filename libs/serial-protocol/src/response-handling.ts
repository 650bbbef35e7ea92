/**
 * What each line from the firmware means for the engine: acknowledgements, resend requests,
 * keep-alives, errors and halts, resets, and the reports passed on as events.
 */
import { attributeOk } from './ack-attribution';
import { acknowledge } from './acknowledgements';
import { applyProfile, emit, markActivity, warn, type EngineState } from './engine-state';
import { halt, restartNumbering } from './failures';
import { isHeatingWait } from './framing';
import { sameCommand } from './line-entry';
import type { Response } from './parsers/response';
import { detectProfile } from './profiles';
import { onResend } from './resend-recovery';
import { probeStalledLine } from './stall-probe';

export function handleResponse(s: EngineState, r: Response): void {
  if (r.kind === 'empty') return; // Repetier prints an empty line before `Resend:`
  const resendOk = s.expectResendOk;
  s.expectResendOk = false;
  switch (r.kind) {
    case 'ok':
      if (resendOk) return markActivity(s); // the `ok` that follows `Resend:` / `skip` acknowledges nothing
      if (r.temperatures) emit(s, { type: 'temperature', report: r.temperatures });
      return onOk(s, r.lineNumber, r.temperatures !== undefined);
    case 'resend':
      s.expectResendOk = true;
      return onResend(s, r.lineNumber);
    case 'skip':
      s.expectResendOk = true;
      return markActivity(s);
    case 'error': {
      const error = r.error;
      emit(s, { type: 'firmware-error', error });
      if (error.fatal)
        return halt(s, `${error.kind === 'thermal' ? 'thermal error' : 'firmware halted'}: ${error.message}`);
      if (error.kind === 'checksum' || error.kind === 'line-number') s.errorSinceResend = true;
      return;
    }
    case 'halted':
      return halt(s, `firmware halted: ${r.message}`);
    case 'busy':
      markActivity(s);
      return emit(s, { type: 'busy', reason: r.reason });
    case 'temperature':
      // A plain M155 auto-report is not life: it would hide a lost `ok` forever. A heating wait's is.
      if (r.report.wait !== undefined || s.inFlight.some((e) => isHeatingWait(e.code))) markActivity(s);
      return emit(s, { type: 'temperature', report: r.report });
    case 'wait':
      // Repetier: idle for a second with an empty buffer, so anything older than that was lost.
      if (s.inFlight.some((e) => s.now - e.sentAt >= 1000)) probeStalledLine(s);
      return;
    case 'start':
      restartNumbering(s, 'printer reset');
      return emit(s, { type: 'reset' });
    case 'position':
      return emit(s, { type: 'position', position: r.position });
    case 'firmware-info': {
      const profile = detectProfile(r.info);
      if (s.config.autoProfile) applyProfile(s, profile);
      return emit(s, { type: 'firmware', info: r.info, profile });
    }
    case 'capability':
      return emit(s, { type: 'capability', name: r.name, enabled: r.enabled });
    case 'host-action':
      return emit(s, { type: 'host-action', action: r.action, args: r.args });
    case 'unknown-command':
      // Marlin/Prusa answer an unnumbered garbage line (the tail of a cut line, noise) with
      // `Unknown command` and an `ok`. That `ok` belongs to no line of ours: absorb it.
      if (!s.profile.ackMeansStored && !s.inFlight.some((e) => sameCommand(e.code, r.command))) {
        s.expectResendOk = true;
      }
      return emit(s, { type: 'unknown-command', command: r.command });
    default:
      return;
  }
}

function onOk(s: EngineState, lineNumber: number | undefined, hasTemperatures: boolean): void {
  markActivity(s);
  if (lineNumber !== undefined) s.numberedAcksSeen = true;
  const result = attributeOk(
    s.inFlight,
    lineNumber === undefined ? { hasTemperatures } : { lineNumber, hasTemperatures },
    { numberedAcksSeen: s.numberedAcksSeen, plainOkAcksLines: s.profile.plainOkAcksLines },
  );
  if ('ignored' in result) return warn(s, result.ignored);
  // Cumulative by position: the firmware answers in the order lines were sent.
  const upTo = s.inFlight.indexOf(result.upTo);
  for (const e of s.inFlight.slice(0, upTo + 1)) acknowledge(s, e);
}
