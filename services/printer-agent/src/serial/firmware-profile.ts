/** What the handshake learned about a printer's firmware (M115 and its `Cap:` lines). */
export interface FirmwareProfile {
  /** `FIRMWARE_NAME`, e.g. `Marlin 2.1.2.1 (…)`. */
  name: string;
  version?: string;
  /** The protocol engine's profile chosen from the name. */
  engineProfile: string;
  /** Capabilities the firmware reports as enabled (`Cap:AUTOREPORT_TEMP:1` → `AUTOREPORT_TEMP`). */
  capabilities: string[];
  baudRate: number;
}

/** `Marlin 2.1.2.1 (Jun 10 2023)` → `2.1.2.1`; `Repetier_1.0.4` → `1.0.4`. */
export function firmwareVersion(name: string): string | undefined {
  return /(\d+\.\d+(?:\.\d+)*(?:[-+][\w.]+)?)/.exec(name)?.[1];
}

/**
 * Baud rates to try, in order. A configured rate is the only one; otherwise 115200 (most
 * boards, every Prusa) then 250000 (some Marlin builds, the lab's Dagomas).
 */
export function baudRatesToTry(configured: number | undefined): number[] {
  return configured ? [configured] : [115200, 250000];
}
