import { z } from 'zod';
import { availabilitySchema } from './schemas/availability';
import { COMMAND_SCHEMAS, COMMAND_VERBS, commandReplySchema } from './schemas/commands';
import { consoleLineSchema } from './schemas/console';
import { printerEventSchema } from './schemas/events';
import { printerStateSchema } from './schemas/state';
import { printerTelemetrySchema } from './schemas/telemetry';
import { TOPIC_ROOT } from './topics';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;

interface ChannelSpec {
  key: string;
  address: string;
  summary: string;
  message: string;
  payload: Record<string, unknown>;
  /** Who sends on it, from the point of view of a third-party client. */
  action: 'receive' | 'send';
  retained?: boolean;
  contentType?: string;
}

const printerParam = { printerId: { description: 'Printer id (letters, digits, ".", "_", "-"; 1-64).' } };

function channels(): ChannelSpec[] {
  const list: ChannelSpec[] = [
    {
      key: 'agentAvailability',
      address: `${TOPIC_ROOT}/agents/{agentId}/availability`,
      summary: 'A printer agent is online or offline (retained, also its last will).',
      message: 'Availability',
      payload: schema(availabilitySchema),
      action: 'receive',
      retained: true,
      contentType: 'text/plain',
    },
    {
      key: 'serviceAvailability',
      address: `${TOPIC_ROOT}/services/{service}/availability`,
      summary: 'job-service or gateway is online or offline (retained, also its last will).',
      message: 'Availability',
      payload: schema(availabilitySchema),
      action: 'receive',
      retained: true,
      contentType: 'text/plain',
    },
    {
      key: 'printerState',
      address: `${TOPIC_ROOT}/printers/{printerId}/state`,
      summary: 'Full current state of a printer, retained, with a sequence number.',
      message: 'PrinterState',
      payload: schema(printerStateSchema),
      action: 'receive',
      retained: true,
    },
    {
      key: 'printerTelemetry',
      address: `${TOPIC_ROOT}/printers/{printerId}/telemetry`,
      summary: 'Temperatures, fans, position and progress, about once a second (QoS 0).',
      message: 'PrinterTelemetry',
      payload: schema(printerTelemetrySchema),
      action: 'receive',
    },
    {
      key: 'printerEvents',
      address: `${TOPIC_ROOT}/printers/{printerId}/events`,
      summary: 'Job lifecycle and printer incidents, each published once (QoS 1).',
      message: 'PrinterEvent',
      payload: schema(printerEventSchema),
      action: 'receive',
    },
    {
      key: 'printerConsole',
      address: `${TOPIC_ROOT}/printers/{printerId}/console`,
      summary: 'Raw lines to and from the firmware (QoS 0).',
      message: 'ConsoleLine',
      payload: schema(consoleLineSchema),
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
        message: `${name}Command`,
        payload: schema(COMMAND_SCHEMAS[verb]),
        action: 'send',
      },
      {
        key: `${verb}Reply`,
        address: `${TOPIC_ROOT}/printers/{printerId}/cmd/${verb}/reply`,
        summary: `Accepted or rejected, with a reason, matched by commandId.`,
        message: 'CommandReply',
        payload: schema(commandReplySchema),
        action: 'receive',
      },
    );
  }
  return list;
}

/** The AsyncAPI 3 document of the public MQTT API, built from the same schemas the code uses. */
export function buildAsyncApiDocument(version: string): Record<string, unknown> {
  const list = channels();
  const messages: Record<string, unknown> = {};
  const channelDocs: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const c of list) {
    const params = c.address.includes('{printerId}')
      ? printerParam
      : c.address.includes('{agentId}')
        ? { agentId: { description: 'Agent id (same rule as printer ids).' } }
        : { service: { enum: ['job-service', 'gateway'] } };
    messages[c.message] = {
      name: c.message,
      contentType: c.contentType ?? 'application/json',
      payload: c.payload,
    };
    channelDocs[c.key] = {
      address: c.address,
      summary: c.summary,
      parameters: params,
      messages: { [c.message]: { $ref: `#/components/messages/${c.message}` } },
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
