import { decodePayload, encodePayload, MAX_PAYLOAD_BYTES, salvageCommandId } from './codec';
import { COMMAND_SCHEMAS, commandReplySchema } from './schemas/commands';
import { printerEventSchema } from './schemas/events';
import { printerStateSchema } from './schemas/state';
import { printerTelemetrySchema } from './schemas/telemetry';

const ts = '2026-11-27T10:00:00.000Z';
const sha = 'a'.repeat(64);
const start = {
  commandId: 'c-1',
  jobId: 'job-1',
  file: { id: 'f1', name: 'benchy.gcode', sha256: sha, size: 1234, url: 'http://localhost:8080/internal/files/f1' },
};

describe('payload schemas', () => {
  it('accepts a valid state with its job and round-trips it through the codec', () => {
    const state = { printerId: 'mk3', agentId: 'pi', state: 'printing', seq: 7, ts, job: { id: 'job-1', progress: 42.5 } };
    const wire = encodePayload(printerStateSchema, state as never);
    expect(decodePayload(printerStateSchema, Buffer.from(wire))).toEqual({ ok: true, value: state });
  });

  it.each([
    ['an unknown state name', { state: 'Printing' }],
    ['a negative sequence number', { seq: -1 }],
    ['a fractional sequence number', { seq: 1.5 }],
    ['a progress above 100', { job: { id: 'j', progress: 101 } }],
    ['a printer id with a slash', { printerId: 'a/b' }],
    ['a local-time timestamp', { ts: '27/11/2026 10:00' }],
  ])('rejects a state with %s', (_label, patch) => {
    const state = { printerId: 'mk3', agentId: 'pi', state: 'ready', seq: 1, ts, ...patch };
    expect(printerStateSchema.safeParse(state).success).toBe(false);
  });

  it('names the missing field and the wrong type in its error', () => {
    const result = decodePayload(COMMAND_SCHEMAS.start, JSON.stringify({ ...start, jobId: undefined, file: { ...start.file, size: 'big' } }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/jobId: .*expected string/);
    expect(!result.ok && result.error).toMatch(/file\.size: .*expected number/);
  });

  it('accepts the fixed cmd/start shape and refuses a bad hash, URL scheme or oversized name', () => {
    expect(COMMAND_SCHEMAS.start.safeParse(start).success).toBe(true);
    expect(COMMAND_SCHEMAS.start.safeParse({ ...start, file: { ...start.file, sha256: 'XYZ' } }).success).toBe(false);
    expect(COMMAND_SCHEMAS.start.safeParse({ ...start, file: { ...start.file, url: 'file:///etc/passwd' } }).success).toBe(false);
    expect(COMMAND_SCHEMAS.start.safeParse({ ...start, file: { ...start.file, name: 'x'.repeat(201) } }).success).toBe(false);
  });

  it('requires a commandId on every command', () => {
    for (const schema of Object.values(COMMAND_SCHEMAS)) {
      expect(schema.safeParse({ lines: ['G28'] }).success).toBe(false);
    }
  });

  it('refuses G-code commands that smuggle several lines in one entry or too many lines', () => {
    expect(COMMAND_SCHEMAS.gcode.safeParse({ commandId: 'g', lines: ['G28\nM112'] }).success).toBe(false);
    expect(COMMAND_SCHEMAS.gcode.safeParse({ commandId: 'g', lines: Array(101).fill('M105') }).success).toBe(false);
    expect(COMMAND_SCHEMAS.gcode.safeParse({ commandId: 'g', lines: ['G28', 'M105'] }).success).toBe(true);
  });

  it('validates telemetry heaters and events by type', () => {
    expect(printerTelemetrySchema.safeParse({ printerId: 'p', ts, heaters: { tool0: { actual: 210, target: 215 } } }).success).toBe(true);
    expect(printerTelemetrySchema.safeParse({ printerId: 'p', ts, heaters: { 'tool0/x': { actual: 1, target: 1 } } }).success).toBe(false);
    const heaters = { tool0: { actual: 210, target: 215 } };
    expect(printerTelemetrySchema.safeParse({ printerId: 'p', ts, heaters, link: { linesPerS: 38.5, resends: 3 } }).success).toBe(true);
    expect(printerTelemetrySchema.safeParse({ printerId: 'p', ts, heaters, link: { linesPerS: 0, resends: 0, timeouts: 1 } }).success).toBe(true);
    expect(printerTelemetrySchema.safeParse({ printerId: 'p', ts, heaters, link: { linesPerS: -1, resends: 0 } }).success).toBe(false);
    expect(printerTelemetrySchema.safeParse({ printerId: 'p', ts, heaters, link: { linesPerS: 1, resends: 1.5 } }).success).toBe(false);
    expect(printerTelemetrySchema.safeParse({ printerId: 'p', ts, heaters, link: { linesPerS: 1 } }).success).toBe(false);
    expect(printerEventSchema.safeParse({ type: 'job.failed', printerId: 'p', ts, jobId: 'j' }).success).toBe(false);
    expect(printerEventSchema.safeParse({ type: 'job.failed', printerId: 'p', ts, jobId: 'j', reason: 'thermal runaway' }).success).toBe(true);
    expect(printerEventSchema.safeParse({ type: 'job.exploded', printerId: 'p', ts, jobId: 'j' }).success).toBe(false);
  });

  it('keeps the NestJS envelope keys out of public payloads', () => {
    for (const schema of [printerStateSchema, commandReplySchema, ...Object.values(COMMAND_SCHEMAS)]) {
      expect(Object.keys(schema.shape)).not.toEqual(expect.arrayContaining(['data']));
      expect(Object.keys(schema.shape)).not.toEqual(expect.arrayContaining(['pattern']));
    }
  });

  it('refuses payloads that are not JSON or too large, with a reason', () => {
    expect(decodePayload(commandReplySchema, 'not json')).toEqual({ ok: false, error: expect.stringMatching(/not JSON/) });
    const huge = Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20);
    expect(decodePayload(commandReplySchema, huge)).toEqual({ ok: false, error: expect.stringMatching(/exceeds/) });
  });

  it('salvages the commandId of an invalid command so the refusal can be matched', () => {
    expect(salvageCommandId('{"commandId":"abc","lines":5}')).toBe('abc');
    expect(salvageCommandId('{"commandId":"a/b"}')).toBeNull();
    expect(salvageCommandId('garbage')).toBeNull();
  });
});
