import { join } from 'node:path';
import { configReader, type PrintfleetConfig } from '@printfleet/config';
import { internalTokenFile } from '@printfleet/job-service';

export const GATEWAY_SETTINGS = Symbol('gateway:settings');

/** The gateway's own knobs; tests override the limits and timings. */
export interface GatewaySettings {
  dataDir: string;
  adminPassword?: string;
  /** A session unused for this long is gone; each use pushes the deadline out again. */
  sessionTtlMs: number;
  /** Send cookies with `Secure` (only behind HTTPS). */
  cookieSecure: boolean;
  /** How long a command waits for the agent's reply before answering 504. */
  commandTimeoutMs: number;
  /** Failed logins allowed per window, per user name and per client address. */
  loginLimits: { perUser: number; perIp: number; windowMs: number };
  /** Folder of the web UI's static files. */
  webRoot: string;
  /** The job-service's internal HTTP API: files, jobs, queue, history. */
  jobService: {
    /** Base URL, no trailing slash. */
    url: string;
    /** The shared bearer token, written by the job-service into the common data dir. */
    tokenFile: string;
    /** Uploads larger than this are refused before (Content-Length) or while they stream. */
    maxUploadBytes: number;
    /** A JSON call that takes longer than this answers 504 (uploads and downloads have none). */
    timeoutMs: number;
  };
}

/** The web UI ships as plain files beside `src/` and `dist/`, so one path works for both. */
export const DEFAULT_WEB_ROOT = join(__dirname, '..', 'web');

export function gatewaySettingsFrom(
  config: PrintfleetConfig,
  env: NodeJS.ProcessEnv = process.env,
): GatewaySettings {
  const read = configReader(env);
  return {
    dataDir: config.dataDir,
    adminPassword: config.adminPassword,
    sessionTtlMs: read('PRINTFLEET_SESSION_TTL_HOURS') * 3600_000,
    cookieSecure: read('PRINTFLEET_COOKIE_SECURE'),
    commandTimeoutMs: read('PRINTFLEET_COMMAND_TIMEOUT_MS'),
    loginLimits: { perUser: 5, perIp: 20, windowMs: 15 * 60_000 },
    webRoot: DEFAULT_WEB_ROOT,
    jobService: {
      // The job-service listens on all interfaces by default; on one host, loopback reaches it.
      url: (
        read('PRINTFLEET_JOB_SERVICE_URL') ?? `http://127.0.0.1:${read('PRINTFLEET_JOB_HTTP_PORT')}`
      ).replace(/\/+$/, ''),
      tokenFile: internalTokenFile(config.dataDir),
      maxUploadBytes: read('PRINTFLEET_MAX_UPLOAD_BYTES'),
      timeoutMs: 15_000,
    },
  };
}
