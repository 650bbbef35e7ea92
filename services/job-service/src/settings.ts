import { configReader, type PrintfleetConfig } from '@printfleet/config';

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

export function jobSettingsFrom(config: PrintfleetConfig, env: NodeJS.ProcessEnv = process.env): JobSettings {
  // loadConfig has validated every key at boot; its typed result carries only the shared ones.
  const read = configReader(env);
  const port = read('PRINTFLEET_JOB_HTTP_PORT');
  return {
    dataDir: config.dataDir,
    http: { port, host: read('PRINTFLEET_JOB_HTTP_HOST') },
    publicUrl: (read('PRINTFLEET_JOB_PUBLIC_URL') ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    maxUploadBytes: read('PRINTFLEET_MAX_UPLOAD_BYTES'),
    retentionDays: read('PRINTFLEET_FILE_RETENTION_DAYS'),
    dispatchTimeoutMs: 60_000,
    downloadUrlTtlS: 24 * 3600,
    temperatureSampleMs: TEMPERATURE_SAMPLE_MS,
    temperatureRetentionDays: TEMPERATURE_RETENTION_DAYS,
    sweepIntervalMs: 5_000,
  };
}
