/**
 * M115 answer.
 *
 *   `FIRMWARE_NAME:Marlin 2.1.2.1 (Jun 10 2023 12:00:00) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Ender-3 EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff`
 *   `FIRMWARE_NAME:Prusa-Firmware 3.13.3 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1 UUID:00000000-0000-0000-0000-000000000000`
 *   `FIRMWARE_NAME:Repetier_1.0.4 FIRMWARE_URL:https://github.com/repetier/Repetier-Firmware/ PROTOCOL_VERSION:1.0 MACHINE_TYPE:Mendel EXTRUDER_COUNT:1 REPETIER_PROTOCOL:3`
 *   `Cap:ADVANCED_OK:1`   `Cap:AUTOREPORT_TEMP:1`   `Cap:EMERGENCY_PARSER:1`   `Cap:HOST_ACTION_COMMANDS:1`
 */
export interface FirmwareInfo {
  /** `FIRMWARE_NAME` value, e.g. `Marlin 2.1.2.1 (Jun 10 2023 12:00:00)`. */
  name: string;
  /** Every `KEY:value` field of the line, values may contain spaces (`MACHINE_TYPE:Prusa i3 MK3S`). */
  fields: Record<string, string>;
}

export function parseFirmwareInfo(line: string): FirmwareInfo | null {
  const text = line.trim();
  if (!text.startsWith('FIRMWARE_NAME:')) return null;
  const fields: Record<string, string> = {};
  const keys = [...text.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]*):/g)];
  keys.forEach((k, i) => {
    const start = (k.index ?? 0) + k[0].length;
    const end = keys[i + 1]?.index ?? text.length;
    fields[k[1] ?? ''] = text.slice(start, end).trim();
  });
  return { name: fields['FIRMWARE_NAME'] ?? '', fields };
}

export interface Capability {
  name: string;
  enabled: boolean;
}

export function parseCapability(line: string): Capability | null {
  const m = /^Cap:([A-Z0-9_]+):\s*([01])\s*$/.exec(line.trim());
  return m ? { name: m[1] ?? '', enabled: m[2] === '1' } : null;
}
