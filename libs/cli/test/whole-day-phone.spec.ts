import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { printerConsoleTopic, TOPIC_PATTERNS, type ConsoleLine } from '@printfleet/contracts';
import { ADMIN_PASSWORD, DemoSystem, launchChromium, logIn, RESULTS, scrollsSideways, until, type Browser } from './support/demo-system';
import { SLOW_SQUARES } from './support/slow-squares';

const PRINTER = 'demo-prusa';
const NAME = 'Prusa by the window';
const MAKER = { name: 'mia', password: 'mia-maker-password' };
const OPERATOR = { name: 'otto', password: 'otto-operator-password' };
const FILE_NAME = 'phone-squares.gcode';
/** The admin's pause script: lift 12.5 mm and park at X5 Y5, where the default lifts 10 and parks at X0 Y0. */
const PAUSE_SCRIPT = ['M83', 'G1 E-1.5 F1800', 'G91', 'G1 Z12.5 F900', 'G90', 'G1 X5 Y5 F6000'];

/** The slow squares with a real slicer's thumbnails in front, so the card has a picture to show. */
function squaresWithThumbnails(): string {
  const source = readFileSync(resolve(__dirname, '../../../../shared/gcode/prusaslicer-2.7.4-screw-arcs-png.gcode'), 'utf8');
  const start = source.indexOf('; thumbnail begin');
  const end = source.lastIndexOf('; thumbnail end') + '; thumbnail end'.length;
  if (start < 0 || end < start) throw new Error('the sample file has no thumbnail block');
  return `${source.slice(start, end)}\n${SLOW_SQUARES}`;
}

/** A G-code line as the agent sent it, without line number and checksum. */
const command = (wire: string) => wire.replace(/^N\d+\s+/, '').replace(/\*\d+$/, '').trim();

/**
 * A lab's day on phones, against `printfleet demo` (every service real, the printers simulated on
 * PTYs): the admin names a printer and gives it a pause script on the desktop; a maker uploads and
 * prints from a 360 px phone; an operator pauses (the admin's script runs on the printer), resumes
 * and confirms the bed is clear from a phone; the maker finds the print in the history.
 */
describe('printfleet demo: a day of the lab on phones', () => {
  const demo = new DemoSystem();
  const gcodePath = join(demo.dir.path, FILE_NAME);
  const card = (sel = '') => `[data-printer="${PRINTER}"]${sel ? ` ${sel}` : ''}`;
  let desk: Browser;
  let makerPhone: Browser;
  let operatorPhone: Browser;

  beforeAll(async () => {
    writeFileSync(gcodePath, squaresWithThumbnails());
    demo.cli('user', 'add', MAKER.name, '--role', 'maker', '--password', MAKER.password);
    demo.cli('user', 'add', OPERATOR.name, '--role', 'operator', '--password', OPERATOR.password);
    await demo.start('whole-day-phone-demo.log', [TOPIC_PATTERNS.printerStream('state'), printerConsoleTopic(PRINTER)], PRINTER);
    [desk, makerPhone, operatorPhone] = [await launchChromium(), await launchChromium('phone'), await launchChromium('phone')];
  }, 120_000);

  afterAll(async () => {
    await desk?.close();
    await makerPhone?.close();
    await operatorPhone?.close();
    await demo.stop();
  }, 60_000);

  /** The card's thumbnail has loaded a real picture. */
  const thumbnailShown = (p: Page) =>
    p.waitForFunction((sel) => {
      const img = (globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number } | null } }).document.querySelector(sel);
      return img !== null && img.naturalWidth > 0;
    }, card('img'));

  it('the admin names the printer and sets its pause script; the maker prints from a phone; the operator pauses, resumes and clears the bed from a phone', async () => {
    // The admin, at the desk: a name and a pause script for the Prusa.
    const admin = await desk.context.newPage();
    await logIn(admin, demo.base, 'admin', ADMIN_PASSWORD);
    await admin.goto(`${demo.base}/#/admin/printers`);
    const profile = admin.getByRole('form', { name: `Profile of ${PRINTER}` });
    await profile.getByLabel('Display name').fill(NAME);
    await profile.getByLabel('Pause script (G-code)').fill(['; park out of the way', ...PAUSE_SCRIPT].join('\n'));
    await profile.getByRole('button', { name: `Save ${PRINTER}` }).click();
    await until(admin, '#profiles-status', `${NAME} was saved.`, 'profile saved');
    // The agent takes the name into the printer's published state: every screen shows it from there.
    await demo.observer.waitFor(`printfleet/v1/printers/${PRINTER}/state`, (m) => m.payload.length > 0 && m.json<{ displayName?: string }>().displayName === NAME, 30_000);

    // The maker, on a phone: the new name on the card, upload, print.
    const maker = await makerPhone.context.newPage();
    await logIn(maker, demo.base, MAKER.name, MAKER.password);
    await until(maker, card('.card-name'), NAME, 'maker: the card has the admin’s name');
    expect(await maker.locator(card('button')).count()).toBe(0);
    expect(await scrollsSideways(maker)).toBe(false);
    await maker.goto(`${demo.base}/#/files`);
    await maker.setInputFiles('#file-input', gcodePath);
    await until(maker, '#file-title', FILE_NAME, 'maker: file page after upload');
    await until(maker, '[data-testid=analysis-state]', 'Ready to print', 'maker: analysis done', 30_000);
    await maker.getByLabel(new RegExp(NAME)).check();
    await maker.getByRole('button', { name: 'Print' }).tap();
    await until(maker, '#print-status', `Sent to ${NAME}`, 'maker: sent');
    await maker.goto(`${demo.base}/#/`);
    await until(maker, card(), new RegExp(`Printing.*${FILE_NAME.replace('.', '\\.')}`, 's'), 'maker: printing card', 30_000);
    await thumbnailShown(maker);
    expect(await scrollsSideways(maker)).toBe(false);
    await maker.screenshot({ path: join(RESULTS, 'phone-dashboard-printing.png'), fullPage: true });

    // The operator, on a phone: pause from the card.
    const operator = await operatorPhone.context.newPage();
    await logIn(operator, demo.base, OPERATOR.name, OPERATOR.password);
    await until(operator, card('[data-testid=state]'), 'Printing', 'operator: printing');
    const printing = demo.observer.received(`printfleet/v1/printers/${PRINTER}/state`).at(-1)!.json<{ seq: number }>();
    await operator.locator(card('button'), { hasText: 'Pause' }).tap();
    await demo.state(PRINTER, 'paused', printing.seq);
    await until(operator, card('[data-testid=state]'), 'Paused', 'operator: paused');
    await until(maker, card('[data-testid=state]'), 'Paused', 'maker: paused');

    // On the printer: the position was read (M114), then exactly the admin's script ran. The
    // console is QoS 0 and sampled, so wait for the script's last line before reading the order.
    const lastLine = PAUSE_SCRIPT.at(-1)!;
    await demo.observer.waitFor(printerConsoleTopic(PRINTER), (m) => command(m.json<ConsoleLine>().line) === lastLine, 30_000);
    const sent = demo.observer
      .received(printerConsoleTopic(PRINTER))
      .map((m) => m.json<ConsoleLine>())
      .filter((l) => l.direction === 'tx')
      .map((l) => command(l.line))
      .filter((c) => c !== 'M105');
    const m114 = sent.lastIndexOf('M114');
    expect(m114).toBeGreaterThanOrEqual(0);
    expect(sent.slice(m114 + 1, m114 + 1 + PAUSE_SCRIPT.length)).toEqual(PAUSE_SCRIPT);

    // Resume from the card; it runs to the end; the bed is cleared after a confirmation.
    await operator.locator(card('button'), { hasText: 'Resume' }).tap();
    await until(operator, card('[data-testid=state]'), 'Printing', 'operator: resumed', 30_000);
    await until(operator, card('[data-testid=state]'), 'Finished', 'operator: finished', 90_000);
    await until(maker, card('[data-testid=state]'), 'Finished', 'maker: finished');
    await operator.locator(card('button'), { hasText: 'Bed cleared' }).tap();
    await operator.getByRole('dialog').waitFor();
    await operator.getByRole('button', { name: 'Bed is clear' }).tap();
    await until(operator, card('[data-testid=state]'), 'Ready', 'operator: ready', 30_000);
    await until(maker, card('[data-testid=state]'), 'Ready', 'maker: ready');

    // The maker's history, on the phone.
    await maker.goto(`${demo.base}/#/history`);
    await until(maker, '#history-table', new RegExp(`${FILE_NAME.replace('.', '\\.')}.*Finished`, 's'), 'maker: history row', 30_000);
    expect(await scrollsSideways(maker)).toBe(false);
    await maker.screenshot({ path: join(RESULTS, 'phone-history.png'), fullPage: true });
  }, 240_000);
});
