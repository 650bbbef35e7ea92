import { printerSettingsTopic, printerStateTopic, type PrinterSettings } from '@printfleet/contracts';
import { PrinterSettingsListener } from '../src/agent/settings-listener';
import { DEFAULT_CANCEL_SCRIPT, DEFAULT_PAUSE_SCRIPT } from '../src/session/pause-scripts';
import { effectiveDisplayName, effectiveScripts } from '../src/session/settings-precedence';
import { LogCapture } from './log-capture';

const ADMIN = ['G91', 'G1 Z5 F600', 'G90'];
const HOST = ['M83', 'G1 E-1 F1800'];

function settings(printerId: string, s: Partial<PrinterSettings> = {}): PrinterSettings {
  return { printerId, displayName: null, pauseScript: null, cancelScript: null, updatedAt: '2025-05-01T10:00:00.000Z', ...s };
}

describe('settings precedence: admin settings > PRINTFLEET_* > default', () => {
  it('takes each script from the first source that gives one', () => {
    expect(effectiveScripts(null, {})).toEqual({ pauseScript: DEFAULT_PAUSE_SCRIPT, cancelScript: DEFAULT_CANCEL_SCRIPT });
    expect(effectiveScripts(null, { pauseScript: HOST })).toEqual({ pauseScript: HOST, cancelScript: DEFAULT_CANCEL_SCRIPT });
    expect(effectiveScripts(settings('p', { pauseScript: ADMIN }), { pauseScript: HOST, cancelScript: HOST })).toEqual({
      pauseScript: ADMIN,
      cancelScript: HOST,
    });
    expect(effectiveScripts(settings('p', { cancelScript: ADMIN }), {})).toEqual({ pauseScript: DEFAULT_PAUSE_SCRIPT, cancelScript: ADMIN });
    // null in the settings is "not set here", not "no script".
    expect(effectiveScripts(settings('p'), { cancelScript: HOST })).toEqual({ pauseScript: DEFAULT_PAUSE_SCRIPT, cancelScript: HOST });
  });

  it('keeps a configured empty script (an empty profile section) as "no script"', () => {
    expect(effectiveScripts(settings('p'), { pauseScript: [] }).pauseScript).toEqual([]);
    expect(effectiveScripts(settings('p', { pauseScript: ADMIN }), { pauseScript: [] }).pauseScript).toEqual(ADMIN);
  });

  it("names the printer by the admin's name, else by none (readers show the id)", () => {
    expect(effectiveDisplayName(settings('p', { displayName: 'Prusa by the window' }))).toBe('Prusa by the window');
    expect(effectiveDisplayName(settings('p'))).toBeUndefined();
    expect(effectiveDisplayName(null)).toBeUndefined();
  });
});

describe('settings listener', () => {
  function listener() {
    const logs = new LogCapture();
    const changes: [string, PrinterSettings | null][] = [];
    const l = new PrinterSettingsListener(logs.logger, (id, s) => changes.push([id, s]));
    const send = (printerId: string, payload: string | object) =>
      l.handle(printerSettingsTopic(printerId), Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)));
    const refusals = () => logs.records.filter((r) => r.msg === 'printer settings refused; the last good ones stay');
    return { l, logs, changes, send, refusals };
  }

  it('keeps the newest settings of every printer and reports real changes only', () => {
    const { l, changes, send } = listener();
    const first = settings('mk3', { displayName: 'Left', pauseScript: ADMIN });
    send('mk3', first);
    send('mk3', { ...first, updatedAt: '2025-05-01T11:00:00.000Z' }); // republished after a reconnect
    expect(changes).toEqual([['mk3', first]]);
    const renamed = settings('mk3', { displayName: 'Right' });
    send('mk3', renamed);
    send('ender', settings('ender', { cancelScript: ADMIN }));
    expect(l.of('mk3')).toEqual(renamed);
    expect(l.of('ender')?.cancelScript).toEqual(ADMIN);
    expect(l.of('delta')).toBeNull();
    expect(changes.map(([id]) => id)).toEqual(['mk3', 'mk3', 'ender']);
  });

  it('treats an empty payload as cleared', () => {
    const { l, changes, send } = listener();
    send('mk3', settings('mk3', { displayName: 'Left' }));
    send('mk3', '');
    expect(l.of('mk3')).toBeNull();
    expect(changes.at(-1)).toEqual(['mk3', null]);
    send('delta', ''); // nothing was set: nothing changes
    expect(changes).toHaveLength(2);
  });

  it('refuses bad payloads with the reason and keeps the last good settings', () => {
    const { l, changes, send, refusals } = listener();
    const good = settings('mk3', { displayName: 'Left', pauseScript: ADMIN });
    send('mk3', good);
    send('mk3', '{"printerId":');
    send('mk3', { ...good, pauseScript: [] });
    send('mk3', { ...good, displayName: 'Stolen', printerId: 'ender' });
    send('mk3', { displayName: 'Left' });
    expect(refusals().map((r) => [r.printerId, r.reason])).toEqual([
      ['mk3', expect.stringMatching(/not JSON/)],
      ['mk3', expect.stringMatching(/pauseScript/)],
      ['mk3', 'the settings are for printer ender, not mk3'],
      ['mk3', expect.stringMatching(/updatedAt/)],
    ]);
    expect(l.of('mk3')).toEqual(good);
    expect(changes).toEqual([['mk3', good]]);
  });

  it('ignores topics that are not printer settings', () => {
    const { l, changes } = listener();
    l.handle(printerStateTopic('mk3'), Buffer.from(JSON.stringify(settings('mk3', { displayName: 'x' }))));
    expect(changes).toEqual([]);
    expect(l.of('mk3')).toBeNull();
  });
});
