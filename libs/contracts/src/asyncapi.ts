import { z } from 'zod';
import { availabilitySchema } from './schemas/availability';
import { COMMAND_SCHEMAS, COMMAND_VERBS, commandReplySchema } from './schemas/commands';
import { consoleLineSchema } from './schemas/console';
import { printerEventSchema } from './schemas/events';
import { printerStateSchema } from './schemas/state';
import { printerTelemetrySchema } from './schemas/telemetry';
import { HOMEASSISTANT_COMPONENTS, HOMEASSISTANT_ROOT, TOPIC_ROOT } from './topics';
import { homeAssistantDiscoveryConfigSchema } from './schemas/homeassistant';
import {
  AVAILABILITY_EXAMPLES,
  COMMAND_EXAMPLES,
  CONSOLE_EXAMPLES,
  EVENT_EXAMPLES,
  HOME_ASSISTANT_EXAMPLES,
  REPLY_EXAMPLES,
  STATE_EXAMPLES,
  TELEMETRY_EXAMPLES,
  type MessageExample,
} from './asyncapi-examples';

const jsonSchema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;

/** A message of the public API: the zod schema the code validates with, and examples of it. */
export interface AsyncApiMessage {
  name: string;
  schema: z.ZodType;
  examples: MessageExample[];
  contentType?: string;
}

interface ChannelSpec {
  key: string;
  address: string;
  summary: string;
  description?: string;
  message: AsyncApiMessage;
  parameters: Record<string, unknown>;
  /** Who sends on it, from the point of view of a third-party client. */
  action: 'receive' | 'send';
  retained?: boolean;
}

const printerParam = { printerId: { description: 'Printer id (letters, digits, ".", "_", "-"; 1-64).' } };

const availability: AsyncApiMessage = { name: 'Availability', schema: availabilitySchema, examples: AVAILABILITY_EXAMPLES, contentType: 'text/plain' };
const commandReply: AsyncApiMessage = { name: 'CommandReply', schema: commandReplySchema, examples: REPLY_EXAMPLES };

function channels(): ChannelSpec[] {
  const list: ChannelSpec[] = [
    {
      key: 'agentAvailability',
      address: `${TOPIC_ROOT}/agents/{agentId}/availability`,
      summary: 'A printer agent is online or offline (retained, also its last will).',
      message: availability,
      parameters: { agentId: { description: 'Agent id (same rule as printer ids).' } },
      action: 'receive',
      retained: true,
    },
    {
      key: 'serviceAvailability',
      address: `${TOPIC_ROOT}/services/{service}/availability`,
      summary: 'job-service or gateway is online or offline (retained, also its last will).',
      message: availability,
      parameters: { service: { enum: ['job-service', 'gateway'] } },
      action: 'receive',
      retained: true,
    },
    {
      key: 'printerState',
      address: `${TOPIC_ROOT}/printers/{printerId}/state`,
      summary: 'Full current state of a printer, retained, with a sequence number.',
      message: { name: 'PrinterState', schema: printerStateSchema, examples: STATE_EXAMPLES },
      parameters: printerParam,
      action: 'receive',
      retained: true,
    },
    {
      key: 'printerTelemetry',
      address: `${TOPIC_ROOT}/printers/{printerId}/telemetry`,
      summary: 'Temperatures, fans, position and progress, about once a second (QoS 0).',
      message: { name: 'PrinterTelemetry', schema: printerTelemetrySchema, examples: TELEMETRY_EXAMPLES },
      parameters: printerParam,
      action: 'receive',
    },
    {
      key: 'printerEvents',
      address: `${TOPIC_ROOT}/printers/{printerId}/events`,
      summary: 'Job lifecycle and printer incidents, each published once (QoS 1).',
      message: { name: 'PrinterEvent', schema: printerEventSchema, examples: EVENT_EXAMPLES },
      parameters: printerParam,
      action: 'receive',
    },
    {
      key: 'printerConsole',
      address: `${TOPIC_ROOT}/printers/{printerId}/console`,
      summary: 'Raw lines to and from the firmware (QoS 0).',
      message: { name: 'ConsoleLine', schema: consoleLineSchema, examples: CONSOLE_EXAMPLES },
      parameters: printerParam,
      action: 'receive',
    },
  ];
  for (const verb of COMMAND_VERBS) {
    const name = verb[0]!.toUpperCase() + verb.slice(1);
    list.push(
      {
        key: `${verb}Command`,
        address: `${TOPIC_ROOT}/printers/{printerId}/cmd/${verb}`,
        summary: `Ask the printer's agent to ${verb} (QoS 1; idempotent by commandId).`,
        message: { name: `${name}Command`, schema: COMMAND_SCHEMAS[verb], examples: COMMAND_EXAMPLES[verb] },
        parameters: printerParam,
        action: 'send',
      },
      {
        key: `${verb}Reply`,
        address: `${TOPIC_ROOT}/printers/{printerId}/cmd/${verb}/reply`,
        summary: `Accepted or rejected, with a reason, matched by commandId.`,
        message: commandReply,
        parameters: printerParam,
        action: 'receive',
      },
    );
  }
  list.push({
    key: 'homeAssistantDiscovery',
    address: `${HOMEASSISTANT_ROOT}/{component}/{nodeId}/{objectId}/config`,
    summary: 'Home Assistant MQTT discovery: one retained config per entity of each printer (QoS 1).',
    description:
      'Published by the gateway unless PRINTFLEET_HA_DISCOVERY=false; `homeassistant` is the default of ' +
      'PRINTFLEET_HA_DISCOVERY_PREFIX (one or more topic levels, never under printfleet/). Each printer is one HA device. ' +
      'Sensors read printfleet/v1/printers/{printerId}/state or /telemetry; buttons publish to ' +
      'printfleet/v1/printers/{printerId}/cmd/{verb}, so a press is checked like any command. Entities are available ' +
      "while the printer's agent is online and the printer is not offline. An empty retained payload removes an entity.",
    message: { name: 'HomeAssistantDiscoveryConfig', schema: homeAssistantDiscoveryConfigSchema, examples: HOME_ASSISTANT_EXAMPLES },
    parameters: {
      component: { enum: [...HOMEASSISTANT_COMPONENTS] },
      nodeId: {
        description: '`printfleet_` and the printer id, `_` written `__` and `.` written `_2e` (HA allows neither `.` nor ambiguity).',
      },
      objectId: {
        description:
          'The entity: sensor state, progress, time_remaining, hotend_temperature, hotend_target, bed_temperature, ' +
          'bed_target, current_file; binary_sensor printing, online; button pause, resume, cancel.',
      },
    },
    action: 'receive',
    retained: true,
  });
  return list;
}

/** Every distinct message of the document, with its zod schema and examples (tests validate each example). */
export function asyncApiMessages(): AsyncApiMessage[] {
  return [...new Map(channels().map((c) => [c.message.name, c.message])).values()];
}

/** The AsyncAPI 3 document of the public MQTT API, built from the same schemas the code uses. */
export function buildAsyncApiDocument(version: string): Record<string, unknown> {
  const list = channels();
  const messages: Record<string, unknown> = {};
  const channelDocs: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const c of list) {
    const m = c.message;
    messages[m.name] = {
      name: m.name,
      contentType: m.contentType ?? 'application/json',
      payload: jsonSchema(m.schema),
      examples: m.examples.map((e) => ({ name: e.name, summary: e.summary, payload: e.payload })),
    };
    channelDocs[c.key] = {
      address: c.address,
      summary: c.summary,
      ...(c.description ? { description: c.description } : {}),
      parameters: c.parameters,
      messages: { [m.name]: { $ref: `#/components/messages/${m.name}` } },
      ...(c.retained ? { 'x-retained': true } : {}),
    };
    operations[`${c.action}${c.key[0]!.toUpperCase()}${c.key.slice(1)}`] = {
      action: c.action,
      channel: { $ref: `#/channels/${c.key}` },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'printfleet MQTT API',
      version,
      description:
        'Public topics of printfleet. Generated from libs/contracts; a test fails when this file and the schemas disagree.',
    },
    defaultContentType: 'application/json',
    servers: {
      embedded: {
        host: 'localhost:1883',
        protocol: 'mqtt',
        description: 'The embedded Aedes broker (MQTT 3.1.1). Username and password required.',
      },
      websocket: { host: 'localhost:9001', pathname: '/mqtt', protocol: 'ws', description: 'MQTT over WebSocket.' },
    },
    channels: channelDocs,
    operations,
    components: { messages },
  };
}
