import { hostname } from 'node:os';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const portList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.string().regex(/^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,63}=)?\/[^\0]*$/, 'each port must be an absolute device path, optionally named: name=/dev/path'),
    ),
  );
const usbIdList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[0-9a-f]{4}:([0-9a-f]{4}|\*)$/, 'each USB id is vvvv:pppp or vvvv:* in hex')));
const urlList = z
  .string()
  .transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'each webhook is an http:// or https:// URL' })).max(20));
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
  /**
   * How an admin page shows it: `secret` never shows the value, `url` shows scheme and host only
   * (user info, paths and queries of URLs such as webhooks often carry tokens).
   */
  redact?: 'secret' | 'url';
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
  PRINTFLEET_MQTT_URL: { schema: mqttUrl.optional(), default: undefined, help: 'use this external broker instead of the embedded one', redact: 'url' },
  PRINTFLEET_MQTT_USERNAME: { schema: z.string().min(1).optional(), default: undefined, help: "this service's MQTT account (default: its generated service account)" },
  PRINTFLEET_MQTT_PASSWORD: { schema: z.string().min(1).optional(), default: undefined, help: 'password of `PRINTFLEET_MQTT_USERNAME`', redact: 'secret' },
  PRINTFLEET_AGENT_ID: { schema: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_", "-"').optional(), default: undefined, shownDefault: 'host name', help: "this host's printer-agent id, unique in the fleet" },
  PRINTFLEET_PORTS: { schema: portList.optional(), default: undefined, help: 'extra serial port paths to attach, comma-separated, each `/path` or `name=/path` (simulators)' },
  PRINTFLEET_USB_IDS: { schema: usbIdList, default: '0403:6001,1a86:7523,2c99:*,2341:*,10c4:ea60,0483:5740', help: 'USB vendor:product ids the printer-agent attaches (`*`: any product)' },
  PRINTFLEET_BAUD_RATE: { schema: z.coerce.number().int().positive().optional(), default: undefined, shownDefault: 'auto', help: 'serial speed for every printer; unset: try 115200, then 250000' },
  PRINTFLEET_PAUSE_SCRIPT: { schema: z.string().optional(), default: undefined, shownDefault: 'retract, lift Z, park', help: 'printer-agent: G-code run when a pause has drained, lines separated by `\\n`, or the absolute path of a profile file (`[printer-id]` sections for one printer); heaters stay on' },
  PRINTFLEET_CANCEL_SCRIPT: { schema: z.string().optional(), default: undefined, shownDefault: 'heaters, fan, motors off', help: 'printer-agent: G-code run after a cancel, same forms as `PRINTFLEET_PAUSE_SCRIPT`' },
  PRINTFLEET_ADMIN_PASSWORD: { schema: z.string().min(12, 'at least 12 characters').optional(), default: undefined, help: "first admin's password; else one is generated once and printed", redact: 'secret' },
  PRINTFLEET_JOB_HTTP_PORT: { schema: port, default: '8082', help: 'job-service internal HTTP (gateway requests, agent downloads; bearer token)' },
  PRINTFLEET_JOB_HTTP_HOST: { schema: z.string().min(1), default: '0.0.0.0', help: 'address the job-service internal HTTP listens on' },
  PRINTFLEET_JOB_PUBLIC_URL: { schema: z.url({ protocol: /^https?$/ }).optional(), default: undefined, shownDefault: '`http://127.0.0.1:` + job port', help: 'base URL agents download files from (set it when agents run on other hosts)', redact: 'url' },
  PRINTFLEET_MAX_UPLOAD_BYTES: { schema: z.coerce.number().int().positive(), default: '1073741824', help: 'largest G-code file accepted (1 GiB)' },
  PRINTFLEET_FILE_RETENTION_DAYS: { schema: z.coerce.number().int().min(0), default: '0', help: 'delete files not printed for this many days, keeping their history (0: never)' },
  PRINTFLEET_JOB_SERVICE_URL: { schema: z.url({ protocol: /^https?$/ }).optional(), default: undefined, shownDefault: '`http://127.0.0.1:` + job port', help: 'gateway: where it reaches the job-service internal HTTP (set it when they run on different hosts)', redact: 'url' },
  PRINTFLEET_SESSION_TTL_HOURS: { schema: z.coerce.number().positive(), default: '168', help: 'gateway: a login session unused this long ends (each use extends it)' },
  PRINTFLEET_COOKIE_SECURE: { schema: z.enum(['true', 'false']).transform((v) => v === 'true'), default: 'false', help: 'gateway: mark cookies `Secure` (set `true` behind HTTPS)' },
  PRINTFLEET_COMMAND_TIMEOUT_MS: { schema: z.coerce.number().int().min(100), default: '10000', help: "gateway: how long a printer command waits for the agent's reply (then 504)" },
  PRINTFLEET_HA_DISCOVERY: { schema: z.enum(['true', 'false']).transform((v) => v === 'true'), default: 'true', help: 'gateway: publish Home Assistant MQTT discovery configs for every printer' },
  PRINTFLEET_HA_DISCOVERY_PREFIX: { schema: z.string().regex(/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/, 'topic levels of letters, digits, "_", "-"').refine((p) => p.split('/')[0] !== 'printfleet', 'must not be under printfleet/'), default: 'homeassistant', help: "Home Assistant's discovery prefix (gateway publishes, broker lets the gateway write there)" },
  PRINTFLEET_METRICS_PUBLIC: { schema: z.enum(['true', 'false']).transform((v) => v === 'true'), default: 'false', help: 'gateway: serve `/metrics` without a session or API key (for a Prometheus on a trusted network)' },
  PRINTFLEET_WEBHOOKS: { schema: urlList.optional(), default: undefined, help: 'gateway: URLs that get a signed POST on job finished/failed/cancelled, printer error and queue empty, comma-separated', redact: 'url' },
  PRINTFLEET_WEBHOOK_SECRET: { schema: z.string().min(16, 'at least 16 characters').optional(), default: undefined, help: 'gateway: HMAC-SHA256 key for `X-Printfleet-Signature: sha256=<hex>` of each webhook body (unset: unsigned)', redact: 'secret' },
  PRINTFLEET_LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']), default: 'info', help: 'log level' },
  PRINTFLEET_LOG_FORMAT: { schema: z.enum(['auto', 'json', 'pretty']), default: 'auto', help: '`auto`: readable on a terminal, JSON otherwise' },
} satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
