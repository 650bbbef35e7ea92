import type { PersistedJob } from '../jobs/job-store';
import type { PrinterConnection } from '../serial/printer-connection';
import { planResume, type ResumePlan } from './resume-plan';
import { scanStates } from './scan-file';

/**
 * File lines past the last confirmed one that may have run unconfirmed before the cut: one on
 * Marlin and Prusa (ping-pong), a 127-byte window (about three lines) on Repetier; with room.
 */
const LINES_IN_FLIGHT = 8;

/**
 * How to resume an interrupted job: the file's state at the cut (scanned from disk), and the
 * board's own word unless it is known to have restarted (M105 targets, M114 position).
 */
export async function planInterruptedResume(
  conn: Pick<PrinterConnection, 'requestTargets' | 'requestPosition'>,
  filePath: string,
  job: PersistedJob,
  resetSeen: boolean,
): Promise<ResumePlan> {
  const states = await scanStates(filePath, job.lastConfirmedFileLine, LINES_IN_FLIGHT);
  const targets = resetSeen ? null : await conn.requestTargets();
  const position = resetSeen ? null : await conn.requestPosition();
  return planResume(states, { resetSeen, targets, position }, job.parked ?? null);
}
