import { readFileSync } from 'node:fs';
import { CONFIG_KEYS } from '@printfleet/config';

export const INTEGRATION_SETTINGS = Symbol('gateway:integration-settings');

export interface IntegrationSettings {
  homeAssistant: { enabled: boolean; prefix: string };
  metrics: {
    public: boolean;
    /** Job counts and queue length come from the job-service at most this often, whatever the scrape rate. */
    jobStatsMaxAgeMs: number;
  };
  webhooks: {
    urls: string[];
    /** HMAC-SHA256 key of `X-Printfleet-Signature`; none: deliveries are not signed. */
    secret?: string;
    /** Attempts per delivery, the first included. */
    maxAttempts: number;
    /** Wait before the first retry; doubled for each next one. */
    backoffMs: number;
    /** A receiver that has not answered by then counts as failed. */
    timeoutMs: number;
  };
}

type IntegrationKey =
  | 'PRINTFLEET_HA_DISCOVERY'
  | 'PRINTFLEET_HA_DISCOVERY_PREFIX'
  | 'PRINTFLEET_METRICS_PUBLIC'
  | 'PRINTFLEET_WEBHOOKS'
  | 'PRINTFLEET_WEBHOOK_SECRET';

/**
 * Read as `loadConfig` reads every key (env, else the config file, else the default); it has
 * already validated them at boot. Kept apart from `settings.ts` so integrations stay one folder.
 */
export function integrationSettingsFrom(env: NodeJS.ProcessEnv = process.env): IntegrationSettings {
  const file = env.PRINTFLEET_CONFIG
    ? (JSON.parse(readFileSync(env.PRINTFLEET_CONFIG, 'utf8')) as Record<string, unknown>)
    : {};
  const read = (key: IntegrationKey): unknown => {
    const given = env[key] !== undefined && env[key] !== '' ? env[key] : file[key];
    return CONFIG_KEYS[key].schema.parse(given ?? CONFIG_KEYS[key].default);
  };
  return {
    homeAssistant: {
      enabled: read('PRINTFLEET_HA_DISCOVERY') as boolean,
      prefix: read('PRINTFLEET_HA_DISCOVERY_PREFIX') as string,
    },
    metrics: { public: read('PRINTFLEET_METRICS_PUBLIC') as boolean, jobStatsMaxAgeMs: 5000 },
    webhooks: {
      urls: (read('PRINTFLEET_WEBHOOKS') as string[] | undefined) ?? [],
      secret: read('PRINTFLEET_WEBHOOK_SECRET') as string | undefined,
      maxAttempts: 6,
      backoffMs: 2000,
      timeoutMs: 10_000,
    },
  };
}
