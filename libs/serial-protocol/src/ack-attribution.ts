/**
 * Which in-flight lines an `ok` acknowledges. Pure: the engine applies the answer.
 *
 * Firmware handles lines in order, so an acknowledgement is cumulative: naming line n (or the M105
 * whose answer `ok T:` is) confirms every line sent before it.
 */
import { isProbeCode, type Entry } from './line-entry';

export interface AckContext {
  /** The firmware has sent at least one numbered ack (ADVANCED_OK, Repetier). */
  numberedAcksSeen: boolean;
  /** The profile lets a bare `ok` acknowledge a line (false for Repetier). */
  plainOkAcksLines: boolean;
}

export type Attribution = { upTo: Entry } | { ignored: string };

/** `inFlight` is in transmission order. */
export function attributeOk(
  inFlight: readonly Entry[],
  ok: { lineNumber?: number; hasTemperatures: boolean },
  ctx: AckContext,
): Attribution {
  const oldest = inFlight[0];
  if (!oldest) return { ignored: 'ok with nothing in flight ignored' };
  if (ok.lineNumber !== undefined) {
    // ADVANCED_OK `ok N<n>` / Repetier `ok <n>`: the newest line numbered n or less.
    const n = ok.lineNumber;
    const upTo = [...inFlight].reverse().find((e) => e.number >= 0 && e.number <= n);
    return upTo ? { upTo } : { ignored: `stale ok N${n} ignored` };
  }
  if (ok.hasTemperatures) {
    // `ok T:` answers an M105 (Marlin/Prusa). With none in flight it is a late answer to a probe
    // already given up, and must not confirm anything.
    const upTo = inFlight.find((e) => isProbeCode(e.code));
    return upTo ? { upTo } : { ignored: 'temperature ok with no M105 in flight ignored' };
  }
  // The M110 barrier and unnumbered urgent commands (M108, M410) are answered by a bare `ok`.
  if (oldest.origin.kind === 'line-reset' || oldest.number < 0) return { upTo: oldest };
  if (ctx.numberedAcksSeen || !ctx.plainOkAcksLines) {
    // Once acks carry numbers, a bare `ok` belongs to no line of ours (a resend's, a skip's, or an
    // unnumbered garbage line's): taking it would confirm a line that never ran.
    return { ignored: 'unnumbered ok ignored: this firmware numbers its acknowledgements' };
  }
  if (isProbeCode(oldest.code)) {
    // M105 is answered by `ok T:…`; a bare `ok` here is one counted twice, not the probe's answer.
    return { ignored: 'bare ok ignored while an M105 awaits its answer' };
  }
  return { upTo: oldest };
}
