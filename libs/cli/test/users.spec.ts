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
});
