/**
 * Commands that jump the queue (docs: "Emergency stop", "Urgent commands"). Marlin's emergency
 * parser acts on M112, M108 and M410 as the bytes arrive, so they are written at once, unnumbered,
 * whatever is in flight; a numbered line would wait behind an M109 for minutes.
 */
import { emit, markActivity, type EngineState } from './engine-state';
import { halt } from './failures';
import { newEntry } from './line-entry';

export function isEmergencyStop(code: string): boolean {
  return /^M112(?!\d)/i.test(code);
}

/** `M112` ahead of everything, then nothing more is sent until `start` or `reset()`. */
export function writeEmergencyStop(s: EngineState): void {
  emit(s, { type: 'write', data: 'M112\n', lineNumber: null, origin: null });
  halt(s, 'emergency stop');
}

/**
 * Marlin and Prusa: written now, unnumbered. It cannot cut a line (in ping-pong the line in flight
 * was read long before), and its bare `ok` comes after those of the lines ahead of it, so it is
 * paired in that order. Repetier (no emergency parser, checksums may be forced): queued numbered,
 * ahead of other commands.
 */
export function sendUrgentCommand(s: EngineState, code: string, commandId: string): void {
  const entry = newEntry(code, { kind: 'command', id: commandId });
  if (s.profile.ackMeansStored) {
    s.commands.unshift(entry);
    return;
  }
  // Unnumbered: the firmware's line check never applies to it, so it does not count in the send window.
  entry.validated = true;
  entry.framed = code;
  entry.sentAt = s.now;
  entry.seq = ++s.sendSeq;
  s.inFlight.push(entry);
  markActivity(s);
  emit(s, { type: 'write', data: `${code}\n`, lineNumber: null, origin: entry.origin });
}
