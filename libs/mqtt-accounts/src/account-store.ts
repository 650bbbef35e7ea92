import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePassword, hashPassword, verifyPassword } from './password-hash';
import { type MqttAccount, type MqttRole, serviceUsername, USERNAME_PATTERN } from './roles';

interface AccountsFile {
  version: 1;
  accounts: MqttAccount[];
}

/** Writes a file so that readers see the old or the new content, never half of it. */
function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, path);
  chmodSync(path, 0o600);
}

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

/**
 * MQTT accounts in `<dataDir>/mqtt/accounts.json` (hashed passwords only, mode 0600), and the
 * plain passwords of service accounts in `<dataDir>/secrets/` (mode 0600, dir 0700), which is
 * how services on the same host find their credentials without any default password.
 */
export class AccountStore {
  private readonly file: string;
  private readonly secretsDir: string;
  private cache: { mtimeMs: number; accounts: MqttAccount[] } | null = null;

  constructor(readonly dataDir: string) {
    this.file = join(dataDir, 'mqtt', 'accounts.json');
    this.secretsDir = join(dataDir, 'secrets');
  }

  /** Re-read only when the file changed, so `mqtt-user add` takes effect on a running broker. */
  list(): MqttAccount[] {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      return [];
    }
    if (this.cache?.mtimeMs !== mtimeMs) {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as AccountsFile;
      this.cache = { mtimeMs, accounts: parsed.accounts };
    }
    return this.cache.accounts;
  }

  find(username: string): MqttAccount | undefined {
    return this.list().find((a) => a.username === username);
  }

  async authenticate(username: string, password: string): Promise<MqttAccount | null> {
    const account = this.find(username);
    if (!account) return null;
    return (await verifyPassword(password, account.hash)) ? account : null;
  }

  /** Adds or replaces an account; returns the password (generated when none is given). */
  async add(username: string, role: MqttRole, options: { password?: string; agentId?: string } = {}): Promise<string> {
    if (!USERNAME_PATTERN.test(username))
      throw new AccountError(`invalid user name "${username}": 1-64 letters, digits, ".", "_" or "-"`);
    if (options.password !== undefined && options.password.length < 12)
      throw new AccountError('password too short: at least 12 characters');
    if (role === 'agent' && !options.agentId) throw new AccountError('an agent account needs an agent id');
    const password = options.password ?? generatePassword();
    const account: MqttAccount = {
      username,
      role,
      ...(role === 'agent' ? { agentId: options.agentId } : {}),
      hash: await hashPassword(password),
      createdAt: new Date().toISOString(),
    };
    const accounts = this.list().filter((a) => a.username !== username);
    mkdirSync(join(this.dataDir, 'mqtt'), { recursive: true, mode: 0o700 });
    writeAtomic(this.file, JSON.stringify({ version: 1, accounts: [...accounts, account] }, null, 2));
    return password;
  }

  remove(username: string): boolean {
    const accounts = this.list();
    const rest = accounts.filter((a) => a.username !== username);
    if (rest.length === accounts.length) return false;
    writeAtomic(this.file, JSON.stringify({ version: 1, accounts: rest }, null, 2));
    return true;
  }

  /**
   * Makes sure each service account exists and has a stored secret; creates what is missing
   * with a fresh random password. Safe to call at every start.
   */
  async ensureServiceAccounts(agentIds: string[]): Promise<void> {
    const wanted: { role: 'job-service' | 'gateway' | 'agent'; agentId?: string }[] = [
      { role: 'job-service' },
      { role: 'gateway' },
      ...agentIds.map((agentId) => ({ role: 'agent' as const, agentId })),
    ];
    for (const { role, agentId } of wanted) {
      const username = serviceUsername(role, agentId);
      if (this.find(username) && this.readSecret(username)) continue;
      const password = await this.add(username, role, { agentId });
      this.writeSecret(username, password);
    }
  }

  readSecret(username: string): string | null {
    try {
      return readFileSync(join(this.secretsDir, `mqtt-${username}.secret`), 'utf8').trim() || null;
    } catch {
      return null;
    }
  }

  private writeSecret(username: string, password: string): void {
    mkdirSync(this.secretsDir, { recursive: true, mode: 0o700 });
    chmodSync(this.secretsDir, 0o700);
    writeAtomic(join(this.secretsDir, `mqtt-${username}.secret`), `${password}\n`);
  }
}
