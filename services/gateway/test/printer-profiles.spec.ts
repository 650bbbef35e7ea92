import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, logInThroughPage } from './support/browser';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { untilText } from './support/page-text';

const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');

/**
 * Printer names and profiles through the gateway, against the REAL job-service (which owns the
 * printer registry) and a real broker, with a fake agent announcing the printers.
 */
describe('printer names and profiles (API and admin page)', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let operator: ApiClient;

  const profiles = async (c: ApiClient = admin) => (await c.get('/api/printer-profiles')).body.items as { id: string }[];
  const record = async (id: string) => (await profiles()).find((p) => p.id === id);

  beforeAll(async () => {
    h = await startGateway({}, { jobService: {} });
    agent = new FakeAgent(h.agent);
    await h.addUser('olga', 'operator');
    await h.addUser('mia', 'maker');
    await h.addUser('vic', 'viewer');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    operator = await ApiClient.login(h.base, 'olga', 'olga-password-123');
    await agent.online();
    await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
    await agent.state('mini-b', 'ready', { displayName: 'Mini B' });
    // The job-service records states from MQTT without announcing it: ask until both are there.
    const end = Date.now() + 10_000;
    while ((await profiles()).length < 2) {
      if (Date.now() > end) throw new Error('the job-service did not record both printers within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it('lists the printers the job-service knows, with their profile', async () => {
    const r = await operator.get('/api/printer-profiles');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({ id: 'mini-b', displayName: 'Mini B', state: 'ready', profile: { bed: null, nozzleDiameter: null, filamentType: null, tags: [] } }),
      expect.objectContaining({ id: 'mk3-a', displayName: 'Prusa MK3 A', location: null }),
    ]);
  });

  it('lets an operator set name, location, tags, bed, nozzle and filament, and clear them again', async () => {
    const r = await operator.request('PUT', '/api/printers/mk3-a/profile', {
      displayName: 'MK3 <left>',
      location: 'Room 2',
      tags: ['enclosed', 'pei'],
      bed: { x: 250, y: 210, z: 210 },
      nozzleDiameter: 0.4,
      filamentType: 'PETG',
    });
    expect(r.status).toBe(200);
    const expected = {
      id: 'mk3-a',
      displayName: 'MK3 <left>',
      location: 'Room 2',
      profile: { tags: ['enclosed', 'pei'], bed: { x: 250, y: 210, z: 210 }, nozzleDiameter: 0.4, filamentType: 'PETG' },
    };
    expect(r.body).toMatchObject(expected);
    expect(await record('mk3-a')).toMatchObject(expected);

    const cleared = await admin.request('PUT', '/api/printers/mk3-a/profile', { location: null, bed: null, tags: [] });
    expect(cleared.body).toMatchObject({ displayName: 'MK3 <left>', location: null, profile: { bed: null, tags: [], nozzleDiameter: 0.4 } });
  });

  it('refuses bad bodies with a message a person can act on, before the job-service sees them', async () => {
    const refused = async (body: unknown, message: RegExp, path = '/api/printers/mk3-a/profile') => {
      const r = await admin.request('PUT', path, body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(message);
    };
    await refused({ nozzleDiameter: -1 }, /nozzleDiameter: a nozzle diameter is a positive number of mm/);
    await refused({ bed: { x: 250, y: 210 } }, /bed\.z/);
    await refused({ bed: { x: 9000, y: 1, z: 1 } }, /bed\.x: a bed size is at most 5000 mm/);
    await refused({ displayName: '  ' }, /displayName: a display name cannot be empty \(send null to clear it\)/);
    await refused({ colour: 'red' }, /colour/);
    await refused({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /at most 20 tags/);
    await refused({ location: 'x' }, /a printer id is 1-64 characters/, '/api/printers/..%2Fx/profile');
    expect(await record('mk3-a')).toMatchObject({ displayName: 'MK3 <left>', profile: { nozzleDiameter: 0.4 } });
  });

  it('answers 403 to makers and viewers, 401 without a session', async () => {
    for (const name of ['mia', 'vic']) {
      const c = await ApiClient.login(h.base, name, `${name}-password-123`);
      expect((await c.get('/api/printer-profiles')).status).toBe(403);
      expect((await c.request('PUT', '/api/printers/mk3-a/profile', { location: 'mine' })).status).toBe(403);
    }
    expect((await new ApiClient(h.base).get('/api/printer-profiles')).status).toBe(401);
    expect(await record('mk3-a')).toMatchObject({ location: null });
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

    it('shows a form per printer and saves what the admin types into the job-service', async () => {
      await page.getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('link', { name: 'Printers' }).click();
      const form = page.getByRole('form', { name: 'Profile of mini-b' });
      await form.waitFor();
      expect(await page.getByRole('form', { name: 'Profile of mk3-a' }).getByLabel('Display name').inputValue()).toBe('MK3 <left>');
      expect(await page.getByRole('form', { name: 'Profile of mk3-a' }).getByLabel('Nozzle (mm)').inputValue()).toBe('0.4');

      await form.getByLabel('Display name').fill('Prusa Mini <B>');
      await form.getByLabel('Location').fill('Lab bench 3');
      await form.getByLabel('Tags (comma-separated)').fill('small, textured ,');
      await form.getByLabel('Bed X (mm)').fill('180');
      await form.getByLabel('Bed Y (mm)').fill('180');
      await form.getByRole('button', { name: 'Save mini-b' }).click();
      await untilText(page, '#profiles-status', 'mini-b: give all three bed sizes (X, Y and Z), or none.', 'incomplete bed');

      await form.getByLabel('Height Z (mm)').fill('180');
      await form.getByLabel('Nozzle (mm)').fill('0.6');
      await form.getByLabel('Filament').fill('PLA');
      await form.getByRole('button', { name: 'Save mini-b' }).click();
      await untilText(page, '#profiles-status', 'Prusa Mini <B> was saved.', 'saved');
      expect(await record('mini-b')).toMatchObject({
        displayName: 'Prusa Mini <B>',
        location: 'Lab bench 3',
        profile: { tags: ['small', 'textured'], bed: { x: 180, y: 180, z: 180 }, nozzleDiameter: 0.6, filamentType: 'PLA' },
      });
      await page.screenshot({ path: join(SHOTS, 'admin-printers.png'), fullPage: true });

      // An emptied field clears the value.
      await form.getByLabel('Location').fill('');
      await form.getByRole('button', { name: 'Save mini-b' }).click();
      await untilText(page, '#profiles-status', 'Prusa Mini <B> was saved.', 'saved again');
      await expect(record('mini-b')).resolves.toMatchObject({ location: null, profile: { filamentType: 'PLA' } });
    });
  });
});
