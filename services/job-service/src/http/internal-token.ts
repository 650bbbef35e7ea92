import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const internalTokenFile = (dataDir: string): string => join(dataDir, 'secrets', 'internal-http.token');

/**
 * The shared secret of the job-service's internal HTTP: generated once into
 * `<dataDir>/secrets/internal-http.token` (file 0600, folder 0700, like the MQTT service
 * secrets), read by the gateway from the same data dir. Written atomically so a reader never
 * sees half a token.
 */
export function loadOrCreateInternalToken(dataDir: string): string {
  const file = internalTokenFile(dataDir);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // absent: create below
  }
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const token = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  chmodSync(file, 0o600);
  return token;
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class InternalAuth {
  constructor(private readonly token: string) {}

  /** `Authorization: Bearer <token>`, compared in constant time. */
  checkBearer(header: string | undefined): boolean {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return m !== null && equal(m[1]!, this.token);
  }

  /**
   * Download links for agents: `?expires=<unix s>&sig=<hmac>`. An agent needs no secret of its
   * own; the link names one file and stops working after `expires`.
   */
  signDownload(fileId: string, expiresUnixS: number): string {
    return createHmac('sha256', this.token).update(`download:${fileId}:${expiresUnixS}`).digest('base64url');
  }

  checkDownload(fileId: string, expires: string | null, sig: string | null, nowUnixS = Date.now() / 1000): boolean {
    if (!expires || !sig || !/^\d{1,12}$/.test(expires)) return false;
    const exp = Number(expires);
    return exp >= nowUnixS && equal(sig, this.signDownload(fileId, exp));
  }
}
