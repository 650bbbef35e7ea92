import { ProtocolEngine } from '../src/engine';
import type { EngineAction, EngineOptions } from '../src/engine-types';
import { frameLine, hasDangerousTail } from '../src/framing';

const writes = (actions: EngineAction[]) => actions.flatMap((a) => (a.type === 'write' ? [a.data] : []));
const ofType = <T extends EngineAction['type']>(actions: EngineAction[], type: T) =>
  actions.filter((a): a is Extract<EngineAction, { type: T }> => a.type === type);
const line = (n: number, code: string) => `${frameLine(n, code)}\n`;

/** An engine whose numbering is established (`N0 M110 N0` acknowledged). */
function ready(options: EngineOptions = {}): ProtocolEngine {
  const engine = new ProtocolEngine({ profile: 'marlin', autoProfile: false, ...options });
  expect(writes(engine.sendImmediate('M115', 'hello'))).toEqual(['N0 M110 N0*125\n']);
  expect(writes(engine.onLine('ok', 0))).toEqual([line(1, 'M115')]);
  const ack = options.profile === 'repetier' ? 'ok 1' : 'ok'; // Repetier numbers its acks
  expect(ofType(engine.onLine(ack, 0), 'command-done')).toEqual([{ type: 'command-done', id: 'hello' }]);
  return engine;
}

describe('line numbering and framing', () => {
  it('opens with the M110 barrier and sends nothing else until it is acknowledged', () => {
    const engine = new ProtocolEngine({ profile: 'marlin', autoProfile: false });
    const first = engine.enqueueJob(['G28', 'G1 X1']);
    expect(writes(first)).toEqual(['N0 M110 N0*125\n']);
    expect(writes(engine.onLine('echo:busy: processing'))).toEqual([]);
    expect(writes(engine.onLine('ok'))).toEqual([line(1, 'G28')]);
  });

  it('strips comments and blank lines, drops file M110, and keeps file line numbers', () => {
    const engine = ready();
    const out = engine.enqueueJob(['; header', '', 'M110 N5', 'G28 ; home', 'G1 X1'], { jobId: 'j' });
    expect(writes(out)).toEqual([line(2, 'G28')]);
    const ack = engine.onLine('ok');
    expect(ofType(ack, 'job-progress')).toEqual([
      { type: 'job-progress', jobId: 'j', confirmedLines: 1, lastConfirmedFileLine: 4 },
    ]);
    expect(writes(ack)).toEqual([line(3, 'G1 X1')]);
  });

  it('keeps one line in flight on Marlin (ping-pong)', () => {
    const engine = ready();
    expect(writes(engine.enqueueJob(['G1 X1', 'G1 X2', 'G1 X3']))).toHaveLength(1);
    expect(writes(engine.onLine('echo:busy: processing'))).toEqual([]);
    expect(writes(engine.onLine('ok'))).toEqual([line(3, 'G1 X2')]);
  });

  it('finishes a job only after a probe proves the last line ran', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1'], { jobId: 'j' });
    const afterLine = engine.onLine('ok');
    expect(ofType(afterLine, 'job-finished')).toEqual([]);
    expect(writes(afterLine)).toEqual([line(3, 'M105')]);
    expect(ofType(engine.onLine('ok T:20.0 /0.0 B:20.0 /0.0 @:0 B@:0'), 'job-finished')).toEqual([
      { type: 'job-finished', jobId: 'j', confirmedLines: 1, lastConfirmedFileLine: 1 },
    ]);
  });

  it('refuses a line longer than the firmware keeps, failing the job with the reason', () => {
    const engine = ready();
    const out = engine.enqueueJob([`M117 ${'x'.repeat(100)}`], { jobId: 'j' });
    expect(writes(out)).toEqual([]);
    expect(ofType(out, 'job-failed')[0]?.reason).toMatch(/bytes framed; firmware keeps 95/);
  });
});

describe('acknowledgements', () => {
  it('uses ADVANCED_OK line numbers and ignores stale ones', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2']);
    expect(ofType(engine.onLine('ok N1 P15 B3'), 'acknowledged')).toEqual([]); // stale: line 2 is in flight
    expect(ofType(engine.onLine('ok N2 P15 B3'), 'acknowledged')).toHaveLength(1);
    // From now on a bare ok belongs to no line of ours (garbage Marlin ran unnumbered).
    const bare = engine.onLine('ok');
    expect(ofType(bare, 'acknowledged')).toEqual([]);
    expect(ofType(bare, 'warning')[0]?.message).toMatch(/unnumbered ok ignored/);
  });

  it('absorbs the ok of a garbage line Marlin reports as unknown, but acks its own unknown line', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G999', 'G1 X3']);
    engine.onLine('echo:Unknown command: "7"');
    expect(writes(engine.onLine('ok'))).toEqual([]);
    expect(writes(engine.onLine('ok'))).toEqual([line(3, 'G999')]);
    engine.onLine('echo:Unknown command: "G999"');
    expect(writes(engine.onLine('ok'))).toEqual([line(4, 'G1 X3')]);
  });

  it('reads a bare ok as the ack of the one line in flight (Prusa)', () => {
    const engine = ready({ profile: 'prusa' });
    engine.enqueueJob(['G1 X1', 'G1 X2']);
    expect(ofType(engine.onLine('ok'), 'acknowledged')).toEqual([
      { type: 'acknowledged', lineNumber: 2, origin: { kind: 'job', jobId: 'job', fileLine: 1 } },
    ]);
  });
});

describe('resend', () => {
  it('re-sends exactly once for Error + Resend + ok (Marlin/Prusa)', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2']);
    expect(writes(engine.onLine('Error:checksum mismatch, Last Line: 1'))).toEqual([]);
    const resend = engine.onLine('Resend: 2');
    expect(writes(resend)).toEqual([line(2, 'G1 X1')]);
    expect(ofType(resend, 'resend')).toEqual([{ type: 'resend', lineNumber: 2, attempt: 1 }]);
    expect(writes(engine.onLine('ok'))).toEqual([]); // the resend's own ok
    expect(writes(engine.onLine('ok'))).toEqual([line(3, 'G1 X2')]);
  });

  it("ignores Repetier's 200 ms repeats of a request already answered, until a second has passed", () => {
    const engine = ready({ profile: 'repetier' });
    engine.enqueueJob(['G1 X1']);
    engine.onLine('Error:Wrong checksum', 100);
    engine.onLine('', 100);
    expect(writes(engine.onLine('Resend:2', 100))).toEqual([line(2, 'G1 X1')]);
    expect(writes(engine.onLine('ok', 100))).toEqual([]);
    expect(writes(engine.onLine('Resend:2', 300))).toEqual([]);
    expect(writes(engine.onLine('ok', 300))).toEqual([]);
    // Still asking a second later: the answer was lost, send it again (a duplicate is only skipped).
    expect(writes(engine.onLine('Resend:2', 1200))).toEqual([line(2, 'G1 X1')]);
  });

  it('treats a skip and its ok as acknowledging nothing (Repetier)', () => {
    const engine = ready({ profile: 'repetier' });
    expect(writes(engine.enqueueJob(['G1 X1', 'G1 X2']))).toHaveLength(2);
    engine.onLine('skip 1');
    expect(ofType(engine.onLine('ok'), 'acknowledged')).toEqual([]);
    expect(ofType(engine.onLine('ok 3'), 'acknowledged').map((a) => a.lineNumber)).toEqual([2, 3]);
  });

  it('fails the job after too many attempts on one line, saying which', () => {
    const engine = ready({ maxRetriesPerLine: 2 });
    engine.enqueueJob(['G1 X1'], { jobId: 'j' });
    const all: EngineAction[] = [];
    for (let i = 0; i < 3; i++) {
      all.push(
        ...engine.onLine('Error:checksum mismatch, Last Line: 1'),
        ...engine.onLine('Resend: 2'),
        ...engine.onLine('ok'),
      );
    }
    expect(writes(all)).toHaveLength(2);
    expect(ofType(all, 'job-failed')).toEqual([
      {
        type: 'job-failed',
        jobId: 'j',
        reason: 'line 2 (file line 1) rejected 2 times by the firmware',
        lastConfirmedFileLine: 0,
      },
    ]);
  });

  it('takes back a confirmation when Marlin asks again for a line it was credited with', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2', 'G1 X3'], { jobId: 'j' });
    engine.onLine('ok'); // credited to line 2, though it belonged to something Marlin ran unnumbered
    engine.onLine('Error:Line Number is not Last Line Number+1, Last Line: 1');
    const out = engine.onLine('Resend: 2');
    expect(writes(out)).toEqual([line(2, 'G1 X1')]);
    expect(engine.status().job?.confirmedLines).toBe(0);
    expect(engine.status().job?.lastConfirmedFileLine).toBe(0);
  });

  it('fails the job if the firmware wants a line it no longer holds', () => {
    const engine = ready({ historySize: 1 });
    engine.enqueueJob(['G1 X1', 'G1 X2', 'G1 X3', 'G1 X4'], { jobId: 'j' });
    engine.onLine('ok');
    engine.onLine('ok');
    const out = engine.onLine('Resend: 2');
    expect(ofType(out, 'job-failed')[0]?.reason).toBe(
      'firmware asked to resend line 2, which is no longer held',
    );
  });
});

describe('send-ahead (Repetier)', () => {
  it('keeps one line in flight until acks carry line numbers, then fills up to 127 bytes', () => {
    const engine = new ProtocolEngine({ profile: 'repetier', autoProfile: false });
    const moves = Array.from({ length: 10 }, (_, i) => `G1 X${i}.00 Y${i}.00 E${i}.000`);
    expect(writes(engine.enqueueJob(moves))).toEqual(['N0 M110 N0*125\n']);
    expect(writes(engine.onLine('ok'))).toHaveLength(1);
    const burst = writes(engine.onLine('ok 1'));
    expect(burst.length).toBeGreaterThan(2);
    expect(burst.join('').length).toBeLessThanOrEqual(127);
    expect(writes(engine.onLine('ok 2'))).toHaveLength(1);
  });

  it('holds back a line whose tail Repetier could run alone, until nothing else is in flight', () => {
    const engine = ready({ profile: 'repetier' });
    // Find a line number at which `M104 S200 T0` has a dangerous tail, and queue filler up to it.
    let n = 2;
    while (!hasDangerousTail(frameLine(n, 'M104 S200 T0'))) n++;
    const filler = Array.from({ length: n - 2 }, () => 'G4 P0');
    engine.enqueueJob([...filler, 'M104 S200 T0']);
    let sent = writes([]);
    for (let ack = 1; ack < n - 1; ack++) sent = writes(engine.onLine(`ok ${ack}`));
    expect(sent).not.toContain(line(n, 'M104 S200 T0'));
    expect(writes(engine.onLine(`ok ${n - 1}`))).toEqual([line(n, 'M104 S200 T0')]);
  });

  it('goes back to one line at a time after a resend, until the re-sent line is acknowledged', () => {
    const engine = ready({ profile: 'repetier' });
    engine.enqueueJob(Array.from({ length: 10 }, (_, i) => `G1 X${i}`));
    engine.onLine('ok 2');
    engine.onLine('Error:Wrong checksum');
    expect(writes(engine.onLine('Resend:3'))).toEqual([line(3, 'G1 X1')]);
    engine.onLine('ok');
    expect(writes(engine.onLine('ok 3')).length).toBeGreaterThan(1);
  });
});

describe('timeouts and recovery', () => {
  it('probes a silent firmware with a numbered M105 and learns the line ran', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2'], { jobId: 'j' });
    expect(engine.nextDeadline()).toBe(10_000);
    const stall = engine.tick(10_000);
    expect(ofType(stall, 'timeout')).toEqual([{ type: 'timeout', lineNumber: 2, attempt: 1 }]);
    expect(writes(stall)).toEqual([line(3, 'M105')]);
    // The probe ran, so line 2 ran before it: confirm both, go on with line 3 of the file.
    const answer = engine.onLine('ok T:20.0 /0.0 B:20.0 /0.0 @:0 B@:0', 10_010);
    expect(ofType(answer, 'job-progress')).toHaveLength(1);
    expect(writes(answer)).toEqual([line(4, 'G1 X2')]);
  });

  it('re-sends the line when the probe shows it never arrived', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1']);
    engine.tick(10_000);
    engine.onLine('Error:Line Number is not Last Line Number+1, Last Line: 1', 10_010);
    expect(writes(engine.onLine('Resend: 2', 10_010))).toEqual([line(2, 'G1 X1')]);
  });

  it('does not time out while busy keep-alives or heating reports arrive', () => {
    const engine = ready();
    engine.enqueueJob(['M109 S210', 'G1 X1']);
    for (let t = 2000; t <= 60_000; t += 2000) {
      engine.onLine(t % 4000 === 0 ? 'echo:busy: processing' : ' T:180.3 /210.0 B:60.0 /60.0 @:127 B@:0', t);
      expect(ofType(engine.tick(t + 1), 'timeout')).toEqual([]);
    }
  });

  it('does time out when only auto-reports arrive for a command that does not heat', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1']);
    for (let t = 1000; t < 10_000; t += 1000) engine.onLine(' T:20.0 /0.0 B:20.0 /0.0 @:0 B@:0', t);
    expect(ofType(engine.tick(10_000), 'timeout')).toHaveLength(1);
  });

  it('lets a line the firmware proved it accepted wait for its ok without blocking the next (Marlin)', () => {
    const engine = ready();
    engine.enqueueJob(['G28', 'G1 X1', 'G1 X2'], { jobId: 'j' });
    expect(writes(engine.tick(10_000))).toEqual([line(3, 'M105')]); // G28 (line 2) silent: probe
    engine.onLine('Error:checksum mismatch, Last Line: 2', 10_001);
    // Line 2 is accepted (the firmware wants 3): it sits in Marlin's queue, not on the wire, so the
    // next line may go while its ok is still due. The probe is not re-sent.
    expect(writes(engine.onLine('Resend: 3', 10_001))).toEqual([line(3, 'G1 X1')]);
    expect(engine.status().inFlight).toBe(2);
    engine.onLine('ok', 10_002); // the resend's own
    expect(ofType(engine.onLine('ok', 20_000), 'acknowledged').map((a) => a.lineNumber)).toEqual([2]);
    expect(writes(engine.onLine('ok', 20_001))).toEqual([line(4, 'G1 X2')]);
  });

  it('treats Repetier `wait` with a line long in flight as a lost ok', () => {
    const engine = ready({ profile: 'repetier' });
    engine.enqueueJob(['G1 X1']);
    expect(writes(engine.onLine('wait', 1500))).toEqual([line(3, 'M105')]);
  });

  it('fails the job when the firmware stays silent through every probe', () => {
    const engine = ready({ maxProbes: 2 });
    engine.enqueueJob(['G1 X1'], { jobId: 'j' });
    const out = [10_000, 20_000, 30_000].flatMap((t) => engine.tick(t));
    expect(writes(out)).toHaveLength(2);
    expect(ofType(out, 'job-failed')[0]?.reason).toBe(
      'no answer from the firmware for line 2 after 2 probes',
    );
    expect(ofType(out, 'unresponsive')).toHaveLength(1);
    // Whatever happened on the other side, the next command starts a fresh numbering.
    expect(writes(engine.sendImmediate('M105'))).toEqual(['N0 M110 N0*125\n']);
  });
});

describe('control', () => {
  it('emergency stop writes M112 at once, unnumbered, with lines in flight, then refuses work', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2'], { jobId: 'j' });
    const out = engine.sendImmediate('M112');
    expect(out[0]).toEqual({ type: 'write', data: 'M112\n', lineNumber: null, origin: null });
    expect(ofType(out, 'job-failed')[0]?.reason).toBe('emergency stop');
    expect(ofType(engine.sendImmediate('G28', 'c'), 'command-failed')).toEqual([
      { type: 'command-failed', id: 'c', reason: 'firmware halted' },
    ]);
    expect(writes(engine.onLine('ok'))).toEqual([]);
  });

  it('M108 reaches Marlin at once while M109 blocks, and its ok is paired in order', () => {
    const engine = ready();
    engine.enqueueJob(['M109 S210', 'G1 X1'], { jobId: 'j' });
    const urgent = engine.sendUrgent('M108', 'stop-heating');
    expect(urgent).toEqual([
      { type: 'write', data: 'M108\n', lineNumber: null, origin: { kind: 'command', id: 'stop-heating' } },
    ]);
    const m109 = engine.onLine('ok');
    expect(ofType(m109, 'acknowledged').map((a) => a.lineNumber)).toEqual([2]);
    // M108 arrived long ago and cannot be cut, so the next line may follow it.
    expect(writes(m109)).toEqual([line(3, 'G1 X1')]);
    const m108 = engine.onLine('ok');
    expect(ofType(m108, 'command-done')).toEqual([{ type: 'command-done', id: 'stop-heating' }]);
    expect(ofType(m108, 'acknowledged')).toEqual([]);
    expect(ofType(engine.onLine('ok'), 'acknowledged').map((a) => a.lineNumber)).toEqual([3]);
  });

  it('with ADVANCED_OK the unnumbered M108 takes the bare ok, numbered acks the lines', () => {
    const engine = ready();
    engine.enqueueJob(['M109 S210', 'G1 X1']);
    engine.sendUrgent('M108', 'u');
    expect(ofType(engine.onLine('ok N2 P15 B3'), 'acknowledged').map((a) => a.lineNumber)).toEqual([2]);
    expect(ofType(engine.onLine('ok P15 B3'), 'command-done')).toEqual([{ type: 'command-done', id: 'u' }]);
  });

  it('on Repetier an urgent command goes numbered, ahead of the job', () => {
    const engine = ready({ profile: 'repetier' });
    engine.enqueueJob(['M109 S210', 'G1 X1']);
    expect(writes(engine.sendUrgent('M108'))).toEqual([line(4, 'M108')]);
  });

  it('pause stops feeding, reports once drained, resume goes on, commands still run while paused', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2'], { jobId: 'j' });
    expect(writes(engine.pause())).toEqual([]);
    expect(writes(engine.onLine('ok'))).toEqual([line(3, 'M105')]);
    expect(ofType(engine.onLine('ok T:20.0 /0.0'), 'job-paused')).toEqual([
      { type: 'job-paused', jobId: 'j', lastConfirmedFileLine: 1 },
    ]);
    expect(writes(engine.sendImmediate('G91'))).toEqual([line(4, 'G91')]);
    engine.onLine('ok');
    expect(writes(engine.resume())).toEqual([line(5, 'G1 X2')]);
  });

  it('cancel drops the queue; lines in flight still complete without reviving the job', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2', 'G1 X3'], { jobId: 'j' });
    expect(ofType(engine.cancel(), 'job-cancelled')).toEqual([
      { type: 'job-cancelled', jobId: 'j', lastConfirmedFileLine: 0 },
    ]);
    const ack = engine.onLine('ok');
    expect(writes(ack)).toEqual([]);
    expect(ofType(ack, 'job-progress')).toEqual([]);
    expect(engine.status().job).toBeNull();
  });

  it('does not re-send lines of a cancelled job when the firmware asks for them', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1', 'G1 X2'], { jobId: 'j' });
    engine.cancel();
    engine.sendImmediate('G91', 'c');
    engine.onLine('Error:checksum mismatch, Last Line: 1');
    const out = engine.onLine('Resend: 2');
    expect(writes(out)).toEqual([line(2, 'G91')]);
  });

  it('halts on a thermal error and fails the job with the firmware message', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1'], { jobId: 'j' });
    const out = engine.onLine('Error:Thermal Runaway, system stopped! Heater_ID: 0');
    expect(ofType(out, 'halted')[0]?.reason).toBe(
      'thermal error: Thermal Runaway, system stopped! Heater_ID: 0',
    );
    expect(ofType(out, 'job-failed')[0]?.reason).toMatch(/Thermal Runaway/);
    expect(engine.status().halted).toBe(true);
  });

  it('a firmware reset (`start`) fails the job and re-synchronises numbering', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1'], { jobId: 'j' });
    const out = engine.onLine('start');
    expect(ofType(out, 'reset')).toHaveLength(1);
    expect(ofType(out, 'job-failed')[0]?.reason).toBe('printer reset');
    expect(writes(engine.sendImmediate('M105'))).toEqual(['N0 M110 N0*125\n']);
  });

  it('reset() forgets the link state after a reopen', () => {
    const engine = ready();
    engine.reset();
    expect(engine.status()).toMatchObject({ inFlight: 0, lineNumbersSynced: false, halted: false });
  });
});

describe('firmware identification and reports', () => {
  it('switches profile from M115 and reports capabilities', () => {
    const engine = new ProtocolEngine();
    expect(engine.status().profile).toBe('marlin-1.1');
    const info = engine.onLine(
      'FIRMWARE_NAME:Repetier_1.0.4 FIRMWARE_URL:https://github.com/repetier/Repetier-Firmware/',
    );
    expect(ofType(info, 'firmware')[0]?.profile).toBe('repetier');
    expect(engine.status().profile).toBe('repetier');
    expect(ofType(engine.onLine('Cap:AUTOREPORT_TEMP:1'), 'capability')).toEqual([
      { type: 'capability', name: 'AUTOREPORT_TEMP', enabled: true },
    ]);
  });

  it.each([
    ['Marlin 2.1.2.1 (Jun 10 2023)', 'marlin'],
    ['Marlin 1.1.9', 'marlin-1.1'],
    ['Marlin V1; Sprinter/grbl mashup for gen6', 'marlin-1.1'],
    ['Prusa-Firmware 3.13.3 based on Marlin', 'prusa'],
    ['Something else', 'marlin-1.1'],
  ])('detects %j as %s', (name, profile) => {
    const engine = new ProtocolEngine();
    expect(ofType(engine.onLine(`FIRMWARE_NAME:${name} PROTOCOL_VERSION:1.0`), 'firmware')[0]?.profile).toBe(
      profile,
    );
  });

  it('passes on temperatures, positions, host actions and busy', () => {
    const engine = ready();
    expect(ofType(engine.onLine(' T:21.8 /0.0 B:21.4 /0.0 @:0 B@:0'), 'temperature')).toHaveLength(1);
    expect(
      ofType(engine.onLine('X:1.00 Y:2.00 Z:3.00 E:0.00 Count X:0 Y:0 Z:0'), 'position')[0]?.position,
    ).toEqual({ x: 1, y: 2, z: 3, e: 0 });
    expect(ofType(engine.onLine('//action:pause'), 'host-action')).toEqual([
      { type: 'host-action', action: 'pause', args: '' },
    ]);
    expect(ofType(engine.onLine('echo:busy: processing'), 'busy')).toEqual([
      { type: 'busy', reason: 'processing' },
    ]);
  });

  it('survives garbage lines without acting on them', () => {
    const engine = ready();
    engine.enqueueJob(['G1 X1']);
    for (const junk of ['\x00\xff\xfe', 'okk', 'Resend', 'Error:', '//action:', 'T:', '¿¿¿', 'N5 G1*3']) {
      expect(writes(engine.onLine(junk))).toEqual([]);
    }
    expect(engine.status().inFlight).toBe(1);
  });
});
