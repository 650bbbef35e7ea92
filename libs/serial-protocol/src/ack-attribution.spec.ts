import { attributeOk, type AckContext } from './ack-attribution';
import { newEntry, type Entry } from './line-entry';

function sent(number: number, code: string, kind: 'job' | 'probe' | 'line-reset' = 'job'): Entry {
  const origin = kind === 'job' ? { kind, jobId: 'j', fileLine: number } : { kind };
  return { ...newEntry(code, origin), number };
}

const PLAIN: AckContext = { numberedAcksSeen: false, plainOkAcksLines: true };
const NUMBERED: AckContext = { numberedAcksSeen: true, plainOkAcksLines: true };
const upTo = (r: ReturnType<typeof attributeOk>) => ('upTo' in r ? r.upTo.number : null);

describe('attributeOk', () => {
  const inFlight = [sent(4, 'G1 X1'), sent(5, 'G1 X2'), sent(6, 'M105', 'probe'), sent(7, 'G1 X3')];

  it('a bare ok acknowledges the oldest line (ping-pong firmware)', () =>
    expect(upTo(attributeOk(inFlight, { hasTemperatures: false }, PLAIN))).toBe(4));
  it('a numbered ok acknowledges cumulatively up to its line', () =>
    expect(upTo(attributeOk(inFlight, { lineNumber: 5, hasTemperatures: false }, NUMBERED))).toBe(5));
  it('a numbered ok older than everything in flight is stale', () =>
    expect(attributeOk(inFlight, { lineNumber: 3, hasTemperatures: false }, NUMBERED)).toEqual({
      ignored: 'stale ok N3 ignored',
    }));
  it('`ok T:` acknowledges up to the M105 it answers', () =>
    expect(upTo(attributeOk(inFlight, { hasTemperatures: true }, PLAIN))).toBe(6));
  it('`ok T:` with no M105 in flight confirms nothing', () =>
    expect('ignored' in attributeOk([sent(4, 'G1 X1')], { hasTemperatures: true }, PLAIN)).toBe(true));
  it('once acks are numbered, a bare ok confirms nothing', () =>
    expect('ignored' in attributeOk(inFlight, { hasTemperatures: false }, NUMBERED)).toBe(true));
  it('Repetier: a bare ok never confirms a line, but does confirm the M110 barrier', () => {
    const repetier: AckContext = { numberedAcksSeen: false, plainOkAcksLines: false };
    expect('ignored' in attributeOk(inFlight, { hasTemperatures: false }, repetier)).toBe(true);
    expect(upTo(attributeOk([sent(0, 'M110 N0', 'line-reset')], { hasTemperatures: false }, repetier))).toBe(
      0,
    );
  });
  it('a bare ok is not the answer of an M105', () =>
    expect('ignored' in attributeOk([sent(6, 'M105', 'probe')], { hasTemperatures: false }, PLAIN)).toBe(
      true,
    ));
  it('nothing in flight: nothing to confirm', () =>
    expect('ignored' in attributeOk([], { hasTemperatures: false }, PLAIN)).toBe(true));
});
