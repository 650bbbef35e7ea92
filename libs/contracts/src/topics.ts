import { assertId, isValidId } from './ids';
import { COMMAND_VERBS, type CommandVerb } from './schemas/commands';

/** Every public topic starts here; the version is bumped only for breaking changes. */
export const TOPIC_ROOT = 'printfleet/v1';
/** Service-to-service requests live apart from the public contract (DESIGN.md). */
export const INTERNAL_ROOT = 'printfleet/internal/v1';
export const HOMEASSISTANT_ROOT = 'homeassistant';

export const SERVICE_NAMES = ['job-service', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const PRINTER_STREAMS = ['state', 'telemetry', 'events', 'console'] as const;
export type PrinterStream = (typeof PRINTER_STREAMS)[number];

const printer = (printerId: string) => `${TOPIC_ROOT}/printers/${assertId('printer id', printerId)}`;

export const agentAvailabilityTopic = (agentId: string) =>
  `${TOPIC_ROOT}/agents/${assertId('agent id', agentId)}/availability`;
export const serviceAvailabilityTopic = (service: ServiceName) => `${TOPIC_ROOT}/services/${service}/availability`;
export const printerStreamTopic = (printerId: string, stream: PrinterStream) => `${printer(printerId)}/${stream}`;
export const printerStateTopic = (printerId: string) => printerStreamTopic(printerId, 'state');
export const printerTelemetryTopic = (printerId: string) => printerStreamTopic(printerId, 'telemetry');
export const printerEventsTopic = (printerId: string) => printerStreamTopic(printerId, 'events');
export const printerConsoleTopic = (printerId: string) => printerStreamTopic(printerId, 'console');
export const printerCommandTopic = (printerId: string, verb: CommandVerb) => `${printer(printerId)}/cmd/${verb}`;
export const printerCommandReplyTopic = (printerId: string, verb: CommandVerb) =>
  `${printerCommandTopic(printerId, verb)}/reply`;

/** Internal: the job-service announces every change of a job record (payload `jobChangeSchema`). */
export const jobChangedTopic = () => `${INTERNAL_ROOT}/jobs/changed`;

/**
 * Internal, retained: an admin's settings for one printer (payload `printerSettingsSchema`).
 * Only the job-service publishes here; agents read it. An empty retained payload clears it.
 */
export const printerSettingsTopic = (printerId: string) =>
  `${INTERNAL_ROOT}/printers/${assertId('printer id', printerId)}/settings`;

/** Subscription patterns; the only place wildcards are spelled. */
export const TOPIC_PATTERNS = {
  everything: `${TOPIC_ROOT}/#`,
  availability: {
    agents: `${TOPIC_ROOT}/agents/+/availability`,
    services: `${TOPIC_ROOT}/services/+/availability`,
  },
  printerStream: (stream: PrinterStream) => `${TOPIC_ROOT}/printers/+/${stream}`,
  printerCommands: `${TOPIC_ROOT}/printers/+/cmd/+`,
  printerCommandsOf: (printerId: string) => `${printer(printerId)}/cmd/+`,
  printerCommandReplies: `${TOPIC_ROOT}/printers/+/cmd/+/reply`,
  printerSubtree: (printerId: string) => `${printer(printerId)}/#`,
  agentSubtree: (agentId: string) => `${TOPIC_ROOT}/agents/${assertId('agent id', agentId)}/#`,
  internal: `${INTERNAL_ROOT}/#`,
  printerSettings: `${INTERNAL_ROOT}/printers/+/settings`,
  homeassistant: `${HOMEASSISTANT_ROOT}/#`,
} as const;

/**
 * Home Assistant MQTT discovery, HA's "single component" form:
 * `<prefix>/<component>/<node_id>/<object_id>/config`, one retained config per entity. The
 * prefix is configurable in HA (and here), so it is an argument, checked like an id.
 */
export const HOMEASSISTANT_COMPONENTS = ['sensor', 'binary_sensor', 'button'] as const;
export type HomeAssistantComponent = (typeof HOMEASSISTANT_COMPONENTS)[number];

/** One or more topic levels of letters, digits, `_`, `-`: no wildcard, no `$` (MQTT 3.1.1 §4.7). */
const DISCOVERY_PREFIX = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;
const HA_OBJECT_ID = /^[a-z0-9_]{1,64}$/;

export function isValidDiscoveryPrefix(prefix: unknown): prefix is string {
  // Never inside printfleet's own tree: the gateway may publish anything under the prefix.
  return typeof prefix === 'string' && DISCOVERY_PREFIX.test(prefix) && prefix.split('/')[0] !== TOPIC_ROOT.split('/')[0];
}

function assertDiscoveryPrefix(prefix: string): string {
  if (!isValidDiscoveryPrefix(prefix))
    throw new Error(`invalid discovery prefix ${JSON.stringify(prefix)}: topic levels of letters, digits, "_", "-", not under printfleet/`);
  return prefix;
}

/**
 * HA allows only `[a-zA-Z0-9_-]` in node ids, printer ids may also hold `.`: escaped reversibly
 * (`_` → `__`, `.` → `_2e`), so two printers can never share a discovery topic.
 */
export const homeAssistantNodeId = (printerId: string) =>
  `printfleet_${assertId('printer id', printerId).replace(/_/g, '__').replace(/\./g, '_2e')}`;

export function homeAssistantDiscoveryTopic(
  prefix: string,
  component: HomeAssistantComponent,
  printerId: string,
  objectId: string,
): string {
  if (!HA_OBJECT_ID.test(objectId)) throw new Error(`invalid Home Assistant object id ${JSON.stringify(objectId)}`);
  return `${assertDiscoveryPrefix(prefix)}/${component}/${homeAssistantNodeId(printerId)}/${objectId}/config`;
}

/** Everything under a discovery prefix (`TOPIC_PATTERNS.homeassistant` for the default one). */
export const homeAssistantDiscoveryPattern = (prefix: string) => `${assertDiscoveryPrefix(prefix)}/#`;

export type ParsedTopic =
  | { kind: 'agent-availability'; agentId: string }
  | { kind: 'service-availability'; service: ServiceName }
  | { kind: 'printer-stream'; printerId: string; stream: PrinterStream }
  | { kind: 'printer-command'; printerId: string; verb: CommandVerb }
  | { kind: 'printer-command-reply'; printerId: string; verb: CommandVerb }
  | { kind: 'printer-settings'; printerId: string }
  | { kind: 'internal'; path: string[] }
  | { kind: 'homeassistant'; path: string[] };

const isOneOf = <T extends string>(list: readonly T[], v: string | undefined): v is T =>
  v !== undefined && (list as readonly string[]).includes(v);

/** The inverse of the builders above: null for any topic that is not part of the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  const levels = topic.split('/');
  if (levels[0] === HOMEASSISTANT_ROOT) return { kind: 'homeassistant', path: levels.slice(1) };
  if (topic.startsWith(`${INTERNAL_ROOT}/`)) {
    const path = levels.slice(3);
    if (path.length === 3 && path[0] === 'printers' && path[2] === 'settings' && isValidId(path[1]))
      return { kind: 'printer-settings', printerId: path[1] };
    return { kind: 'internal', path };
  }
  if (`${levels[0]}/${levels[1]}` !== TOPIC_ROOT) return null;
  const [, , group, id, a, b, c, ...rest] = levels;
  if (rest.length > 0 || !isValidId(id)) return null;
  if (group === 'agents' && a === 'availability' && b === undefined) return { kind: 'agent-availability', agentId: id };
  if (group === 'services' && a === 'availability' && b === undefined && isOneOf(SERVICE_NAMES, id))
    return { kind: 'service-availability', service: id };
  if (group !== 'printers') return null;
  if (isOneOf(PRINTER_STREAMS, a) && b === undefined) return { kind: 'printer-stream', printerId: id, stream: a };
  if (a !== 'cmd' || !isOneOf(COMMAND_VERBS, b)) return null;
  if (c === undefined) return { kind: 'printer-command', printerId: id, verb: b };
  if (c === 'reply') return { kind: 'printer-command-reply', printerId: id, verb: b };
  return null;
}
