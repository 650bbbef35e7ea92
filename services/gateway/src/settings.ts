import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, type PrintfleetConfig } from '@printfleet/config';
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

type GatewayKey =
  | 'PRINTFLEET_SESSION_TTL_HOURS'
  | 'PRINTFLEET_COOKIE_SECURE'
  | 'PRINTFLEET_COMMAND_TIMEOUT_MS'
  | 'PRINTFLEET_JOB_SERVICE_URL'
  | 'PRINTFLEET_JOB_HTTP_PORT'
  | 'PRINTFLEET_MAX_UPLOAD_BYTES';

/**
 * `loadConfig` has validated every key at boot; its typed result carries only the shared keys,
 * so the gateway reads its own the same way the job-service does: env, else file, else default.
 */
function readKeys(env: NodeJS.ProcessEnv): { [K in GatewayKey]: unknown } {
  let file: Record<string, unknown> = {};
  if (env.PRINTFLEET_CONFIG)
    file = JSON.parse(readFileSync(env.PRINTFLEET_CONFIG, 'utf8')) as Record<string, unknown>;
  const read = (key: GatewayKey) => {
    const given = env[key] !== undefined && env[key] !== '' ? env[key] : file[key];
    return CONFIG_KEYS[key].schema.parse(given ?? CONFIG_KEYS[key].default);
  };
  return {
    PRINTFLEET_SESSION_TTL_HOURS: read('PRINTFLEET_SESSION_TTL_HOURS'),
    PRINTFLEET_COOKIE_SECURE: read('PRINTFLEET_COOKIE_SECURE'),
    PRINTFLEET_COMMAND_TIMEOUT_MS: read('PRINTFLEET_COMMAND_TIMEOUT_MS'),
    PRINTFLEET_JOB_SERVICE_URL: read('PRINTFLEET_JOB_SERVICE_URL'),
    PRINTFLEET_JOB_HTTP_PORT: read('PRINTFLEET_JOB_HTTP_PORT'),
    PRINTFLEET_MAX_UPLOAD_BYTES: read('PRINTFLEET_MAX_UPLOAD_BYTES'),
  };
}

/** The web UI ships as plain files beside `src/` and `dist/`, so one path works for both. */
export const DEFAULT_WEB_ROOT = join(__dirname, '..', 'web');

export function gatewaySettingsFrom(
  config: PrintfleetConfig,
  env: NodeJS.ProcessEnv = process.env,
): GatewaySettings {
  const k = readKeys(env);
  return {
    dataDir: config.dataDir,
    adminPassword: config.adminPassword,
    sessionTtlMs: (k.PRINTFLEET_SESSION_TTL_HOURS as number) * 3600_000,
    cookieSecure: k.PRINTFLEET_COOKIE_SECURE as boolean,
    commandTimeoutMs: k.PRINTFLEET_COMMAND_TIMEOUT_MS as number,
    loginLimits: { perUser: 5, perIp: 20, windowMs: 15 * 60_000 },
    webRoot: DEFAULT_WEB_ROOT,
    jobService: {
      // The job-service listens on all interfaces by default; on one host, loopback reaches it.
      url: (
        (k.PRINTFLEET_JOB_SERVICE_URL as string | undefined) ??
        `http://127.0.0.1:${k.PRINTFLEET_JOB_HTTP_PORT as number}`
      ).replace(/\/+$/, ''),
      tokenFile: internalTokenFile(config.dataDir),
      maxUploadBytes: k.PRINTFLEET_MAX_UPLOAD_BYTES as number,
      timeoutMs: 15_000,
    },
  };
}
