import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { printerSettingsTopic, type PrinterSettings } from '@printfleet/contracts';
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
  const PAUSE = ['M83', 'G1 E-3 F2400', 'G91', 'G1 Z15 F600', 'G90', 'G1 X10 Y200 F6000'];
  const CANCEL = ['M104 S0', 'M140 S0', 'M107', 'G91', 'G1 Z5', 'G90', 'M84'];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
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

  describe('pause and cancel scripts', () => {
    /** The settings the job-service published for mk3-a's agent, once they carry these scripts. */
    const settingsWith = async (pause: string[] | null, cancel: string[] | null) => {
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
      const m = await h.agent.waitFor(printerSettingsTopic('mk3-a'), (msg) => {
        const s = msg.json<PrinterSettings>();
        return same(s.pauseScript, pause) && same(s.cancelScript, cancel);
      });
      return m.json<PrinterSettings>();
    };

    beforeAll(async () => {
      // The job-service retains each printer's settings for its agent; the fake agent listens.
      await h.agent.subscribe(printerSettingsTopic('mk3-a'));
    });

    it('lets an admin set them: the registry lists them and the agent is sent them', async () => {
      const r = await admin.request('PUT', '/api/printers/mk3-a/profile', { pauseScript: PAUSE, cancelScript: CANCEL });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: 'mk3-a', displayName: 'MK3 <left>', pauseScript: PAUSE, cancelScript: CANCEL });
      expect(await record('mk3-a')).toMatchObject({ pauseScript: PAUSE, cancelScript: CANCEL, profile: { nozzleDiameter: 0.4 } });
      const sent = await settingsWith(PAUSE, CANCEL);
      expect(sent).toMatchObject({ printerId: 'mk3-a', displayName: 'MK3 <left>' });

      // Absent keeps a script; null goes back to the agent's default.
      const cleared = await admin.request('PUT', '/api/printers/mk3-a/profile', { cancelScript: null });
      expect(cleared.status).toBe(200);
      expect(await record('mk3-a')).toMatchObject({ pauseScript: PAUSE, cancelScript: null });
      await settingsWith(PAUSE, null);
    });

    it('refuses an operator scripts with 403 (raw G-code is for admins) but takes a name from them', async () => {
      for (const body of [{ pauseScript: ['G28'] }, { cancelScript: null }, { displayName: 'Operator name', pauseScript: ['M84'] }]) {
        const r = await operator.request('PUT', '/api/printers/mk3-a/profile', body);
        expect(r.status).toBe(403);
        expect(r.body.error.message).toMatch(/only admins may set (pauseScript|cancelScript).*raw G-code.*you are operator/);
      }
      // Nothing of a refused body was applied.
      expect(await record('mk3-a')).toMatchObject({ displayName: 'MK3 <left>', pauseScript: PAUSE, cancelScript: null });

      const named = await operator.request('PUT', '/api/printers/mk3-a/profile', { displayName: 'MK3 (left)' });
      expect(named.status).toBe(200);
      expect(named.body).toMatchObject({ displayName: 'MK3 (left)', pauseScript: PAUSE });
      expect((await operator.request('PUT', '/api/printers/mk3-a/profile', { displayName: 'MK3 <left>' })).status).toBe(200);
    });

    it('refuses bad scripts with 400 and a message naming the line and the rule', async () => {
      const refused = async (body: unknown, message: RegExp) => {
        const r = await admin.request('PUT', '/api/printers/mk3-a/profile', body);
        expect(r.status).toBe(400);
        expect(r.body.error.message).toMatch(message);
      };
      await refused({ pauseScript: ['G91', 'G1 Z10\nG28'] }, /^pauseScript\.1: one G-code line per entry, without line breaks$/);
      await refused({ cancelScript: ['M104 S0\rM84'] }, /^cancelScript\.0: one G-code line per entry, without line breaks$/);
      await refused({ pauseScript: Array.from({ length: 51 }, () => 'G4 P0') }, /^pauseScript: a script has at most 50 lines$/);
      await refused({ pauseScript: ['G91', '   '] }, /^pauseScript\.1: a script line cannot be blank$/);
      await refused({ pauseScript: [] }, /^pauseScript: a script has at least one line \(send null for the default\)$/);
      await refused({ cancelScript: 'M84' }, /^cancelScript: a script is a list of G-code lines, one per entry \(send null for the default\)$/);
      await refused({ cancelScript: [`M117 ${'x'.repeat(260)}`] }, /^cancelScript\.0: a script line has at most 256 characters$/);
      await refused({ pauseScript: ['G28', 7] }, /^pauseScript\.1: a script line is text$/);
      // 50 lines is the most, and fine.
      const fifty = Array.from({ length: 50 }, (_, i) => `G4 P${i}`);
      expect((await admin.request('PUT', '/api/printers/mk3-a/profile', { cancelScript: fifty })).status).toBe(200);
      expect(await record('mk3-a')).toMatchObject({ pauseScript: PAUSE, cancelScript: fifty });
      expect((await admin.request('PUT', '/api/printers/mk3-a/profile', { cancelScript: null })).status).toBe(200);
    });
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

    it('edits the pause script from the keyboard, shows it after a reload, explains refusals and the default', async () => {
      const form = page.getByRole('form', { name: 'Profile of mk3-a' });
      const pause = form.getByLabel('Pause script (G-code)');
      const cancel = form.getByLabel('Cancel script (G-code)');
      const DEFAULT_NOTE = 'Default: the agent’s configured pause script, or its built-in one: retract 2 mm, lift 10 mm, park at X0 Y0.';
      // The current values, as the API set them above.
      expect(await pause.inputValue()).toBe(PAUSE.join('\n'));
      expect(await cancel.inputValue()).toBe('');
      await expect(form.getByText('Default: the agent’s configured cancel script', { exact: false }).isVisible()).resolves.toBe(true);

      // Keyboard only: Tab from the filament field into the pause box, type, Tab to Save, Enter.
      await form.getByLabel('Filament').focus();
      await page.keyboard.press('Tab');
      expect(await pause.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('; lift and park <here>\nG91\n\nG1 Z20 F600 ; up\nG90\nG1 X0 Y210 F6000\n');
      await page.keyboard.press('Tab'); // the cancel box
      await page.keyboard.press('Tab'); // Save
      await page.keyboard.press('Enter');
      await untilText(page, '#profiles-status', 'MK3 <left> was saved.', 'scripts saved');
      const typed = ['G91', 'G1 Z20 F600', 'G90', 'G1 X0 Y210 F6000'];
      expect(await record('mk3-a')).toMatchObject({ pauseScript: typed, cancelScript: null });
      await untilText(page, '#pp-mk3-a-pause-note', 'Runs instead of the default: 4 lines.', 'custom note');

      await page.reload();
      await form.waitFor();
      expect(await pause.inputValue()).toBe(typed.join('\n'));
      await page.screenshot({ path: join(SHOTS, 'admin-printer-scripts.png'), fullPage: true });

      // The API's refusal, pointing at the line in the box (comments count as lines there).
      await pause.fill('G91\n; a comment\nM117 ' + 'x'.repeat(300));
      await form.getByRole('button', { name: 'Save mk3-a' }).click();
      await untilText(page, '#profiles-status', 'mk3-a: Pause script line 3: a script line has at most 256 characters', 'long line');
      expect(await pause.getAttribute('aria-invalid')).toBe('true');
      await pause.fill(Array.from({ length: 51 }, (_, i) => `G4 P${i}`).join('\n'));
      await form.getByRole('button', { name: 'Save mk3-a' }).click();
      await untilText(page, '#profiles-status', 'mk3-a: Pause script: a script has at most 50 lines', 'too many lines');
      expect(await record('mk3-a')).toMatchObject({ pauseScript: typed });

      // Emptied: the agent's default again.
      await pause.fill('');
      await form.getByRole('button', { name: 'Save mk3-a' }).click();
      await untilText(page, '#profiles-status', 'MK3 <left> was saved.', 'cleared');
      await untilText(page, '#pp-mk3-a-pause-note', DEFAULT_NOTE, 'default note');
      expect(await pause.getAttribute('aria-invalid')).toBeNull();
      expect(await record('mk3-a')).toMatchObject({ pauseScript: null, cancelScript: null });
      await page.reload();
      await form.waitFor();
      expect(await pause.inputValue()).toBe('');
      await untilText(page, '#pp-mk3-a-pause-note', DEFAULT_NOTE, 'default note after a reload');
    });
  });
});
