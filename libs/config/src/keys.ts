import { hostname } from 'node:os';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const portList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^\/[^\0]*$/, 'each port must be an absolute device path')));
const mqttUrl = z.url({ protocol: /^(mqtt|mqtts|ws|wss|tcp)$/ });

/** A host name turned into an agent id (same rule as contracts' ids, kept here to stay dependency-free). */
export function defaultAgentId(): string {
  return (
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 64) || 'local'
  );
}

interface KeySpec {
  schema: z.ZodType;
  default: string | undefined;
  /** What README's table shows as the default, when it is computed. */
  shownDefault?: string;
  help: string;
}

/**
 * Every `PRINTFLEET_*` variable, once. README's configuration table is checked against this
 * list by a test, so documentation and code cannot drift apart.
 */
export const CONFIG_KEYS = {
  PRINTFLEET_CONFIG: { schema: z.string().optional(), default: undefined, help: 'optional JSON file with any of these keys; environment wins' },
  PRINTFLEET_DATA_DIR: { schema: z.string().min(1), default: './data', help: 'SQLite files, file store, caches, generated credentials' },
  PRINTFLEET_HTTP_PORT: { schema: port, default: '8080', help: 'gateway HTTP (UI, API, WebSocket)' },
  PRINTFLEET_HTTP_HOST: { schema: z.string().min(1), default: '0.0.0.0', help: 'address the gateway listens on' },
  PRINTFLEET_MQTT_PORT: { schema: port, default: '1883', help: 'embedded broker, TCP' },
  PRINTFLEET_MQTT_WS_PORT: { schema: port, default: '9001', help: 'embedded broker, MQTT over WebSocket at path `/mqtt` (0: off)' },
  PRINTFLEET_MQTT_HOST: { schema: z.string().min(1), default: '0.0.0.0', help: 'address the embedded broker listens on' },
  PRINTFLEET_MQTT_URL: { schema: mqttUrl.optional(), default: undefined, help: 'use this external broker instead of the embedded one' },
  PRINTFLEET_MQTT_USERNAME: { schema: z.string().min(1).optional(), default: undefined, help: "this service's MQTT account (default: its generated service account)" },
  PRINTFLEET_MQTT_PASSWORD: { schema: z.string().min(1).optional(), default: undefined, help: 'password of `PRINTFLEET_MQTT_USERNAME`' },
  PRINTFLEET_AGENT_ID: { schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_", "-"').optional(), default: undefined, shownDefault: 'host name', help: "this host's printer-agent id, unique in the fleet" },
  PRINTFLEET_PORTS: { schema: portList.optional(), default: undefined, help: 'extra serial port paths to attach, comma-separated (simulators)' },
  PRINTFLEET_ADMIN_PASSWORD: { schema: z.string().min(12, 'at least 12 characters').optional(), default: undefined, help: "first admin's password; else one is generated once and printed" },
  PRINTFLEET_LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']), default: 'info', help: 'log level' },
  PRINTFLEET_LOG_FORMAT: { schema: z.enum(['auto', 'json', 'pretty']), default: 'auto', help: '`auto`: readable on a terminal, JSON otherwise' },
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
