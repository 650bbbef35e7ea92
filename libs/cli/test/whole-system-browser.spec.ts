import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { printerCommandReplyTopic, printerCommandTopic, printerStateTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import {
  ADMIN_PASSWORD,
  apiLogin,
  DemoSystem,
  launchChromium,
  logIn as logInAt,
  MosquittoSub,
  mosquittoPub,
  RESULTS,
  stateOf,
  until,
  type Browser,
} from './support/demo-system';
import { SLOW_SQUARES } from './support/slow-squares';

const VIEWER = { name: 'vera', password: 'vera-viewer-password' };
const CONTROLLER = { name: 'ha-controller', password: 'ha-controller-password' };
const PRINTER = 'demo-marlin';
const FILE_NAME = 'slow-squares.gcode';
/** Discovery entities the gateway publishes per printer (sensors, binary sensors, buttons). */
const ENTITIES = 13;

describe('printfleet demo: the whole system in Chromium and with mosquitto clients', () => {
  const demo = new DemoSystem();
  let admin: Browser;
  let viewer: Browser;
  let base: string;
  const subs: MosquittoSub[] = [];
  const gcodePath = join(demo.dir.path, FILE_NAME);
  const observer = () => demo.observer;
  const state = (name: string, after = 0, timeout = 60_000) => demo.state(PRINTER, name, after, timeout);
  const mqttLogin = () => ['-h', '127.0.0.1', '-p', String(demo.mqttPort), '-u', CONTROLLER.name, '-P', CONTROLLER.password];
  const logIn = (p: Page, name: string, password: string) => logInAt(p, base, name, password);

  beforeAll(async () => {
    writeFileSync(gcodePath, SLOW_SQUARES);
    demo.cli('user', 'add', VIEWER.name, '--role', 'viewer', '--password', VIEWER.password);
    demo.cli('mqtt-user', 'add', CONTROLLER.name, '--role', 'controller', '--password', CONTROLLER.password);
    await demo.start('whole-system-demo.log', [TOPIC_PATTERNS.printerStream('state'), TOPIC_PATTERNS.homeassistant], PRINTER);
    base = demo.base;
    [admin, viewer] = [await launchChromium(), await launchChromium()];
  }, 120_000);

  afterAll(async () => {
    for (const s of subs) s.kill();
    await admin?.close();
    await viewer?.close();
    await demo.stop();
  }, 60_000);

  it('an admin uploads, prints, pauses, resumes, clears the bed and sees the history; a viewer watches the same, without control', async () => {
    const page = await admin.context.newPage();
    const watch = await viewer.context.newPage();
    const card = (sel = '') => `[data-printer="${PRINTER}"]${sel ? ` ${sel}` : ''}`;
    const badge = '.detail [data-testid=state]';
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await logIn(watch, VIEWER.name, VIEWER.password);
    await until(page, card('[data-testid=state]'), 'Ready', 'admin: card ready');
    await until(watch, card('[data-testid=state]'), 'Ready', 'viewer: card ready');
    const displayName = (await page.locator(card('.card-name')).textContent())!;

    // Upload and see the estimate.
    await page.getByRole('link', { name: 'Files' }).click();
    await page.setInputFiles('#file-input', gcodePath);
    await until(page, '#file-title', FILE_NAME, 'file page after upload');
    await until(page, '[data-testid=analysis-state]', 'Ready to print', 'analysis done');
    await until(page, '#file-facts', /Print timeabout \d+/, 'estimate');

    // Start it on demo-marlin.
    const choice = page.getByLabel(new RegExp(displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await choice.check();
    await page.getByRole('button', { name: 'Print' }).click();
    await until(page, '#print-status', `Sent to ${displayName}`, 'sent');

    // Printing, live, on both dashboards.
    await page.goto(`${base}/#/`);
    await until(page, card(), new RegExp(`Printing.*${FILE_NAME.replace('.', '\\.')}`, 's'), 'admin: printing card', 30_000);
    await until(watch, card(), new RegExp(`Printing.*${FILE_NAME.replace('.', '\\.')}`, 's'), 'viewer: printing card', 30_000);
    await page.screenshot({ path: join(RESULTS, 'dashboard-printing.png'), fullPage: true });

    // Pause from the printer page; the viewer sees it paused, with no buttons, and the API refuses it.
    await page.locator(card()).click();
    await until(page, badge, 'Printing', 'detail page');
    await page.getByRole('button', { name: 'Pause' }).click();
    await until(page, badge, 'Paused', 'paused', 60_000);
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.screenshot({ path: join(RESULTS, 'printer-paused.png'), fullPage: true });

    await watch.locator(card()).click();
    await until(watch, badge, 'Paused', 'viewer: paused');
    await watch.getByText('you can watch, not control').waitFor();
    for (const name of ['Pause', 'Resume', 'Cancel print', 'Bed cleared', 'Emergency stop'])
      expect(await watch.getByRole('button', { name }).count()).toBe(0);
    const asViewer = await apiLogin(base, VIEWER.name, VIEWER.password);
    for (const verb of ['resume', 'cancel']) {
      const refused = await fetch(`${base}/api/printers/${PRINTER}/commands/${verb}`, {
        method: 'POST',
        headers: { ...asViewer, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status).toBe(403);
    }

    // Resume, and it runs to the end.
    await page.getByRole('button', { name: 'Resume' }).click();
    await until(page, badge, 'Printing', 'resumed', 30_000);
    await until(watch, badge, 'Printing', 'viewer: resumed', 30_000);
    await until(page, badge, 'Finished', 'finished', 90_000);
    await until(watch, badge, 'Finished', 'viewer: finished');

    // The bed is cleared after a deliberate second tap; the printer is ready again.
    await page.getByRole('button', { name: 'Bed cleared' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Bed is clear' }).click();
    await until(page, badge, 'Ready', 'ready after clear', 30_000);
    await until(watch, badge, 'Ready', 'viewer: ready after clear');

    // The history row, for admin and viewer alike.
    const jobs = (await (await fetch(`${base}/api/jobs?printerId=${PRINTER}`, { headers: asViewer })).json()) as { items: { id: string }[] };
    expect(jobs.items).toHaveLength(1);
    const row = `[data-job="${jobs.items[0]!.id}"]`;
    for (const p of [page, watch]) {
      await p.getByRole('link', { name: 'History' }).click();
      await until(p, row, new RegExp(`${FILE_NAME.replace('.', '\\.')}.*Finished`, 's'), 'history row', 30_000);
    }
    await page.screenshot({ path: join(RESULTS, 'history.png'), fullPage: true });
  }, 240_000);

  it('keeps Home Assistant discovery retained, and obeys a pause from mosquitto_pub and refuses a bad payload', async () => {
    // Discovery configs, read by a fresh mosquitto_sub as retained messages.
    await observer().waitFor(`homeassistant/button/printfleet_${PRINTER}/cancel/config`, () => true, 30_000);
    const discovery = new MosquittoSub([...mqttLogin(), '-t', `homeassistant/+/printfleet_${PRINTER}/+/config`, '--retained-only', '-C', String(ENTITIES), '-W', '10']);
    subs.push(discovery);
    const configs = await discovery.done;
    expect(configs).toHaveLength(ENTITIES);
    for (const m of configs) {
      expect(m.retain).toBe(true);
      const config = JSON.parse(m.payload) as Record<string, unknown>;
      expect(config).toMatchObject({ unique_id: expect.stringMatching(/^printfleet_demo-marlin_/), device: { identifiers: ['printfleet_demo-marlin'] } });
      if (m.topic.startsWith('homeassistant/button/')) expect(config.command_topic).toMatch(/^printfleet\/v1\/printers\/demo-marlin\/cmd\/(pause|resume|cancel)$/);
    }

    // A print to pause, started over the API.
    const headers = await apiLogin(base, 'admin', ADMIN_PASSWORD);
    const files = (await (await fetch(`${base}/api/files`, { headers })).json()) as { items: { id: string; name: string }[] };
    const file = files.items.find((f) => f.name === FILE_NAME)!;
    const ready = observer().received(printerStateTopic(PRINTER)).map(stateOf).at(-1)!;
    expect(ready.state).toBe('ready');
    const started = await fetch(`${base}/api/jobs`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ fileId: file.id, printerId: PRINTER }),
    });
    expect(started.status).toBe(201);
    const printing = await state('printing', ready.seq);

    // Replies are not retained: subscribe before publishing. The printer's retained state comes
    // first on the same subscription, which proves it is in place.
    const replyTopic = printerCommandReplyTopic(PRINTER, 'pause');
    const replies = new MosquittoSub([...mqttLogin(), '-t', printerStateTopic(PRINTER), '-t', replyTopic, '-W', '60']);
    subs.push(replies);
    await replies.next((m) => m.topic === printerStateTopic(PRINTER), 'the retained state');

    const commandId = `ha-pause-${Date.now()}`;
    await mosquittoPub([...mqttLogin(), '-q', '1', '-t', printerCommandTopic(PRINTER, 'pause'), '-m', JSON.stringify({ commandId, requestedBy: 'homeassistant' })]);
    const accepted = await replies.next((m) => m.topic === replyTopic && m.payload.includes(commandId), 'the pause reply');
    expect(JSON.parse(accepted.payload)).toEqual({ commandId, accepted: true });
    const paused = await state('paused', printing.seq);
    expect(paused.job?.fileName).toBe(FILE_NAME);
    // What a newcomer reads: the retained state is paused.
    const retained = new MosquittoSub([...mqttLogin(), '-t', printerStateTopic(PRINTER), '--retained-only', '-C', '1', '-W', '10']);
    subs.push(retained);
    const [last] = await retained.done;
    expect(last!.retain).toBe(true);
    expect(JSON.parse(last!.payload)).toMatchObject({ printerId: PRINTER, state: 'paused' });

    await mosquittoPub([...mqttLogin(), '-q', '1', '-t', printerCommandTopic(PRINTER, 'pause'), '-m', '{"requestedBy":"homeassistant"}']);
    const rejected = await replies.next((m) => m.topic === replyTopic && m.payload.includes('"accepted":false'), 'the rejection');
    expect(JSON.parse(rejected.payload)).toEqual({ commandId: null, accepted: false, reason: expect.stringMatching(/commandId/) });
    replies.kill();
  }, 180_000);
});
