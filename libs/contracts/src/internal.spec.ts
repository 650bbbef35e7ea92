import { decodePayload, encodePayload } from './codec';
import { jobChangeSchema, printerSettingsSchema } from './schemas/internal';
import { topicMatches } from './topic-filter';
import { INTERNAL_ROOT, jobChangedTopic, parseTopic, printerSettingsTopic, TOPIC_PATTERNS } from './topics';

const ts = '2026-11-27T10:00:00.000Z';

describe('internal job changes', () => {
  it('live under the internal root, never the public one', () => {
    expect(jobChangedTopic()).toBe('printfleet/internal/v1/jobs/changed');
    expect(jobChangedTopic().startsWith(`${INTERNAL_ROOT}/`)).toBe(true);
    expect(parseTopic(jobChangedTopic())).toEqual({ kind: 'internal', path: ['jobs', 'changed'] });
  });

  it('round-trip a change through the codec, with or without a printer and a file', () => {
    const queued = {
      jobId: '6f1c2b1e-1111-4222-8333-944455556666',
      state: 'queued',
      fileId: 'f1',
      fileName: 'benchy.gcode',
      ts,
    } as const;
    expect(decodePayload(jobChangeSchema, encodePayload(jobChangeSchema, queued))).toEqual({
      ok: true,
      value: queued,
    });
    const ended = {
      ...queued,
      state: 'failed',
      printerId: 'mk3',
      fileId: null,
      progress: 42,
      reason: 'thermal runaway',
    } as const;
    expect(decodePayload(jobChangeSchema, encodePayload(jobChangeSchema, ended))).toEqual({
      ok: true,
      value: ended,
    });
  });

  it.each([
    ['an unknown state', { state: 'done' }],
    ['a missing fileId', { fileId: undefined }],
    ['a printer id with a slash', { printerId: 'a/b' }],
    ['a progress above 100', { progress: 101 }],
    ['a local-time timestamp', { ts: '27/11/2026' }],
  ])('refuse %s', (_what, patch) => {
    const change = {
      jobId: 'j1',
      state: 'printing',
      printerId: 'p1',
      fileId: 'f1',
      fileName: 'a.gcode',
      ts,
      ...patch,
    };
    expect(decodePayload(jobChangeSchema, JSON.stringify(change)).ok).toBe(false);
  });
});

describe('printer settings', () => {
  const settings = {
    printerId: 'mk3.lab-1',
    displayName: 'Prusa by the window',
    pauseScript: ['M83', 'G1 E-3 F2400', 'G91', 'G1 Z15', 'G90'],
    cancelScript: null,
    updatedAt: ts,
  };

  it('live on a per-printer internal topic that parses back to its printer', () => {
    expect(printerSettingsTopic('mk3.lab-1')).toBe('printfleet/internal/v1/printers/mk3.lab-1/settings');
    expect(parseTopic(printerSettingsTopic('mk3.lab-1'))).toEqual({ kind: 'printer-settings', printerId: 'mk3.lab-1' });
    expect(topicMatches(TOPIC_PATTERNS.printerSettings, printerSettingsTopic('p1'))).toBe(true);
    expect(parseTopic('printfleet/internal/v1/printers/a/settings/x')).toEqual({
      kind: 'internal',
      path: ['printers', 'a', 'settings', 'x'],
    });
    expect(() => printerSettingsTopic('a/b')).toThrow();
  });

  it('round-trip through the codec, with every field set or cleared', () => {
    expect(decodePayload(printerSettingsSchema, encodePayload(printerSettingsSchema, settings))).toEqual({
      ok: true,
      value: settings,
    });
    const cleared = { ...settings, displayName: null, pauseScript: null };
    expect(decodePayload(printerSettingsSchema, JSON.stringify(cleared))).toEqual({ ok: true, value: cleared });
  });

  it.each([
    ['a script line with a line break', { pauseScript: ['G91\nG1 Z-200'] }],
    ['a blank script line', { cancelScript: ['M104 S0', '  '] }],
    ['an empty script', { pauseScript: [] }],
    ['a script of 51 lines', { pauseScript: Array.from({ length: 51 }, () => 'G4 P0') }],
    ['an empty name', { displayName: '' }],
    ['a missing cancelScript', { cancelScript: undefined }],
  ])('refuse %s', (_what, patch) => {
    const result = decodePayload(printerSettingsSchema, JSON.stringify({ ...settings, ...patch }));
    expect(result.ok).toBe(false);
  });
});
