import { parseBusy } from './busy';
import { parseError } from './error';
import { parseCapability, parseFirmwareInfo } from './firmware-info';
import { parseHostAction } from './host-action';
import { parseSkip, parseStart, parseUnknownCommand, parseWait } from './misc';
import { parseOk } from './ok';
import { parsePosition } from './position';
import { parseResend } from './resend';
import { parseResponse } from './response';
import { parseTemperatureReport } from './temperature';

describe('ok', () => {
  it('reads a plain ok', () => expect(parseOk('ok')).toEqual({}));
  it('reads ADVANCED_OK counts', () =>
    expect(parseOk('ok N10 P15 B3')).toEqual({ lineNumber: 10, plannerFree: 15, queueFree: 3 }));
  it("reads Repetier's line number", () => expect(parseOk('ok 12')).toEqual({ lineNumber: 12 }));
  it('reads the M105 answer of Marlin', () =>
    expect(parseOk('ok T:21.80 /0.00 B:21.40 /0.00 @:0 B@:0')?.temperatures?.heaters).toEqual({
      T: { actual: 21.8, target: 0 },
      B: { actual: 21.4, target: 0 },
    }));
  it.each(['okay', 'oK', 'ok_go', 'o k', 'k'])('refuses %j', (l) => expect(parseOk(l)).toBeNull());
});

describe('resend', () => {
  it.each([
    ['Resend: 12', 12],
    ['Resend:12', 12],
    ['rs N12', 12],
    ['rs 7', 7],
  ])('reads %j', (l, n) => expect(parseResend(l)).toBe(n));
  it.each(['Resend:', 'Resend: x', 'Resend: 12 13', 'resending'])('refuses %j', (l) =>
    expect(parseResend(l)).toBeNull(),
  );
});

describe('errors', () => {
  it.each([
    ['Error:checksum mismatch, Last Line: 11', 'checksum', false, 11],
    ['Error:Line Number is not Last Line Number+1, Last Line: 11', 'line-number', false, 11],
    ['Error:No Checksum with line number, Last Line: 4', 'line-number', false, 4],
    ['Error:No Line Number with checksum, Last Line: 4', 'line-number', false, 4],
    ['Error:Wrong checksum', 'checksum', false, undefined],
    ['Error:expected line 12 got 14', 'line-number', false, undefined],
    ['Error:Printer halted. kill() called!', 'halted', true, undefined],
    ['Error:Thermal Runaway, system stopped! Heater_ID: 0', 'thermal', true, undefined],
    ['Error:MAXTEMP triggered, system stopped! Heater_ID: bed', 'thermal', true, undefined],
    ['Error:Heating failed, system stopped! Heater_ID: 0', 'thermal', true, undefined],
    ['!! Thermal runaway', 'thermal', true, undefined],
    ['Error:Something else', 'other', false, undefined],
  ])('classifies %j', (line, kind, fatal, lastLine) => {
    const e = parseError(line);
    expect(e).toMatchObject({ kind, fatal });
    expect(e?.lastLine).toBe(lastLine);
  });
  it('is not fooled by an echo', () => expect(parseError('echo:Error is a word')).toBeNull());
});

describe('busy', () => {
  it.each([
    ['echo:busy: processing', 'processing'],
    ['echo:busy: paused for user', 'paused for user'],
    ['busy:processing', 'processing'],
    ['busy:heating', 'heating'],
  ])('reads %j', (l, reason) => expect(parseBusy(l)).toBe(reason));
  it('refuses other echoes', () => expect(parseBusy('echo:Marlin 2.1.2.1')).toBeNull());
});

describe('temperature reports', () => {
  it('reads a Marlin M155 auto-report (leading space)', () =>
    expect(parseTemperatureReport(' T:21.80 /0.00 B:21.40 /0.00 @:0 B@:0')).toEqual({
      heaters: { T: { actual: 21.8, target: 0 }, B: { actual: 21.4, target: 0 } },
      power: { '@': 0, 'B@': 0 },
    }));
  it('reads a Marlin M109 wait report with W:? and a countdown', () => {
    expect(parseTemperatureReport(' T:180.30 /210.00 B:59.80 /60.00 @:127 B@:0 W:?')?.wait).toBeNull();
    expect(parseTemperatureReport(' T:209.90 /210.00 B:59.80 /60.00 @:60 B@:0 W:8')?.wait).toBe(8);
  });
  it('reads multi-extruder reports', () => {
    const r = parseTemperatureReport(
      'ok T:210.0 /210.0 B:60.0 /60.0 T0:210.0 /210.0 T1:25.0 /0.0 @:0 B@:0 @0:0 @1:0',
    );
    expect(r?.heaters['T1']).toEqual({ actual: 25, target: 0 });
    expect(r?.power['@1']).toBe(0);
  });
  it('reads Prusa with PINDA and ambient', () => {
    const r = parseTemperatureReport('T:21.8 /0.0 B:21.4 /0.0 T0:21.8 /0.0 @:0 B@:0 P:21.6 A:30.1');
    expect(r?.heaters['P']).toEqual({ actual: 21.6, target: null });
    expect(r?.heaters['A']).toEqual({ actual: 30.1, target: null });
  });
  it('reads Prusa M109/M190 waits, ignoring the extruder index E:0', () => {
    expect(parseTemperatureReport('T:209.5 E:0 W:?')).toEqual({
      heaters: { T: { actual: 209.5, target: null } },
      power: {},
      wait: null,
    });
    expect(parseTemperatureReport('T:209.9 E:0 B:59.6')?.heaters['B']).toEqual({
      actual: 59.6,
      target: null,
    });
  });
  it('reads Repetier', () =>
    expect(parseTemperatureReport('T:21.80 /0 B:21.40 /0 B@:0 @:0')?.heaters['T']).toEqual({
      actual: 21.8,
      target: 0,
    }));
  it('does not take a position for temperatures', () =>
    expect(parseTemperatureReport('X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0')).toBeNull());
});

describe('position (M114)', () => {
  it('reads Marlin, ignoring the stepper counts', () =>
    expect(parsePosition('X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120')).toEqual({
      x: 10,
      y: 20,
      z: 0.3,
      e: 1.5,
    }));
  it('reads Prusa', () =>
    expect(parsePosition('X:10.00 Y:20.00 Z:0.15 E:0.00 Count X: 10.00 Y:20.00 Z:0.15 E:0.00')).toEqual({
      x: 10,
      y: 20,
      z: 0.15,
      e: 0,
    }));
  it('reads Repetier', () =>
    expect(parsePosition('X:0.00 Y:0.00 Z:0.000 E:0.0000')).toEqual({ x: 0, y: 0, z: 0, e: 0 }));
  it('refuses temperatures', () => expect(parsePosition('T:21.80 /0.00')).toBeNull());
});

describe('M115', () => {
  it('reads Marlin fields, with spaces inside values', () => {
    const info = parseFirmwareInfo(
      'FIRMWARE_NAME:Marlin 2.1.2.1 (Jun 10 2023 12:00:00) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Ender-3 EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff',
    );
    expect(info?.name).toBe('Marlin 2.1.2.1 (Jun 10 2023 12:00:00)');
    expect(info?.fields['MACHINE_TYPE']).toBe('Ender-3');
    expect(info?.fields['SOURCE_CODE_URL']).toBe('github.com/MarlinFirmware/Marlin');
  });
  it('reads Prusa and Repetier', () => {
    expect(
      parseFirmwareInfo(
        'FIRMWARE_NAME:Prusa-Firmware 3.13.3 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1',
      )?.fields['MACHINE_TYPE'],
    ).toBe('Prusa i3 MK3S');
    expect(
      parseFirmwareInfo(
        'FIRMWARE_NAME:Repetier_1.0.4 FIRMWARE_URL:https://github.com/repetier/Repetier-Firmware/ PROTOCOL_VERSION:1.0',
      )?.name,
    ).toBe('Repetier_1.0.4');
  });
  it('reads capabilities', () => {
    expect(parseCapability('Cap:ADVANCED_OK:1')).toEqual({ name: 'ADVANCED_OK', enabled: true });
    expect(parseCapability('Cap:AUTOREPORT_TEMP:0')).toEqual({ name: 'AUTOREPORT_TEMP', enabled: false });
    expect(parseCapability('Cap:EMERGENCY_PARSER')).toBeNull();
  });
});

describe('host actions', () => {
  it.each([
    ['//action:pause', 'pause', ''],
    ['//action:resume', 'resume', ''],
    ['//action:cancel', 'cancel', ''],
    ['// action:paused', 'paused', ''],
    ['//action:out_of_filament T0', 'out_of_filament', 'T0'],
  ])('reads %j', (l, action, args) => expect(parseHostAction(l)).toEqual({ action, args }));
  it('refuses a plain comment', () => expect(parseHostAction('// just a comment')).toBeNull());
});

describe('other lines', () => {
  it('reads start, skip and wait', () => {
    expect(parseStart('start')).toBe(true);
    expect(parseStart('started')).toBe(false);
    expect(parseSkip('skip 12')).toBe(12);
    expect(parseWait('wait')).toBe(true);
  });
  it.each([
    ['echo:Unknown command: "G999"', 'G999'],
    ['Unknown G code: G999', 'G999'],
    ['Unknown M code: M999', 'M999'],
    ['Unknown command:G999', 'G999'],
  ])('reads unknown command %j', (l, c) => expect(parseUnknownCommand(l)).toBe(c));
});

describe('parseResponse', () => {
  it.each([
    ['ok', 'ok'],
    ['ok T:21.80 /0.00 B:21.40 /0.00 @:0 B@:0', 'ok'],
    ['Resend: 3', 'resend'],
    ['Error:checksum mismatch, Last Line: 2', 'error'],
    ['echo:busy: processing', 'busy'],
    [' T:21.80 /0.00 B:21.40 /0.00 @:0 B@:0', 'temperature'],
    ['X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0', 'position'],
    ['FIRMWARE_NAME:Marlin 2.1.2.1', 'firmware-info'],
    ['Cap:ADVANCED_OK:1', 'capability'],
    ['//action:pause', 'host-action'],
    ['start', 'start'],
    ['echo:Unknown command: "G999"', 'unknown-command'],
    ['skip 4', 'skip'],
    ['wait', 'wait'],
    ['M112 called. Emergency Stop.', 'halted'],
    ['echo:Marlin 2.1.2.1', 'echo'],
    ['Info:External Reset', 'other'],
    ['', 'empty'],
    ['\r', 'empty'],
  ])('classifies %j as %s', (line, kind) => expect(parseResponse(line).kind).toBe(kind));

  it('never throws and never reads an ok or a resend into garbage', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rand() * 40);
      let s = '';
      for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(rand() * 256));
      const r = parseResponse(s);
      if (r.kind === 'ok') expect(s.replace(/[\0-\x1f\x7f]/g, '').trim()).toMatch(/^ok(\s|$)/);
      if (r.kind === 'resend') expect(s).toMatch(/Resend|rs/i);
    }
  });
  it('reads garbled acknowledgements as other lines', () => {
    expect(parseResponse('o\x00k').kind).toBe('ok'); // NUL stripped: line noise inserting a NUL keeps the ok
    expect(parseResponse('oj').kind).toBe('other');
    expect(parseResponse('Resemd: 4').kind).toBe('other');
  });
});
