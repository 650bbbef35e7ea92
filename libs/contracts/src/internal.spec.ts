import { decodePayload, encodePayload } from './codec';
import { jobChangeSchema } from './schemas/internal';
import { INTERNAL_ROOT, jobChangedTopic, parseTopic } from './topics';

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
