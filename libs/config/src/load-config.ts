import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { readConfigFile } from './config-file';
import { rawSetting } from './config-reader';
import { CONFIG_KEYS, type ConfigKey, defaultAgentId } from './keys';

type Shape = { [K in ConfigKey]: (typeof CONFIG_KEYS)[K]['schema'] };
export type RawConfig = z.infer<z.ZodObject<Shape>>;

export interface PrintfleetConfig {
  dataDir: string;
  http: { port: number; host: string };
  mqtt: {
    /** The broker every service connects to: the external one, or the embedded one on loopback. */
    url: string;
    external: boolean;
    port: number;
    wsPort: number;
    host: string;
    username?: string;
    password?: string;
  };
  agentId: string;
  ports: string[];
  adminPassword?: string;
  log: { level: string; format: 'auto' | 'json' | 'pretty' };
}

/**
 * Reads `PRINTFLEET_*` from the environment (and the optional config file), checks every key,
 * and reports all bad ones at once, each named, so a wrong setting stops a service at boot
 * with a message the operator can act on.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PrintfleetConfig {
  const unknownEnv = Object.keys(env).filter((k) => k.startsWith('PRINTFLEET_') && !(k in CONFIG_KEYS));
  const file = env.PRINTFLEET_CONFIG ? readConfigFile(env.PRINTFLEET_CONFIG) : {};
  const problems = unknownEnv.map((k) => `${k}: unknown setting (known: see README "Configuration")`);
  const raw: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, (typeof CONFIG_KEYS)[ConfigKey]][]) {
    const { text, source } = rawSetting(key, env, file);
    const result = spec.schema.safeParse(text);
    if (result.success) raw[key] = result.data;
    else problems.push(`${key}: ${result.error.issues.map((i) => i.message).join(', ')} (got ${source === 'default' ? 'the default' : JSON.stringify(text)})`);
  }
  if (problems.length) throw new ConfigError(problems);
  const c = raw as RawConfig;
  const mqttHostForClients = c.PRINTFLEET_MQTT_HOST === '0.0.0.0' ? '127.0.0.1' : c.PRINTFLEET_MQTT_HOST;
  return {
    dataDir: resolve(c.PRINTFLEET_DATA_DIR),
    http: { port: c.PRINTFLEET_HTTP_PORT, host: c.PRINTFLEET_HTTP_HOST },
    mqtt: {
      url: c.PRINTFLEET_MQTT_URL ?? `mqtt://${mqttHostForClients}:${c.PRINTFLEET_MQTT_PORT}`,
      external: c.PRINTFLEET_MQTT_URL !== undefined,
      port: c.PRINTFLEET_MQTT_PORT,
      wsPort: c.PRINTFLEET_MQTT_WS_PORT,
      host: c.PRINTFLEET_MQTT_HOST,
      username: c.PRINTFLEET_MQTT_USERNAME,
      password: c.PRINTFLEET_MQTT_PASSWORD,
    },
    agentId: c.PRINTFLEET_AGENT_ID ?? defaultAgentId(),
    ports: c.PRINTFLEET_PORTS ?? [],
    adminPassword: c.PRINTFLEET_ADMIN_PASSWORD,
    log: { level: c.PRINTFLEET_LOG_LEVEL, format: c.PRINTFLEET_LOG_FORMAT },
  };
}
