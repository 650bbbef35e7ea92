import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTempDir } from '@printfleet/testing';

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
});
