/**
 * Numbering and sending: the M110 barrier that establishes line numbers, the order of sources
 * (re-sends, then commands, then job lines), framing as `N<n> <code>*<xor>`, and the retry limit.
 */
import { emit, markActivity, type EngineState } from './engine-state';
import { rejectEntry } from './failures';
import { frameLine } from './framing';
import { describeEntry, newEntry, type Entry } from './line-entry';
import { fitsSendWindow } from './send-window';

/** Sends as much as the window allows. Called after every input. */
export function pump(s: EngineState): void {
  if (s.halted) return;
  for (;;) {
    if (s.inFlight.some((e) => e.origin.kind === 'line-reset')) return; // M110 is a barrier
    const source = nextSource(s);
    if (!source) return;
    if (!s.synced) {
      if (s.inFlight.length === 0) sendLineReset(s);
      return;
    }
    const entry = source[0] as Entry;
    const framed = frameLine(s.nextNumber, entry.code);
    if (framed.length > s.profile.maxLineLength) {
      // Cutting it on the wire would run a different command: refuse it with the reason instead.
      source.shift();
      rejectEntry(
        s,
        entry,
        `line "${entry.code}" is ${framed.length} bytes framed; firmware keeps ${s.profile.maxLineLength}`,
      );
      continue;
    }
    if (!fitsSendWindow(s, framed)) return;
    source.shift();
    transmit(s, entry);
  }
}

/** Lines being re-sent first (order of execution), then interactive commands, then job lines unless paused. */
function nextSource(s: EngineState): Entry[] | null {
  if (s.retry.length > 0) return s.retry;
  if (s.commands.length > 0) return s.commands;
  const job = s.job;
  if (job && !job.paused && job.queue.length > 0) return job.queue;
  return null;
}

/** Numbers, frames and writes one entry, unless it has been re-sent too often (then its job fails). */
export function transmit(s: EngineState, entry: Entry): void {
  entry.number = s.nextNumber++;
  entry.framed = frameLine(entry.number, entry.code);
  entry.sentAt = s.now;
  entry.seq = ++s.sendSeq;
  if (entry.origin.kind === 'job' && s.job?.id === entry.origin.jobId) s.job.lastSentSeq = entry.seq;
  entry.resentFor = s.rewindTarget === entry.number ? entry.number : null;
  s.rewindTarget = null;
  if (entry.attempts > s.config.maxRetries) {
    s.nextNumber--;
    rejectEntry(
      s,
      entry,
      `line ${describeEntry(entry)} rejected ${s.config.maxRetries} times by the firmware`,
    );
    return;
  }
  s.inFlight.push(entry);
  markActivity(s);
  emit(s, { type: 'write', data: `${entry.framed}\n`, lineNumber: entry.number, origin: entry.origin });
}

/**
 * Sends `N0 M110 N0` alone. Marlin sets the line number both when it reads M110 and when it runs it,
 * so lines sent before its `ok` would be refused. Whatever was in flight, except probes, is queued
 * to be sent again after it.
 */
export function sendLineReset(s: EngineState): void {
  const entry = newEntry('M110 N0', { kind: 'line-reset' });
  entry.number = 0;
  entry.framed = frameLine(0, 'M110 N0');
  entry.sentAt = s.now;
  s.nextNumber = 1;
  s.retry = [...s.inFlight.filter((e) => e.origin.kind !== 'probe'), ...s.retry];
  s.inFlight = [entry];
  markActivity(s);
  emit(s, { type: 'write', data: `${entry.framed}\n`, lineNumber: 0, origin: entry.origin });
}
