import type { Availability } from './schemas/availability';
import type { CommandPayload, CommandReply, CommandVerb } from './schemas/commands';
import type { ConsoleLine } from './schemas/console';
import type { PrinterEvent } from './schemas/events';
import type { HomeAssistantDiscoveryConfig } from './schemas/homeassistant';
import type { PrinterState } from './schemas/state';
import type { PrinterTelemetry } from './schemas/telemetry';

/** One AsyncAPI message example; `asyncapi.spec.ts` parses every payload with its message's schema. */
export interface MessageExample<T = unknown> {
  name: string;
  summary: string;
  payload: T;
}

const TS = '2026-03-14T09:26:53.589Z';
const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export const AVAILABILITY_EXAMPLES: MessageExample<Availability>[] = [
  { name: 'online', summary: 'Published (retained) when the client connects.', payload: 'online' },
  { name: 'offline', summary: 'Its last will, or published on a clean shutdown.', payload: 'offline' },
];

export const STATE_EXAMPLES: MessageExample<PrinterState>[] = [
  {
    name: 'printing',
    summary: 'A printer in the middle of a job.',
    payload: {
      printerId: 'mk3-a',
      agentId: 'pi-1',
      state: 'printing',
      seq: 1042,
      ts: TS,
      displayName: 'Prusa MK3S left',
      firmware: { name: 'Prusa-Firmware', version: '3.13.3', capabilities: ['AUTOREPORT_TEMP', 'EMERGENCY_PARSER'] },
      job: { id: 'job-7f3a', progress: 42.5, fileName: 'benchy.gcode', line: 18211, startedAt: '2026-03-14T08:46:02.000Z' },
    },
  },
  {
    name: 'error',
    summary: 'The firmware halted; the reason says why.',
    payload: { printerId: 'mini-b', agentId: 'pi-1', state: 'error', seq: 77, ts: TS, reason: 'Error:Printer halted. kill() called!' },
  },
];

export const TELEMETRY_EXAMPLES: MessageExample<PrinterTelemetry>[] = [
  {
    name: 'printing',
    summary: 'Once a second while printing.',
    payload: {
      printerId: 'mk3-a',
      ts: TS,
      heaters: { tool0: { actual: 214.6, target: 215, power: 38 }, bed: { actual: 59.9, target: 60 } },
      fans: { fan0: 100 },
      position: { x: 121.4, y: 98.2, z: 4.2, e: 1532.7 },
      job: { id: 'job-7f3a', progress: 42.5, line: 18211, elapsedS: 2451, remainingS: 3310, layer: 21 },
      link: { linesPerS: 38.4, resends: 2, timeouts: 0 },
    },
  },
  {
    name: 'idle',
    summary: 'An idle printer cooling down.',
    payload: { printerId: 'mini-b', ts: TS, heaters: { tool0: { actual: 41.2, target: 0 }, bed: { actual: 30.5, target: 0 } } },
  },
];

export const EVENT_EXAMPLES: MessageExample<PrinterEvent>[] = [
  { name: 'job.started', summary: 'A job began streaming.', payload: { type: 'job.started', printerId: 'mk3-a', ts: TS, jobId: 'job-7f3a', fileId: 'file-19c2', fileName: 'benchy.gcode' } },
  { name: 'job.finished', summary: 'A job completed.', payload: { type: 'job.finished', printerId: 'mk3-a', ts: TS, jobId: 'job-7f3a', durationS: 5761 } },
  {
    name: 'job.interrupted',
    summary: 'The link was lost mid-print; resumable from the last confirmed line.',
    payload: { type: 'job.interrupted', printerId: 'mk3-a', ts: TS, jobId: 'job-7f3a', reason: 'serial port closed', lastConfirmedLine: 18199 },
  },
  { name: 'printer.error', summary: 'A printer incident.', payload: { type: 'printer.error', printerId: 'mini-b', ts: TS, reason: 'thermal runaway (bed)' } },
];

export const CONSOLE_EXAMPLES: MessageExample<ConsoleLine>[] = [
  { name: 'tx', summary: 'A line sent to the firmware.', payload: { printerId: 'mk3-a', ts: TS, direction: 'tx', line: 'N18212 G1 X121.9 Y98.6 E0.0312*87' } },
  { name: 'rx', summary: 'A line the firmware sent back.', payload: { printerId: 'mk3-a', ts: TS, direction: 'rx', line: 'ok T:214.6 /215.0 B:59.9 /60.0 T0:214.6 /215.0 @:38 B@:0' } },
];

export const REPLY_EXAMPLES: MessageExample<CommandReply>[] = [
  { name: 'accepted', summary: 'The agent took the command.', payload: { commandId: 'web-3b8d1c', accepted: true } },
  { name: 'rejected', summary: 'Refused, with the reason.', payload: { commandId: 'web-3b8d1c', accepted: false, reason: 'cannot pause: printer is ready, not printing' } },
  { name: 'malformed', summary: 'So malformed that its commandId could not be read.', payload: { commandId: null, accepted: false, reason: 'payload is not JSON' } },
];

const by = { requestedBy: 'anna' };

export const COMMAND_EXAMPLES: { [V in CommandVerb]: MessageExample<CommandPayload<V>>[] } = {
  start: [
    {
      name: 'start',
      summary: 'Print a file the agent downloads from the URL and checks against its sha256.',
      payload: {
        commandId: 'job-7f3a-start',
        ...by,
        jobId: 'job-7f3a',
        file: { id: 'file-19c2', name: 'benchy.gcode', sha256: SHA, size: 2483611, url: 'http://gateway.local:8080/internal/files/file-19c2' },
      },
    },
    {
      name: 'resume-from-line',
      summary: 'Restart an interrupted job from the last line the firmware confirmed.',
      payload: {
        commandId: 'job-7f3a-restart',
        jobId: 'job-7f3a',
        file: { id: 'file-19c2', name: 'benchy.gcode', sha256: SHA, size: 2483611, url: 'http://gateway.local:8080/internal/files/file-19c2' },
        fromLine: 18199,
      },
    },
  ],
  pause: [{ name: 'pause', summary: 'Hold the running job.', payload: { commandId: 'web-3b8d1c', ...by } }],
  resume: [{ name: 'resume', summary: 'Continue a paused job.', payload: { commandId: 'web-3b8d1d', ...by } }],
  cancel: [{ name: 'cancel', summary: 'Stop the running job, with a reason for the history.', payload: { commandId: 'web-3b8d1e', ...by, reason: 'spaghetti' } }],
  clear: [{ name: 'clear', summary: 'The bed was cleared: finished/cancelled/failed → ready.', payload: { commandId: 'web-3b8d1f', ...by } }],
  gcode: [{ name: 'gcode', summary: 'Send G-code lines (one per entry).', payload: { commandId: 'web-3b8d20', ...by, lines: ['G28', 'M104 S200'] } }],
  estop: [{ name: 'estop', summary: 'Emergency stop (M112).', payload: { commandId: 'web-3b8d21', ...by } }],
  connect: [{ name: 'connect', summary: 'Open the serial port, optionally at a given baud rate.', payload: { commandId: 'web-3b8d22', ...by, baudRate: 115200 } }],
  disconnect: [{ name: 'disconnect', summary: 'Close the serial port.', payload: { commandId: 'web-3b8d23', ...by } }],
};

const haDevice = { identifiers: ['printfleet_mk3-a'], name: 'Prusa MK3S left', manufacturer: 'Prusa-Firmware', model: 'Prusa-Firmware 3.13.3', sw_version: '3.13.3' };
const haAvailability = [
  { topic: 'printfleet/v1/agents/pi-1/availability' },
  { topic: 'printfleet/v1/printers/mk3-a/state', value_template: "{{ 'offline' if value_json.state == 'offline' else 'online' }}" },
];

export const HOME_ASSISTANT_EXAMPLES: MessageExample<HomeAssistantDiscoveryConfig>[] = [
  {
    name: 'sensor',
    summary: 'homeassistant/sensor/printfleet_mk3-a/hotend_temperature/config',
    payload: {
      name: 'Hot end temperature',
      device_class: 'temperature',
      unit_of_measurement: '°C',
      state_class: 'measurement',
      state_topic: 'printfleet/v1/printers/mk3-a/telemetry',
      value_template: "{{ value_json.heaters.tool0.actual if 'tool0' in value_json.heaters else None }}",
      unique_id: 'printfleet_mk3-a_hotend_temperature',
      qos: 1,
      availability: haAvailability,
      availability_mode: 'all',
      device: haDevice,
      origin: { name: 'printfleet' },
    },
  },
  {
    name: 'button',
    summary: 'homeassistant/button/printfleet_mk3-a/pause/config',
    payload: {
      name: 'Pause',
      icon: 'mdi:pause',
      command_topic: 'printfleet/v1/printers/mk3-a/cmd/pause',
      command_template: '{"commandId":"ha-pause-{{ (now().timestamp() * 1000000) | int }}","requestedBy":"homeassistant"}',
      retain: false,
      unique_id: 'printfleet_mk3-a_pause',
      qos: 1,
      availability: haAvailability,
      availability_mode: 'all',
      device: haDevice,
      origin: { name: 'printfleet' },
    },
  },
];
