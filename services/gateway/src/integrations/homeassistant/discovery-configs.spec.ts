import { COMMAND_SCHEMAS, type PrinterState } from '@printfleet/contracts';
import type { PrinterView } from '../../printers/printer-view';
import { commandTemplate, discoveryMessages } from './discovery-configs';

const view = (state: Partial<PrinterState> = {}): PrinterView => ({
  printerId: 'mk3.a',
  state: { printerId: 'mk3.a', agentId: 'pi-1', state: 'printing', seq: 3, ts: '2025-01-01T00:00:00.000Z', ...state },
  agent: 'online',
  telemetry: null,
  recentEvents: [],
});

const byKey = (messages: ReturnType<typeof discoveryMessages>) =>
  Object.fromEntries(messages.map((m) => [String(m.config.unique_id).replace('printfleet_mk3.a_', ''), m]));

describe('Home Assistant discovery configs', () => {
  it('makes one device with the sensors, binary sensors and buttons of a printer', () => {
    const messages = discoveryMessages('homeassistant', view());
    expect(messages.map((m) => m.topic).sort()).toEqual(
      [
        'binary_sensor/printfleet_mk3_2ea/online',
        'binary_sensor/printfleet_mk3_2ea/printing',
        'button/printfleet_mk3_2ea/cancel',
        'button/printfleet_mk3_2ea/pause',
        'button/printfleet_mk3_2ea/resume',
        'sensor/printfleet_mk3_2ea/bed_target',
        'sensor/printfleet_mk3_2ea/bed_temperature',
        'sensor/printfleet_mk3_2ea/current_file',
        'sensor/printfleet_mk3_2ea/hotend_target',
        'sensor/printfleet_mk3_2ea/hotend_temperature',
        'sensor/printfleet_mk3_2ea/progress',
        'sensor/printfleet_mk3_2ea/state',
        'sensor/printfleet_mk3_2ea/time_remaining',
      ].map((t) => `homeassistant/${t}/config`),
    );
    for (const { config } of messages) {
      expect(config.device).toEqual({ identifiers: ['printfleet_mk3.a'], name: 'mk3.a' });
      expect(config.name).toEqual(expect.any(String));
      expect(config.unique_id).toMatch(/^printfleet_mk3\.a_[a-z_]+$/);
      // Plain JSON: nothing HA could not read.
      expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    }
    expect(new Set(messages.map((m) => m.config.unique_id)).size).toBe(messages.length);
  });

  it('names the device after the printer and its firmware', () => {
    const messages = discoveryMessages('homeassistant', view({ displayName: 'Prusa left', firmware: { name: 'Prusa-Firmware', version: '3.13.3' } }));
    expect(messages[0]!.config.device).toEqual({
      identifiers: ['printfleet_mk3.a'],
      name: 'Prusa left',
      manufacturer: 'Prusa-Firmware',
      model: 'Prusa-Firmware 3.13.3',
      sw_version: '3.13.3',
    });
  });

  it('reads state and telemetry from the contract topics', () => {
    const e = byKey(discoveryMessages('homeassistant', view()));
    expect(e.state!.config).toMatchObject({ state_topic: 'printfleet/v1/printers/mk3.a/state', value_template: '{{ value_json.state }}', device_class: 'enum' });
    expect(e.state!.config.options).toContain('printing');
    expect(e.progress!.config).toMatchObject({ state_topic: 'printfleet/v1/printers/mk3.a/state', unit_of_measurement: '%' });
    expect(e.hotend_temperature!.config).toMatchObject({
      state_topic: 'printfleet/v1/printers/mk3.a/telemetry',
      value_template: "{{ value_json.heaters.tool0.actual if 'tool0' in value_json.heaters else None }}",
      device_class: 'temperature',
    });
    expect(e.bed_target!.config.value_template).toContain('value_json.heaters.bed.target');
    expect(e.time_remaining!.config).toMatchObject({ state_topic: 'printfleet/v1/printers/mk3.a/telemetry', device_class: 'duration' });
    expect(e.printing!.config.value_template).toBe("{{ 'ON' if value_json.state == 'printing' else 'OFF' }}");
  });

  it('ties availability to the agent and to the printer not being offline', () => {
    const e = byKey(discoveryMessages('homeassistant', view()));
    expect(e.progress!.config.availability_mode).toBe('all');
    expect(e.progress!.config.availability).toEqual([
      { topic: 'printfleet/v1/agents/pi-1/availability' },
      { topic: 'printfleet/v1/printers/mk3.a/state', value_template: "{{ 'offline' if value_json.state == 'offline' else 'online' }}" },
    ]);
    // "Online" must be able to say OFF, so the printer's own state does not make it unavailable.
    expect(e.online!.config.availability).toEqual([{ topic: 'printfleet/v1/agents/pi-1/availability' }]);
  });

  it('gives buttons the real command topic and a payload the agent accepts, fresh per press', () => {
    const e = byKey(discoveryMessages('homeassistant', view()));
    for (const verb of ['pause', 'resume', 'cancel'] as const) {
      const config = e[verb]!.config;
      expect(config.command_topic).toBe(`printfleet/v1/printers/mk3.a/cmd/${verb}`);
      expect(config.retain).toBe(false);
      expect(config.command_template).toBe(commandTemplate(verb));
      // What HA renders at a press: the Jinja expression becomes a number.
      const rendered = String(config.command_template).replace(/\{\{.*?\}\}/, '1735689600123456');
      const command = COMMAND_SCHEMAS[verb].parse(JSON.parse(rendered));
      expect(command).toEqual({ commandId: `ha-${verb}-1735689600123456`, requestedBy: 'homeassistant' });
    }
    expect(commandTemplate('pause')).toContain('now().timestamp()');
  });

  it('uses the configured prefix', () => {
    for (const m of discoveryMessages('lab/ha', view())) expect(m.topic).toMatch(/^lab\/ha\/(sensor|binary_sensor|button)\/printfleet_mk3_2ea\/[a-z_]+\/config$/);
  });
});
