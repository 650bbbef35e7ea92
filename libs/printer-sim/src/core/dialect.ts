/**
 * What differs between firmwares on the wire (see shared FIRMWARE.md). The firmware model asks
 * its profile for every message and for the few protocol decisions that differ.
 */
export type DialectName = 'marlin' | 'prusa' | 'repetier';

export interface TempSnapshot {
  t: number;
  tTarget: number;
  b: number;
  bTarget: number;
  tPower: number;
  bPower: number;
}

export interface DialectProfile {
  readonly name: DialectName;
  readonly eol: '\n' | '\r\n';
  banner(advancedOk: boolean): string[];
  m115(advancedOk: boolean): string[];
  unknownCommand(text: string): string;
  /** Lines for a checksum mismatch (before the resend request). */
  checksumError(lastN: number): string[];
  /** A number other than last+1 that is not a duplicate handled by `duplicate`. */
  lineNumberError(lastN: number, got: number): string[];
  noChecksumError(lastN: number): string[];
  resend(n: number): string[];
  /** `skip`: a duplicate of a line already taken is acknowledged without running (Repetier). */
  readonly duplicate: 'line-error' | 'skip';
  /** Refuse a `*` on a line without `N` (Prusa). */
  readonly checksumNeedsLineNumber: boolean;
  /** Drop a line containing `;` (and the line after it) without answering (Prusa). */
  readonly dropsCommentLines: boolean;
  /** Check a checksum even on lines without `N` (Repetier). */
  readonly checksumWithoutLineNumber: boolean;
  /** `ok` when the line is stored rather than when it ran (Repetier). */
  readonly okWhenStored: boolean;
  /** Repeat `Resend:` this often until the host answers (Repetier), else null. */
  readonly resendRepeatMs: number | null;
  /** `wait` every second when idle with an empty queue (Repetier), else null. */
  readonly idleWaitMs: number | null;
  readonly busyMessage: string;
  okLine(lineNumber: number | null, advanced: { planner: number; buffer: number } | null): string;
  /** M105's answer (may include the `ok`). */
  m105(s: TempSnapshot): string[];
  /** One M155 auto-report line. */
  autoReport(s: TempSnapshot): string;
  /** One line printed each second while M109/M190 waits. `residency` is seconds left, or null for `?`. */
  waitReport(s: TempSnapshot, bed: boolean, residency: number | null): string;
  /** Residency after reaching the target, s (Marlin TEMP_RESIDENCY_TIME 10). */
  readonly residencyS: number;
  /** M112: `halt` (silence until reset) or `reset` (the board restarts, Repetier's KILL_METHOD 1). */
  readonly m112: 'halt' | 'reset';
  m112Lines(): string[];
  /** M109/M190 wait only when the target is above this (Repetier: 40 °C). */
  readonly minWaitTemp: number;
  readonly version: string;
}

const f2 = (v: number) => v.toFixed(2);
const f1 = (v: number) => v.toFixed(1);

const marlinTemps = (s: TempSnapshot) =>
  ` T:${f2(s.t)} /${f2(s.tTarget)} B:${f2(s.b)} /${f2(s.bTarget)} @:${s.tPower} B@:${s.bPower}`;

const marlinResend = (n: number) => [`Resend: ${n}`, 'ok'];

export const MARLIN: DialectProfile = {
  name: 'marlin',
  eol: '\n',
  version: '2.1.2.1',
  banner: () => [
    'start',
    'echo:Marlin 2.1.2.1',
    'echo: Last Updated: 2023-07-09 | Author: (printfleet, simulator)',
    'echo:Compiled: Jul  9 2023',
    'echo: Free Memory: 4378  PlannerBufferBytes: 1120',
    'echo:V86 stored settings retrieved (701 bytes; crc 39988)',
    'echo:  G21    ; Units in mm (mm)',
    'echo:  M149 C ; Units in Celsius',
    'echo:; Steps per unit:',
    'echo:  M92 X80.00 Y80.00 Z400.00 E93.00',
    'echo:; Maximum Acceleration (units/s2):',
    'echo:  M201 X500.00 Y500.00 Z100.00 E5000.00',
  ],
  m115: (advancedOk) => [
    'FIRMWARE_NAME:Marlin 2.1.2.1 (Jul  9 2023 12:00:00) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:printfleet sim EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff',
    'Cap:SERIAL_XON_XOFF:0',
    'Cap:BINARY_FILE_TRANSFER:0',
    'Cap:EEPROM:1',
    'Cap:VOLUMETRIC:1',
    'Cap:AUTOREPORT_POS:0',
    'Cap:AUTOREPORT_TEMP:1',
    'Cap:PROGRESS:0',
    'Cap:PRINT_JOB:1',
    'Cap:AUTOLEVEL:0',
    'Cap:RUNOUT:1',
    'Cap:Z_PROBE:0',
    'Cap:LEVELING_DATA:0',
    'Cap:BUILD_PERCENT:0',
    'Cap:SOFTWARE_POWER:0',
    'Cap:TOGGLE_LIGHTS:0',
    'Cap:CASE_LIGHT_BRIGHTNESS:0',
    'Cap:EMERGENCY_PARSER:1',
    'Cap:HOST_ACTION_COMMANDS:1',
    'Cap:PROMPT_SUPPORT:0',
    'Cap:SDCARD:0',
    'Cap:AUTOREPORT_SD_STATUS:0',
    'Cap:LONG_FILENAME:0',
    'Cap:THERMAL_PROTECTION:1',
    'Cap:MOTION_MODES:0',
    'Cap:ARCS:1',
    'Cap:BABYSTEPPING:0',
    'Cap:CHAMBER_TEMPERATURE:0',
    'Cap:COOLER_TEMPERATURE:0',
    'Cap:MEATPACK:0',
    'Cap:CONFIG_EXPORT:0',
    `Cap:ADVANCED_OK:${advancedOk ? 1 : 0}`,
  ],
  unknownCommand: (text) => `echo:Unknown command: "${text}"`,
  checksumError: (lastN) => [`Error:checksum mismatch, Last Line: ${lastN}`],
  lineNumberError: (lastN) => [`Error:Line Number is not Last Line Number+1, Last Line: ${lastN}`],
  noChecksumError: (lastN) => [`Error:No Checksum with line number, Last Line: ${lastN}`],
  resend: marlinResend,
  duplicate: 'line-error',
  checksumNeedsLineNumber: false,
  dropsCommentLines: false,
  checksumWithoutLineNumber: false,
  okWhenStored: false,
  resendRepeatMs: null,
  idleWaitMs: null,
  busyMessage: 'echo:busy: processing',
  okLine: (n, adv) => {
    if (!adv) return 'ok';
    return `ok${n === null ? '' : ` N${n}`} P${adv.planner} B${adv.buffer}`;
  },
  m105: (s) => [`ok${marlinTemps(s)}`],
  autoReport: (s) => marlinTemps(s),
  waitReport: (s, _bed, residency) => `${marlinTemps(s)} W:${residency === null ? '?' : residency}`,
  residencyS: 10,
  m112: 'halt',
  m112Lines: () => ['echo:M112 Shutdown', 'Error:Printer halted. kill() called!'],
  minWaitTemp: 0,
};

export const PRUSA: DialectProfile = {
  ...MARLIN,
  name: 'prusa',
  version: '3.13.3-7094',
  banner: () => ['start', 'echo: 3.13.3-7094', 'echo: Last Updated: Feb 27 2024 10:00:00 | Author: (none, default config)', 'echo:SD card ok'],
  m115: () => [
    'FIRMWARE_NAME:Prusa-Firmware 3.13.3 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1 UUID:00000000-0000-0000-0000-000000000000',
    'Cap:AUTOREPORT_TEMP:1',
    'Cap:AUTOREPORT_FANS:1',
    'Cap:AUTOREPORT_POSITION:1',
    'Cap:EXTENDED_M20:1',
    'Cap:PRUSA_MMU2:1',
  ],
  unknownCommand: (text) => `Unknown ${text.charAt(0).toUpperCase() || 'G'} code: ${text}`,
  noChecksumError: (lastN) => [`Error:No Checksum with line number, Last Line: ${lastN}`],
  checksumNeedsLineNumber: true,
  dropsCommentLines: true,
  okLine: () => 'ok',
  m105: (s) => [
    `ok T:${f1(s.t)} /${f1(s.tTarget)} B:${f1(s.b)} /${f1(s.bTarget)} T0:${f1(s.t)} /${f1(s.tTarget)} @:${s.tPower} B@:${s.bPower} P:${f1(s.b)} A:${f1(30.1)}`,
  ],
  autoReport: (s) =>
    `T:${f1(s.t)} /${f1(s.tTarget)} B:${f1(s.b)} /${f1(s.bTarget)} T0:${f1(s.t)} /${f1(s.tTarget)} @:${s.tPower} B@:${s.bPower} P:${f1(s.b)} A:30.1`,
  waitReport: (s, bed, residency) =>
    bed
      ? `T:${f1(s.t)} E:0 B:${f1(s.b)}`
      : `T:${f1(s.t)} E:0 W:${residency === null ? '?' : residency}`,
  residencyS: 3,
  m112Lines: () => ['Error:Printer halted. kill() called!', 'M112 called. Emergency Stop.'],
};

export const REPETIER: DialectProfile = {
  ...MARLIN,
  name: 'repetier',
  eol: '\r\n',
  version: '1.0.4',
  banner: () => ['start', 'Info:External Reset', 'Free RAM:3058', 'SelectExtruder:0', 'Config:Repetier 1.0.4'],
  m115: () => [
    'FIRMWARE_NAME:Repetier_1.0.4 COMPILED:Jan 1 2020 FIRMWARE_URL:https://github.com/repetier/Repetier-Firmware/ PROTOCOL_VERSION:1.0 MACHINE_TYPE:Mendel EXTRUDER_COUNT:1 REPETIER_PROTOCOL:3',
    'Cap:PROGRESS:1',
    'Cap:AUTOREPORT_TEMP:1',
    'Cap:EEPROM:1',
    'Cap:Z_PROBE:0',
  ],
  unknownCommand: (text) => `Unknown command:${text}`,
  checksumError: () => ['Error:Wrong checksum', ''],
  lineNumberError: (lastN, got) => [`Error:expected line ${lastN + 1} got ${got}`, ''],
  noChecksumError: () => ['Error:Missing checksum', ''],
  resend: (n) => [`Resend:${n}`, 'ok'],
  duplicate: 'skip',
  checksumWithoutLineNumber: true,
  okWhenStored: true,
  resendRepeatMs: 200,
  idleWaitMs: 1000,
  busyMessage: 'busy:processing',
  okLine: (n) => (n === null ? 'ok' : `ok ${n}`),
  m105: (s) => [`T:${f2(s.t)} /${s.tTarget.toFixed(0)} B:${f2(s.b)} /${s.bTarget.toFixed(0)} B@:${s.bPower} @:${s.tPower}`],
  autoReport: (s) => `T:${f2(s.t)} /${s.tTarget.toFixed(0)} B:${f2(s.b)} /${s.bTarget.toFixed(0)} B@:${s.bPower} @:${s.tPower}`,
  waitReport: (s) => `T:${f2(s.t)} /${s.tTarget.toFixed(0)} B:${f2(s.b)} /${s.bTarget.toFixed(0)} B@:${s.bPower} @:${s.tPower}`,
  residencyS: 0,
  m112: 'reset',
  m112Lines: () => [],
  minWaitTemp: 40,
};

export const DIALECTS: Record<DialectName, DialectProfile> = { marlin: MARLIN, prusa: PRUSA, repetier: REPETIER };
