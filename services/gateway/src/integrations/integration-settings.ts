import { configReader } from '@printfleet/config';

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
    /** A delivery still pending at boot that is older than this is dropped (logged), not resumed. */
    maxAgeMs: number;
  };
}

/** Read as `loadConfig` reads every key; it has already validated them at boot. */
export function integrationSettingsFrom(env: NodeJS.ProcessEnv = process.env): IntegrationSettings {
  const read = configReader(env);
  return {
    homeAssistant: {
      enabled: read('PRINTFLEET_HA_DISCOVERY'),
      prefix: read('PRINTFLEET_HA_DISCOVERY_PREFIX'),
    },
    metrics: { public: read('PRINTFLEET_METRICS_PUBLIC'), jobStatsMaxAgeMs: 5000 },
    webhooks: {
      urls: read('PRINTFLEET_WEBHOOKS') ?? [],
      secret: read('PRINTFLEET_WEBHOOK_SECRET'),
      maxAttempts: 6,
      backoffMs: 2000,
      timeoutMs: 10_000,
      maxAgeMs: 24 * 3600_000,
    },
  };
}
