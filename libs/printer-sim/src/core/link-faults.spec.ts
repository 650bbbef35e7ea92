import { numberedLine } from './checksum';
import { parseFaults } from './faults';
import { compareRecord, gcodeCommands } from './record';
import { VirtualHost } from '../testing/virtual-host';

describe('link model', () => {
  it('a flood at 115200 baud takes len/11520 s to arrive', () => {
    const host = new VirtualHost({ baudRate: 115200 }).open();
    const lines = Array.from({ length: 300 }, (_, i) => numberedLine(i + 1, `M117 ${i}`));
    // Long waits keep the firmware from reading, but M117 runs instantly: every byte is read.
    const text = lines.map((l) => l + '\n').join('');
    const start = host.scheduler.now();
    host.sendRaw(text);
    host.scheduler.runUntil(() => host.printer.record.length === 300);
    const elapsed = host.scheduler.now() - start;
    expect(elapsed).toBeCloseTo((text.length / 11520) * 1000, 0);
  });

  it('the replies are paced the same way, plus the adapter latency', () => {
    const host = new VirtualHost({ baudRate: 115200, latencyMs: 16 }).open();
    const start = host.scheduler.now();
    host.send('M115');
    host.runUntilLine('ok');
    const replyBytes = host.take().reduce((n, l) => n + l.length + 1, 0);
    const expected = (('M115\n'.length + replyBytes) / 11520) * 1000 + 16;
    expect(host.scheduler.now() - start).toBeCloseTo(expected, 0);
  });

  it('a host that overruns the 127-byte receive ring loses bytes', () => {
    const host = new VirtualHost({ baudRate: 115200 }).open();
    host.send('G4 S2'); // blocks the loop: nothing is read for 2 s
    host.run(10);
    const flood = Array.from({ length: 20 }, (_, i) => numberedLine(i + 1, 'G1 X1 F600')).join('\n') + '\n';
    host.sendRaw(flood).run(5000);
    expect(host.printer.firmware.droppedBytes).toBe(flood.length - 127);
    // The ring ended mid-line; the next line completes it into garbage the checksum catches.
    host.sendNumbered(21, 'G1 X1 F600').run(100);
    const complete = Math.floor(127 / (numberedLine(1, 'G1 X1 F600').length + 1));
    expect(host.lines()).toContain(`Error:checksum mismatch, Last Line: ${complete}`);
    expect(host.lines().at(-2)).toBe(`Resend: ${complete + 1}`);
  });
});

describe('faults on demand', () => {
  it('parses the CLI fault list', () => {
    expect(parseFaults('corrupt-in=0.01,drop-ok=0.5,halt-line=7,halt-message=Heating failed,disconnect-after=2s')).toEqual({
      corruptInRate: 0.01,
      dropOkRate: 0.5,
      haltAtLine: 7,
      haltMessage: 'Heating failed',
      disconnectAfterMs: 2000,
    });
    expect(() => parseFaults('boom=1')).toThrow(/unknown fault "boom"/);
    expect(() => parseFaults('drop-ok=2')).toThrow(/rate/);
  });

  it('drops oks at the configured rate, repeatably for a seed', () => {
    const run = () => {
      const host = new VirtualHost({ faults: { dropOkRate: 0.5, seed: 42 } }).open();
      for (let i = 1; i <= 40; i++) host.sendNumbered(i, 'G90');
      host.run(10);
      return host.take().length;
    };
    const oks = run();
    expect(oks).toBeGreaterThan(10);
    expect(oks).toBeLessThan(30);
    expect(run()).toBe(oks);
  });

  it('corrupts host bytes: the firmware sees checksum errors', () => {
    const host = new VirtualHost({ faults: { corruptInRate: 0.05, seed: 3 } }).open();
    for (let i = 1; i <= 30; i++) host.sendNumbered(i, 'G1 X10 Y10 F3000');
    host.run(100);
    expect(host.lines().some((l) => l.startsWith('Resend: '))).toBe(true);
  });

  it('corrupts printer lines at a rate', () => {
    const host = new VirtualHost({ faults: { corruptOutRate: 1, seed: 5 } }).open();
    host.send('M105').run(10);
    const line = host.take()[0]!;
    expect(line).not.toBe('ok T:21.00 /0.00 B:21.00 /0.00 @:0 B@:0');
    expect(line).toHaveLength('ok T:21.00 /0.00 B:21.00 /0.00 @:0 B@:0'.length);
  });

  it('halts with the given error at the given line, before running it', () => {
    const host = new VirtualHost({ faults: { haltAtLine: 3, haltMessage: 'Heating failed, system stopped! Heater_ID: 0' } }).open();
    for (let i = 1; i <= 4; i++) host.sendNumbered(i, `G1 X${i}`);
    host.run(10);
    expect(host.take()).toEqual(['ok', 'ok', 'Error:Heating failed, system stopped! Heater_ID: 0', 'Error:Printer halted. kill() called!']);
    expect(host.printer.record.commands()).toEqual(['G1 X1', 'G1 X2']);
  });

  it('filament runout asks the host to pause', () => {
    const host = new VirtualHost({ faults: { runoutAtLine: 2 } }).open();
    host.sendNumbered(1, 'G90').sendNumbered(2, 'G91').run(10);
    expect(host.take()).toEqual(['ok', '//action:pause', 'ok']);
    host.printer.filamentRunout();
    host.run(1);
    expect(host.take()).toEqual(['//action:pause']);
  });

  it('disconnects at a line: the adapter is told and nothing more is answered', () => {
    const host = new VirtualHost({ faults: { disconnectAtLine: 2 } }).open();
    let unplugged = 0;
    host.printer.onDisconnect(() => unplugged++);
    host.sendNumbered(1, 'G90').run(10);
    host.sendNumbered(2, 'G91').sendNumbered(3, 'G90').run(10);
    expect(host.take()).toEqual(['ok']);
    expect(host.printer.record.commands()).toEqual(['G90']);
    expect(unplugged).toBe(1);
    expect(host.printer.isOpen).toBe(false);
  });

  it('disconnects after a time from opening', () => {
    const host = new VirtualHost({ faults: { disconnectAfterMs: 1000 } });
    let unplugged = 0;
    host.printer.onDisconnect(() => unplugged++);
    host.open();
    host.run(999);
    expect(unplugged).toBe(0);
    host.run(1);
    expect(unplugged).toBe(1);
  });

  it('reset reboots the board: banner, line numbers from 0', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G90').run(1);
    host.printer.reset();
    host.run(1);
    expect(host.take()).toContain('start');
    host.sendNumbered(1, 'G91').run(1);
    expect(host.take()).toEqual(['ok']);
  });
});

describe('execution record', () => {
  const file = ['; header', 'G28', 'G1 X10 Y10 F3000 ; first', '', 'M104 S0', 'G1  X0'].join('\n');

  it('turns a file into the commands a firmware runs', () => {
    expect(gcodeCommands(file)).toEqual(['G28', 'G1 X10 Y10 F3000', 'M104 S0', 'G1 X0']);
  });

  it('proves a file arrived whole through a noisy link with a careful host', () => {
    const host = new VirtualHost({ faults: { corruptInRate: 0.003, seed: 11 } }).open();
    const cmds = Array.from({ length: 200 }, (_, i) => `G1 X${i % 50} Y${(i * 7) % 50} F6000`);
    // One line in flight, resend on request: the way a safe host talks.
    // A line whose newline was corrupted gets no answer: resend it after a timeout.
    let next = 1;
    while (next <= cmds.length) {
      const mark = host.lines().length;
      host.sendNumbered(next, cmds[next - 1]!);
      const deadline = host.scheduler.now() + 1000;
      while (!host.lines().slice(mark).includes('ok') && host.scheduler.now() < deadline) host.run(5);
      const reply = host.lines().slice(mark);
      const resend = reply.find((l) => l.startsWith('Resend: '));
      if (resend) next = Number(resend.slice(8));
      else if (reply.includes('ok')) next++;
    }
    // A flipped bit can turn the leading `N` into another letter: Marlin then takes the line
    // unchecked and answers "Unknown command" + ok. Only known commands moved the machine.
    const record = host.printer.record.all();
    expect(record.some((e) => !e.known)).toBe(true);
    const result = compareRecord(record.filter((e) => e.known), cmds);
    expect(host.lines().filter((l) => l.startsWith('Resend')).length).toBeGreaterThan(0);
    expect(result).toMatchObject({ whole: true, extra: [], missing: [] });
  });

  it('reports what was lost, duplicated or reordered', () => {
    const r = compareRecord(['G1 X1', 'G1 X3', 'G1 X3', 'G1 X2'], ['G1 X1', 'G1 X2', 'G1 X3']);
    expect(r.whole).toBe(false);
    expect(r.firstDifference).toEqual({ index: 1, expected: 'G1 X2', executed: 'G1 X3' });
    expect(r.extra).toEqual(['G1 X3']);
    expect(r.missing).toEqual([]);
    expect(compareRecord(['M105', 'G1 X1'], ['G1 X1'], { ignore: (c) => c === 'M105' }).whole).toBe(true);
  });
});
