import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTempDir } from '@printfleet/testing';
import sqlite3 from 'sqlite3';

/** The stored row of an API key, read straight from the gateway's database file. */
function storedKey(dataDir: string, id: string): Promise<{ label: string; printer_id: string | null } | undefined> {
  const db = new sqlite3.Database(join(dataDir, 'db', 'gateway.sqlite'), sqlite3.OPEN_READONLY);
  return new Promise((resolve, reject) =>
    db.get<{ label: string; printer_id: string | null }>('SELECT label, printer_id FROM api_keys WHERE id = ?', [id], (err, row) =>
      db.close(() => (err ? reject(err) : resolve(row))),
    ),
  );
}
/** How many rows of a table belong to a user, read straight from the gateway's database file. */
function rowsOf(dataDir: string, table: 'users' | 'api_keys', userName: string): Promise<number> {
  const db = new sqlite3.Database(join(dataDir, 'db', 'gateway.sqlite'), sqlite3.OPEN_READONLY);
  const sql =
    table === 'users'
      ? 'SELECT COUNT(*) AS n FROM users WHERE name = ?'
      : 'SELECT COUNT(*) AS n FROM api_keys WHERE user_id IN (SELECT id FROM users WHERE name = ?) OR user_id NOT IN (SELECT id FROM users)';
  return new Promise((resolve, reject) =>
    db.get<{ n: number }>(sql, [userName], (err, row) => db.close(() => (err ? reject(err) : resolve(row?.n ?? 0)))),
  );
}
/** The stored password hash of a user. */
function storedHash(dataDir: string, userName: string): Promise<string | undefined> {
  const db = new sqlite3.Database(join(dataDir, 'db', 'gateway.sqlite'), sqlite3.OPEN_READONLY);
  return new Promise((resolve, reject) =>
    db.get<{ password_hash: string }>('SELECT password_hash FROM users WHERE name = ?', [userName], (err, row) =>
      db.close(() => (err ? reject(err) : resolve(row?.password_hash))),
    ),
  );
}
const keyId = (stdout: string) => /^API key ([0-9a-f]+) for /.exec(stdout)?.[1] ?? '';

const BIN = join(__dirname, '..', 'bin', 'printfleet.js');

describe('printfleet user / apikey', () => {
  const dir = createTempDir('printfleet-users-');
  afterAll(() => dir.remove());
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, PRINTFLEET_DATA_DIR: dir.path }, encoding: 'utf8' });

  it('adds a user with a generated password shown once, then an API key for it', () => {
    const added = run('user', 'add', 'alice', '--role', 'operator');
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/user alice \(operator\) added/);
    expect(added.stdout).toMatch(/password: \S{12,}/);
    const key = run('apikey', 'create', '--user', 'alice');
    expect(key.status).toBe(0);
    expect(key.stdout).toMatch(/for alice:\n\S{20,}\n/);
  });

  it('refuses an unknown role, a duplicate user and a key for nobody, saying why', () => {
    const role = run('user', 'add', 'bob', '--role', 'superuser');
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/--role must be one of: admin, operator, maker, viewer/);
    run('user', 'add', 'carol', '--role', 'viewer', '--password', 'a-long-password-1');
    const again = run('user', 'add', 'carol', '--role', 'viewer', '--password', 'a-long-password-1');
    expect(again.status).toBe(2);
    expect(again.stderr).not.toBe('');
    const nobody = run('apikey', 'create', '--user', 'nobody');
    expect(nobody.status).toBe(2);
  });

  it('creates a key scoped to one printer with --printer, and a fleet-wide one without', async () => {
    run('user', 'add', 'dora', '--role', 'maker', '--password', 'a-long-password-2');
    const scoped = run('apikey', 'create', '--user', 'dora', '--label', 'PrusaSlicer', '--printer', 'mk3-a');
    expect(scoped.stderr).toBe('');
    expect(scoped.status).toBe(0);
    expect(scoped.stdout).toMatch(/^API key [0-9a-f]+ for dora \(printer mk3-a only\):\n\S{20,}\n/);
    expect(await storedKey(dir.path, keyId(scoped.stdout))).toEqual({ label: 'PrusaSlicer', printer_id: 'mk3-a' });

    const fleet = run('apikey', 'create', '--user', 'dora');
    expect(fleet.stdout).toMatch(/^API key [0-9a-f]+ for dora:\n/);
    expect(await storedKey(dir.path, keyId(fleet.stdout))).toEqual({ label: 'cli', printer_id: null });
  });

  it('refuses a printer id that could not exist, and a --printer without a value', () => {
    const bad = run('apikey', 'create', '--user', 'dora', '--printer', 'mk3 a/#');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/printer: /);
    const empty = run('apikey', 'create', '--user', 'dora', '--printer', '');
    expect(empty.status).toBe(2);
    const missing = run('apikey', 'create', '--user', 'dora', '--printer');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--printer/);
  });

  it('sets a password given or generated (printed once), and refuses a short one or an unknown user', async () => {
    run('user', 'add', 'erin', '--role', 'viewer', '--password', 'a-long-password-3');
    const before = await storedHash(dir.path, 'erin');
    const given = run('user', 'passwd', 'erin', '--password', 'another-long-password');
    expect(given.stderr).toBe('');
    expect(given.status).toBe(0);
    expect(given.stdout).toMatch(/password of erin changed/);
    expect(given.stdout).not.toMatch(/password: /);
    const afterGiven = await storedHash(dir.path, 'erin');
    expect(afterGiven).not.toBe(before);

    const generated = run('user', 'passwd', 'erin');
    expect(generated.status).toBe(0);
    expect(generated.stdout).toMatch(/password: \S{12,}\n\(shown once/);
    expect(await storedHash(dir.path, 'erin')).not.toBe(afterGiven);

    const short = run('user', 'passwd', 'erin', '--password', 'short');
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const nobody = run('user', 'passwd', 'nobody', '--password', 'a-long-password-4');
    expect(nobody.status).toBe(2);
    expect(nobody.stderr).toMatch(/user nobody not found/);
    const noName = run('user', 'passwd');
    expect(noName.status).toBe(2);
    expect(noName.stderr).toMatch(/usage: printfleet user/);
  });

  it('removes a user with their API keys, and refuses to remove the last admin', async () => {
    const home = createTempDir('printfleet-users-rm-');
    const runIn = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, PRINTFLEET_DATA_DIR: home.path }, encoding: 'utf8' });
    try {
      runIn('user', 'add', 'root', '--role', 'admin', '--password', 'a-long-password-5');
      runIn('user', 'add', 'frank', '--role', 'maker', '--password', 'a-long-password-6');
      expect(runIn('apikey', 'create', '--user', 'frank').status).toBe(0);
      expect(await rowsOf(home.path, 'api_keys', 'frank')).toBe(1);

      const removed = runIn('user', 'rm', 'frank');
      expect(removed.stderr).toBe('');
      expect(removed.status).toBe(0);
      expect(removed.stdout).toMatch(/user frank removed/);
      expect(await rowsOf(home.path, 'users', 'frank')).toBe(0);
      expect(await rowsOf(home.path, 'api_keys', 'frank')).toBe(0);

      const last = runIn('user', 'rm', 'root');
      expect(last.status).toBe(2);
      expect(last.stderr).toMatch(/cannot remove root: this is the last admin: make another user admin first/);
      expect(last.stderr).not.toMatch(/\n\s+at /);
      expect(await rowsOf(home.path, 'users', 'root')).toBe(1);

      runIn('user', 'add', 'grace', '--role', 'admin', '--password', 'a-long-password-7');
      expect(runIn('user', 'rm', 'root').status).toBe(0);
      expect(await rowsOf(home.path, 'users', 'root')).toBe(0);

      const unknown = runIn('user', 'rm', 'nobody');
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/user nobody not found/);
    } finally {
      home.remove();
    }
  });

  it('lists passwd and rm in the help and the user usage', () => {
    const help = run('help');
    expect(help.stdout).toMatch(/user passwd NAME/);
    expect(help.stdout).toMatch(/user rm NAME/);
    const bare = run('user');
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/printfleet user passwd NAME/);
  });
});
