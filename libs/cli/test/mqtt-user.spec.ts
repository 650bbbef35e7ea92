import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { createTempDir } from '@printfleet/testing';

const BIN = join(__dirname, '..', 'bin', 'printfleet.js');

describe('printfleet mqtt-user', () => {
  const dir = createTempDir('printfleet-cli-');
  afterAll(() => dir.remove());
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'mqtt-user', ...args], {
      env: { PATH: process.env.PATH, PRINTFLEET_DATA_DIR: dir.path },
      encoding: 'utf8',
    });

  it('creates an observer with a generated password, printed once, that the broker accepts', async () => {
    const out = run('add', 'homeassistant', '--role', 'observer');
    expect(out.status).toBe(0);
    const password = out.stdout.match(/password: (\S+)/)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await new AccountStore(dir.path).authenticate('homeassistant', password!)).toMatchObject({ role: 'observer' });
  });

  it('takes a chosen password and does not echo it', async () => {
    const out = run('add', 'script', '--role', 'controller', '--password', 'a-long-chosen-secret');
    expect(out.status).toBe(0);
    expect(out.stdout).not.toContain('a-long-chosen-secret');
    expect(await new AccountStore(dir.path).authenticate('script', 'a-long-chosen-secret')).toMatchObject({ role: 'controller' });
  });

  it('creates an agent account for another host', () => {
    expect(run('add', 'agent-pi-2', '--role', 'agent', '--agent-id', 'pi-2').status).toBe(0);
    expect(new AccountStore(dir.path).find('agent-pi-2')).toMatchObject({ role: 'agent', agentId: 'pi-2' });
  });

  it('lists and removes accounts', () => {
    expect(run('list').stdout).toMatch(/homeassistant\tobserver/);
    expect(run('remove', 'homeassistant').status).toBe(0);
    expect(run('list').stdout).not.toMatch(/homeassistant/);
  });

  it('explains a wrong role, a short password or a missing name, with exit code 2', () => {
    const badRole = run('add', 'x', '--role', 'admin');
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of: observer, controller, agent/);
    const short = run('add', 'x', '--role', 'observer', '--password', 'short');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    expect(run('add').status).toBe(2);
  });
});
