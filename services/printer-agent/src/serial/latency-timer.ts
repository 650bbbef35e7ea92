import { accessSync, constants, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export type LatencyTimerResult =
  | { status: 'set'; file: string; fromMs: number; toMs: number }
  | { status: 'already'; file: string; ms: number }
  | { status: 'absent' }
  | { status: 'not-writable'; file: string; ms: number; error: string };

/**
 * USB serial adapters (FTDI, and others driven by usb-serial) hold received bytes up to their
 * latency timer, 16 ms by default, before sending a short packet to the host: with one line in
 * flight that is added to every `ok`. Linux exposes it as
 * `/sys/bus/usb-serial/devices/<ttyUSBx>/latency_timer`; writing 1 makes the `ok` arrive within
 * about a millisecond. `devicePath` may be a symlink (`/dev/serial/by-id/…`). Ports without the
 * attribute (CDC-ACM boards, PTYs) are left alone.
 */
export function setLowLatency(
  devicePath: string,
  options: { sysfsRoot?: string; targetMs?: number; write?: (file: string, text: string) => void } = {},
): LatencyTimerResult {
  const targetMs = options.targetMs ?? 1;
  let name: string;
  try {
    name = basename(realpathSync(devicePath));
  } catch {
    return { status: 'absent' };
  }
  const file = join(options.sysfsRoot ?? '/sys', 'bus/usb-serial/devices', name, 'latency_timer');
  let ms: number;
  try {
    ms = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return { status: 'absent' };
  }
  if (ms === targetMs) return { status: 'already', file, ms };
  try {
    accessSync(file, constants.W_OK);
    (options.write ?? writeFileSync)(file, `${targetMs}\n`);
  } catch (err) {
    return { status: 'not-writable', file, ms, error: (err as Error).message };
  }
  return { status: 'set', file, fromMs: ms, toMs: targetMs };
}
