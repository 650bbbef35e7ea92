import { readFileSync } from 'node:fs';
import { CONFIG_KEYS, type PrintfleetConfig } from '@printfleet/config';

export const JOB_SETTINGS = Symbol('job-service:settings');

/** Temperature history: one sample per printer per 10 s, kept 30 days (about 260,000 rows a printer). */
export const TEMPERATURE_SAMPLE_MS = 10_000;
export const TEMPERATURE_RETENTION_DAYS = 30;

/** The job-service's own knobs; tests override the timings. */
export interface JobSettings {
  dataDir: string;
  http: { port: number; host: string };
  /** Base of the download URLs sent to agents in cmd/start. */
  publicUrl: string;
  maxUploadBytes: number;
  retentionDays: number;
  /** A dispatched job the agent has not started after this long goes back to the queue. */
  dispatchTimeoutMs: number;
  /** How long a signed download URL stays valid. */
  downloadUrlTtlS: number;
  /** At most one temperature sample per printer per this period. */
  temperatureSampleMs: number;
  /** Temperature samples older than this are deleted (hourly and at boot). */
  temperatureRetentionDays: number;
  /** How often stale dispatches, retention and the dispatcher itself are re-checked. */
  sweepIntervalMs: number;
}

type JobKey =
  | 'PRINTFLEET_JOB_HTTP_PORT'
  | 'PRINTFLEET_JOB_HTTP_HOST'
  | 'PRINTFLEET_JOB_PUBLIC_URL'
  | 'PRINTFLEET_MAX_UPLOAD_BYTES'
  | 'PRINTFLEET_FILE_RETENTION_DAYS';

/**
 * `loadConfig` has already validated every key at boot (it stops the service on a bad one); its
 * typed result carries only the shared keys, so the job-service reads its own the same way:
 * environment, else the config file, else the default.
 */
function readKeys(env: NodeJS.ProcessEnv): { [K in JobKey]: unknown } {
  let file: Record<string, unknown> = {};
  if (env.PRINTFLEET_CONFIG) file = JSON.parse(readFileSync(env.PRINTFLEET_CONFIG, 'utf8')) as Record<string, unknown>;
  const read = (key: JobKey) => {
    const given = env[key] !== undefined && env[key] !== '' ? env[key] : file[key];
    return CONFIG_KEYS[key].schema.parse(given ?? CONFIG_KEYS[key].default);
  };
  return {
    PRINTFLEET_JOB_HTTP_PORT: read('PRINTFLEET_JOB_HTTP_PORT'),
    PRINTFLEET_JOB_HTTP_HOST: read('PRINTFLEET_JOB_HTTP_HOST'),
    PRINTFLEET_JOB_PUBLIC_URL: read('PRINTFLEET_JOB_PUBLIC_URL'),
    PRINTFLEET_MAX_UPLOAD_BYTES: read('PRINTFLEET_MAX_UPLOAD_BYTES'),
    PRINTFLEET_FILE_RETENTION_DAYS: read('PRINTFLEET_FILE_RETENTION_DAYS'),
  };
}

export function jobSettingsFrom(config: PrintfleetConfig, env: NodeJS.ProcessEnv = process.env): JobSettings {
  const k = readKeys(env);
  const port = k.PRINTFLEET_JOB_HTTP_PORT as number;
  return {
    dataDir: config.dataDir,
    http: { port, host: k.PRINTFLEET_JOB_HTTP_HOST as string },
    publicUrl: ((k.PRINTFLEET_JOB_PUBLIC_URL as string | undefined) ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    maxUploadBytes: k.PRINTFLEET_MAX_UPLOAD_BYTES as number,
    retentionDays: k.PRINTFLEET_FILE_RETENTION_DAYS as number,
    dispatchTimeoutMs: 60_000,
    downloadUrlTtlS: 24 * 3600,
    temperatureSampleMs: TEMPERATURE_SAMPLE_MS,
    temperatureRetentionDays: TEMPERATURE_RETENTION_DAYS,
    sweepIntervalMs: 5_000,
  };
}
