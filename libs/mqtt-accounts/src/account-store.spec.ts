import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from './account-store';

const tempDir = () => mkdtempSync(join(tmpdir(), 'pf-accounts-'));

describe('AccountStore', () => {
  it('generates service accounts once, with secrets only the owner can read', async () => {
    const dir = tempDir();
    const store = new AccountStore(dir);
    await store.ensureServiceAccounts(['pi-1']);
    const secret = store.readSecret('agent-pi-1');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(join(dir, 'secrets', 'mqtt-agent-pi-1.secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'mqtt', 'accounts.json')).mode & 0o777).toBe(0o600);
    expect(store.find('agent-pi-1')).toMatchObject({ role: 'agent', agentId: 'pi-1' });

    await new AccountStore(dir).ensureServiceAccounts(['pi-1']);
    expect(new AccountStore(dir).readSecret('agent-pi-1')).toBe(secret);
  });

  it('stores no plain password in the accounts file', async () => {
    const dir = tempDir();
    const password = await new AccountStore(dir).add('ha', 'observer', { password: 'correct horse battery' });
    expect(password).toBe('correct horse battery');
    expect(readFileSync(join(dir, 'mqtt', 'accounts.json'), 'utf8')).not.toContain('correct horse');
  });

  it('authenticates the right password only', async () => {
    const store = new AccountStore(tempDir());
    const password = await store.add('tool', 'controller');
    expect(await store.authenticate('tool', password)).toMatchObject({ username: 'tool', role: 'controller' });
    expect(await store.authenticate('tool', `${password}x`)).toBeNull();
    expect(await store.authenticate('nobody', password)).toBeNull();
  });

  it('sees accounts added by another process without a restart', async () => {
    const dir = tempDir();
    const running = new AccountStore(dir);
    expect(running.find('late')).toBeUndefined();
    await new AccountStore(dir).add('late', 'observer');
    expect(running.find('late')).toMatchObject({ role: 'observer' });
  });

  it('refuses bad names, short passwords and agents without an id', async () => {
    const store = new AccountStore(tempDir());
    await expect(store.add('a/b', 'observer')).rejects.toThrow(/invalid user name/);
    await expect(store.add('ok', 'observer', { password: 'short' })).rejects.toThrow(/at least 12/);
    await expect(store.add('agent-x', 'agent')).rejects.toThrow(/agent id/);
  });
});
