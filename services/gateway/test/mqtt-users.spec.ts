import { join } from 'node:path';
import { MqttProbe } from '@printfleet/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, logInThroughPage } from './support/browser';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');

/**
 * MQTT accounts through the gateway, against a real broker whose data dir is the gateway's (as in
 * production): an account made here connects to that broker; a removed one no longer does.
 */
describe('MQTT accounts (API and admin page)', () => {
  let h: Harness;
  let admin: ApiClient;
  let operator: ApiClient;

  /** Connects with these credentials and disconnects; rejects when the broker refuses. */
  const connect = async (username: string, password: string) => {
    const probe = await MqttProbe.connect(h.broker.url, { username, password });
    await probe.close();
  };

  beforeAll(async () => {
    h = await startGateway({}, { shareBrokerDataDir: true });
    await h.addUser('olga', 'operator');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    operator = await ApiClient.login(h.base, 'olga', 'olga-password-123');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lists the service accounts, marked as such, without any hash', async () => {
    const r = await admin.get('/api/mqtt-users');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'gateway', role: 'gateway', service: true }),
        expect.objectContaining({ name: 'agent-pi-1', role: 'agent', agentId: 'pi-1', service: true }),
      ]),
    );
    expect(JSON.stringify(r.body)).not.toMatch(/hash|salt|key/);
  });

  it('creates an observer with a generated password, shown once, that connects to the broker', async () => {
    const r = await admin.post('/api/mqtt-users', { name: 'homeassistant', role: 'observer' });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ name: 'homeassistant', role: 'observer', service: false });
    const password = r.body.generatedPassword as string;
    expect(password.length).toBeGreaterThanOrEqual(24);
    await connect('homeassistant', password);
    await expect(connect('homeassistant', `${password}x`)).rejects.toThrow();
    expect((await admin.get('/api/mqtt-users')).body.find((u: { name: string }) => u.name === 'homeassistant')).not.toHaveProperty(
      'generatedPassword',
    );
  });

  it('creates a controller with a given password, then removes it so it can no longer connect', async () => {
    const r = await admin.post('/api/mqtt-users', { name: 'node-red', role: 'controller', password: 'node-red-password-1' });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ user: expect.objectContaining({ name: 'node-red', role: 'controller' }) });
    await connect('node-red', 'node-red-password-1');
    expect((await admin.request('DELETE', '/api/mqtt-users/node-red')).status).toBe(204);
    await expect(connect('node-red', 'node-red-password-1')).rejects.toThrow();
    expect((await admin.request('DELETE', '/api/mqtt-users/node-red')).body).toMatchObject({ error: { code: 'NOT_FOUND', message: 'MQTT account node-red not found' } });
  });

  it('refuses bad input with a message a person can act on', async () => {
    const refused = async (body: unknown, status: number, message: RegExp) => {
      const r = await admin.post('/api/mqtt-users', body);
      expect(r.status).toBe(status);
      expect(r.body.error.message).toMatch(message);
    };
    await refused({ name: 'x', role: 'agent' }, 400, /role must be one of: observer, controller/);
    await refused({ name: 'x', role: 'admin' }, 400, /role must be one of: observer, controller/);
    await refused({ role: 'observer' }, 400, /name/);
    await refused({ name: 'a/b', role: 'observer' }, 400, /MQTT user name is 1-64 characters/);
    await refused({ name: 'tool', role: 'observer', password: 'short' }, 400, /at least 12 characters/);
    await refused({ name: 'gateway', role: 'controller' }, 400, /reserved for a service account/);
    await refused({ name: 'agent-pi-9', role: 'observer' }, 400, /reserved for a service account/);
    await refused({ name: 'homeassistant', role: 'controller' }, 409, /already exists/);
  });

  it('never removes a service account', async () => {
    for (const name of ['gateway', 'agent-pi-1']) {
      const r = await admin.request('DELETE', `/api/mqtt-users/${name}`);
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/service account/);
    }
    await connect(...Object.values(await h.broker.account('agent', 'agent-pi-2', 'pi-2')) as [string, string]);
  });

  it('answers 403 to operators and 401 without a session', async () => {
    expect((await operator.get('/api/mqtt-users')).status).toBe(403);
    expect((await operator.post('/api/mqtt-users', { name: 'sneaky', role: 'controller' })).status).toBe(403);
    expect((await operator.request('DELETE', '/api/mqtt-users/homeassistant')).status).toBe(403);
    expect((await new ApiClient(h.base).get('/api/mqtt-users')).status).toBe(401);
    expect(h.broker.accounts.find('sneaky')).toBeUndefined();
    expect(h.broker.accounts.find('homeassistant')).toBeDefined();
  });

  describe('in Chromium', () => {
    let chrome: { context: BrowserContext; close(): Promise<void> };
    let page: Page;

    beforeAll(async () => {
      chrome = await launchChromium();
      page = await chrome.context.newPage();
      await logInThroughPage(page, h.base, 'admin', ADMIN_PASSWORD);
    });

    afterAll(async () => {
      await chrome?.close();
    });

    it('lets an admin add an account (password shown once, it connects) and remove it; service accounts stay', async () => {
      await page.getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('link', { name: 'MQTT accounts' }).click();
      await page.locator('[data-mqtt-user="gateway"]').waitFor();
      await untilText(page, '[data-mqtt-user="gateway"]', /gateway.*\(service\)/, 'service account marked');
      expect(await page.getByRole('button', { name: 'Remove MQTT account gateway' }).count()).toBe(0);

      await page.getByLabel('Account name').fill('octo-dash');
      await page.getByLabel('MQTT role').selectOption('controller');
      await page.getByRole('button', { name: 'Add account' }).click();
      await untilText(page, '#mqtt-status', 'octo-dash was added as controller.', 'added');
      const generated = (await page.getByTestId('secret').textContent())!;
      await untilText(page, '[data-mqtt-user="octo-dash"]', /octo-dash.*controller/, 'new row');
      await connect('octo-dash', generated);
      await page.screenshot({ path: join(SHOTS, 'admin-mqtt.png'), fullPage: true });

      await page.getByLabel('Account name').fill('gateway');
      await page.getByRole('button', { name: 'Add account' }).click();
      await untilText(page, '#mqtt-status', 'gateway is reserved for a service account', 'refused');

      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: 'Remove MQTT account octo-dash' }).click();
      await untilText(page, '#mqtt-status', 'octo-dash was removed.', 'removed');
      await page.locator('[data-mqtt-user="octo-dash"]').waitFor({ state: 'detached' });
      await expect(connect('octo-dash', generated)).rejects.toThrow();
    });
  });
});
