import type { FirmwareInfo } from './parsers/firmware-info';

export type ProfileName = 'marlin' | 'marlin-1.1' | 'prusa' | 'repetier';

/**
 * Per-firmware streaming policy. The reasons for each value are in docs/serial-protocol.md.
 */
export interface FirmwareProfile {
  name: ProfileName;
  /**
   * Lines that may be on the wire or in the firmware's receive buffer without having been
   * proven accepted. 1 = ping-pong. Marlin executes the unnumbered tail of a line cut by its
   * receive-buffer flush, so only 1 is exact there.
   */
  maxUnvalidatedLines: number;
  /** Unvalidated bytes allowed in flight (receive ring: 128 bytes, 127 usable). */
  rxBufferBytes: number;
  /** Longest framed line the firmware keeps whole (Marlin MAX_CMD_SIZE 96, with its NUL). */
  maxLineLength: number;
  /** `ok` means the line was stored (Repetier) rather than executed (Marlin, Prusa). */
  ackMeansStored: boolean;
  /** Send-ahead is only used once `ok <n>` acks have been seen (Repetier's ACK_WITH_LINENUMBER). */
  sendAheadNeedsNumberedAcks: boolean;
  /**
   * A bare `ok` may acknowledge a line. False for Repetier, whose line acks are `ok <n>`
   * (ACK_WITH_LINENUMBER, on by default) and whose bare `ok`s follow `Resend:`, `skip` and M110.
   * For a Repetier build without it, override with `{ plainOkAcksLines: true, maxUnvalidatedLines: 1 }`.
   */
  plainOkAcksLines: boolean;
  /** No line, keep-alive or heating report for this long while lines are in flight: probe. */
  ackTimeoutMs: number;
}

const PING_PONG = {
  maxUnvalidatedLines: 1,
  rxBufferBytes: 127,
  maxLineLength: 95,
  ackMeansStored: false,
  plainOkAcksLines: true,
};

export const PROFILES: Readonly<Record<ProfileName, FirmwareProfile>> = {
  marlin: { name: 'marlin', ...PING_PONG, sendAheadNeedsNumberedAcks: false, ackTimeoutMs: 10_000 },
  // Marlin 1.1 and forks (Dagoma): same line handling; keep-alive may be off, so wait longer.
  'marlin-1.1': { name: 'marlin-1.1', ...PING_PONG, sendAheadNeedsNumberedAcks: false, ackTimeoutMs: 30_000 },
  prusa: { name: 'prusa', ...PING_PONG, sendAheadNeedsNumberedAcks: false, ackTimeoutMs: 10_000 },
  repetier: {
    name: 'repetier',
    maxUnvalidatedLines: 16,
    rxBufferBytes: 127,
    maxLineLength: 95,
    ackMeansStored: true,
    sendAheadNeedsNumberedAcks: true,
    plainOkAcksLines: false,
    ackTimeoutMs: 10_000,
  },
};

/** Chooses a profile from M115's `FIRMWARE_NAME`. Unknown firmware gets the most patient Marlin profile. */
export function detectProfile(info: FirmwareInfo): ProfileName {
  const name = info.name;
  if (/repetier/i.test(name)) return 'repetier';
  if (/prusa-firmware/i.test(name)) return 'prusa';
  const marlin = /marlin\s*v?(\d+)/i.exec(name);
  if (marlin && Number(marlin[1]) >= 2) return 'marlin';
  return 'marlin-1.1';
}
