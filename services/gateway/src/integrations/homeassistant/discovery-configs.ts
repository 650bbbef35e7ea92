import {
  agentAvailabilityTopic,
  homeAssistantDiscoveryTopic,
  PRINTER_STATES,
  printerCommandTopic,
  printerStateTopic,
  printerTelemetryTopic,
  type CommandVerb,
  type HomeAssistantComponent,
} from '@printfleet/contracts';
import type { PrinterView } from '../../printers/printer-view';

/** One retained discovery message: HA's config for one entity of one printer. */
export interface DiscoveryMessage {
  topic: string;
  config: Record<string, unknown>;
}

interface Entity {
  component: HomeAssistantComponent;
  key: string;
  fields: Record<string, unknown>;
  /** Entities that say whether the printer is reachable must not themselves go unavailable with it. */
  agentOnly?: boolean;
}

/** Templates are Jinja, rendered by Home Assistant. `None` makes a sensor `unknown`. */
const STATE_FIELD = (path: string, template: string) => ({ state_topic: path, value_template: template });

function sensors(printerId: string): Entity[] {
  const state = printerStateTopic(printerId);
  const telemetry = printerTelemetryTopic(printerId);
  const heater = (heater: 'tool0' | 'bed', reading: 'actual' | 'target') =>
    `{{ value_json.heaters.${heater}.${reading} if '${heater}' in value_json.heaters else None }}`;
  const temperature = { device_class: 'temperature', unit_of_measurement: '°C', state_class: 'measurement' };
  return [
    {
      component: 'sensor',
      key: 'state',
      fields: { name: 'State', device_class: 'enum', options: [...PRINTER_STATES], ...STATE_FIELD(state, '{{ value_json.state }}') },
    },
    {
      component: 'sensor',
      key: 'progress',
      fields: {
        name: 'Progress',
        unit_of_measurement: '%',
        state_class: 'measurement',
        icon: 'mdi:progress-clock',
        ...STATE_FIELD(state, '{{ value_json.job.progress if value_json.job is defined else 0 }}'),
      },
    },
    {
      component: 'sensor',
      key: 'time_remaining',
      fields: {
        name: 'Time remaining',
        device_class: 'duration',
        unit_of_measurement: 's',
        ...STATE_FIELD(
          telemetry,
          '{{ value_json.job.remainingS if value_json.job is defined and value_json.job.remainingS is not none else None }}',
        ),
      },
    },
    { component: 'sensor', key: 'hotend_temperature', fields: { name: 'Hot end temperature', ...temperature, ...STATE_FIELD(telemetry, heater('tool0', 'actual')) } },
    { component: 'sensor', key: 'hotend_target', fields: { name: 'Hot end target', ...temperature, ...STATE_FIELD(telemetry, heater('tool0', 'target')) } },
    { component: 'sensor', key: 'bed_temperature', fields: { name: 'Bed temperature', ...temperature, ...STATE_FIELD(telemetry, heater('bed', 'actual')) } },
    { component: 'sensor', key: 'bed_target', fields: { name: 'Bed target', ...temperature, ...STATE_FIELD(telemetry, heater('bed', 'target')) } },
    {
      component: 'sensor',
      key: 'current_file',
      fields: {
        name: 'Current file',
        icon: 'mdi:file-outline',
        ...STATE_FIELD(state, '{{ value_json.job.fileName if value_json.job is defined and value_json.job.fileName is defined else None }}'),
      },
    },
    {
      component: 'binary_sensor',
      key: 'printing',
      fields: { name: 'Printing', device_class: 'running', ...STATE_FIELD(state, "{{ 'ON' if value_json.state == 'printing' else 'OFF' }}") },
    },
    {
      component: 'binary_sensor',
      key: 'online',
      agentOnly: true,
      fields: {
        name: 'Online',
        device_class: 'connectivity',
        entity_category: 'diagnostic',
        ...STATE_FIELD(state, "{{ 'OFF' if value_json.state == 'offline' else 'ON' }}"),
      },
    },
  ];
}

/**
 * The agent de-duplicates commands by `commandId`, so every press needs a fresh one: HA renders
 * the template at each press, and `now()` gives a new microsecond timestamp each time.
 */
export const commandTemplate = (verb: CommandVerb) =>
  `{"commandId":"ha-${verb}-{{ (now().timestamp() * 1000000) | int }}","requestedBy":"homeassistant"}`;

function buttons(printerId: string): Entity[] {
  const button = (verb: 'pause' | 'resume' | 'cancel', name: string, icon: string): Entity => ({
    component: 'button',
    key: verb,
    fields: { name, icon, command_topic: printerCommandTopic(printerId, verb), command_template: commandTemplate(verb), retain: false },
  });
  return [button('pause', 'Pause', 'mdi:pause'), button('resume', 'Resume', 'mdi:play'), button('cancel', 'Cancel', 'mdi:stop')];
}

/**
 * Home Assistant discovery for one printer, as the gateway sees it: one HA device, its sensors,
 * binary sensors and buttons. Pure, so the whole shape is unit-tested; `HomeAssistantDiscovery`
 * publishes it. Entities are available only while the agent is online AND the printer is not
 * `offline` (`availability_mode: all`); the "online" sensor follows the agent alone, so it can
 * still say OFF.
 */
export function discoveryMessages(prefix: string, printer: PrinterView): DiscoveryMessage[] {
  const { printerId, state } = printer;
  const firmware = state.firmware;
  const device = {
    identifiers: [`printfleet_${printerId}`],
    name: state.displayName ?? printerId,
    ...(firmware
      ? { manufacturer: firmware.name, model: [firmware.name, firmware.version].filter(Boolean).join(' '), ...(firmware.version ? { sw_version: firmware.version } : {}) }
      : {}),
  };
  const agentAvailable = { topic: agentAvailabilityTopic(state.agentId) };
  const printerAvailable = {
    topic: printerStateTopic(printerId),
    value_template: "{{ 'offline' if value_json.state == 'offline' else 'online' }}",
  };
  return [...sensors(printerId), ...buttons(printerId)].map((entity) => ({
    topic: homeAssistantDiscoveryTopic(prefix, entity.component, printerId, entity.key),
    config: {
      ...entity.fields,
      unique_id: `printfleet_${printerId}_${entity.key}`,
      qos: 1,
      availability: entity.agentOnly ? [agentAvailable] : [agentAvailable, printerAvailable],
      availability_mode: 'all',
      device,
      origin: { name: 'printfleet' },
    },
  }));
}
