import { lineChecksum, numberedLine } from './checksum';
import { VirtualHost } from '../testing/virtual-host';

describe('Marlin 2.1 line protocol', () => {
  it('computes the XOR checksum Marlin checks', () => {
    // Reference values computed by hand: 'N1 M105' XOR = 38.
    expect(lineChecksum('N1 M105')).toBe(38);
    expect(numberedLine(1, 'M105')).toBe('N1 M105*38');
  });

  it('prints the start banner when the port is opened (DTR reset)', () => {
    const host = new VirtualHost();
    host.printer.open();
    host.run(1);
    const lines = host.take();
    expect(lines[0]).toBe('start');
    expect(lines[1]).toBe('echo:Marlin 2.1.2.1');
  });

  it('eats bytes while the bootloader runs, then prints the banner', () => {
    const host = new VirtualHost({ bootMs: 1000 });
    host.printer.open();
    host.send('M115');
    host.run(999);
    expect(host.take()).toEqual([]);
    host.run(1);
    const lines = host.take();
    expect(lines[0]).toBe('start');
    expect(lines.some((l) => l.startsWith('FIRMWARE_NAME'))).toBe(false);
  });

  it('answers numbered and unnumbered commands with ok', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G90').send('M82').run(10);
    expect(host.take()).toEqual(['ok', 'ok']);
    expect(host.printer.record.all().map((e) => [e.lineNumber, e.command])).toEqual([
      [1, 'G90'],
      [null, 'M82'],
    ]);
  });

  it('asks for a resend after a bad checksum, byte for byte', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G90').send('N2 G1 X10*99').run(10);
    expect(host.take()).toEqual(['ok', 'Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok']);
    host.sendNumbered(2, 'G1 X10').run(1000);
    expect(host.take()).toEqual(['ok']);
    expect(host.printer.record.commands()).toEqual(['G90', 'G1 X10']);
  });

  it('refuses a line-number gap with the exact error', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G90').sendNumbered(3, 'G91').run(10);
    expect(host.take()).toEqual([
      'ok',
      'Error:Line Number is not Last Line Number+1, Last Line: 1',
      'Resend: 2',
      'ok',
    ]);
  });

  it('acknowledges a duplicate line without executing it again', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G92 E0').sendNumbered(2, 'M83').sendNumbered(2, 'M83').run(10);
    expect(host.take()).toEqual([
      'ok',
      'ok',
      'Error:Line Number is not Last Line Number+1, Last Line: 2',
      'Resend: 3',
      'ok',
    ]);
    expect(host.printer.record.commands()).toEqual(['G92 E0', 'M83']);
  });

  it('refuses a numbered line without a checksum', () => {
    const host = new VirtualHost().open();
    host.send('N1 G90').run(10);
    expect(host.take()).toEqual(['Error:No Checksum with line number, Last Line: 0', 'Resend: 1', 'ok']);
  });

  it('M110 sets the line number when read and again when run', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G90').sendNumbered(2, 'M110 N100').sendNumbered(101, 'G91').run(10);
    expect(host.take()).toEqual(['ok', 'ok', 'ok']);
    host.send('M110 N0').sendNumbered(1, 'G90').run(10);
    expect(host.take()).toEqual(['ok', 'ok']);
  });

  it('M110 resets the number again when it runs: lines read meanwhile leave the host out of step', () => {
    // G4 blocks the queue, so M110 N0, N1 and N2 are all read (and checked) before M110 runs.
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G4 P500').run(1);
    host.sendNumbered(2, 'M110 N0').sendNumbered(1, 'G90').sendNumbered(2, 'G91').run(1000);
    expect(host.take()).toEqual(['ok', 'ok', 'ok', 'ok']);
    host.sendNumbered(3, 'G90').run(10);
    expect(host.take()).toEqual(['Error:Line Number is not Last Line Number+1, Last Line: 0', 'Resend: 1', 'ok']);
  });

  it('answers an unknown command and still says ok', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'G999 X1').run(10);
    expect(host.take()).toEqual(['echo:Unknown command: "G999 X1"', 'ok']);
    expect(host.printer.record.all()[0]).toMatchObject({ command: 'G999 X1', known: false });
  });

  it('strips comments before checking the checksum', () => {
    const host = new VirtualHost().open();
    host.send(`${numberedLine(1, 'G1 X5')} ; move`).run(1000);
    expect(host.take()).toEqual(['ok']);
  });

  it('prints FIRMWARE_NAME and Cap lines for M115', () => {
    const host = new VirtualHost({ advancedOk: true }).open();
    host.send('M115').run(10);
    const lines = host.take();
    expect(lines[0]).toMatch(/^FIRMWARE_NAME:Marlin 2\.1\.2\.1 .*EXTRUDER_COUNT:1/);
    expect(lines).toContain('Cap:AUTOREPORT_TEMP:1');
    expect(lines).toContain('Cap:EMERGENCY_PARSER:1');
    expect(lines).toContain('Cap:HOST_ACTION_COMMANDS:1');
    expect(lines).toContain('Cap:ADVANCED_OK:1');
    expect(lines.at(-1)).toBe('ok P15 B3');
  });

  it('reports ADVANCED_OK with the line, free planner blocks and free buffer slots', () => {
    const host = new VirtualHost({ advancedOk: true }).open();
    host.sendNumbered(1, 'G1 X100 F6000').run(1);
    host.sendNumbered(2, 'G1 X0').run(1);
    host.send('M105').run(1);
    expect(host.take()).toEqual(['ok N1 P14 B3', 'ok N2 P13 B3', 'ok T:21.00 /0.00 B:21.00 /0.00 @:0 B@:0']);
  });

  it('halts on M112: error line, then silence until the port is reopened', () => {
    const host = new VirtualHost().open();
    host.sendNumbered(1, 'M112').run(10);
    expect(host.take()).toEqual(['echo:M112 Shutdown', 'Error:Printer halted. kill() called!']);
    host.sendNumbered(2, 'M105').send('M105').run(5000);
    expect(host.take()).toEqual([]);
    expect(host.printer.firmware.state).toBe('halted');
    host.printer.open();
    host.run(1);
    expect(host.take()[0]).toBe('start');
    host.sendNumbered(1, 'G90').run(1);
    expect(host.take()).toEqual(['ok']);
  });

  it('acts on M112 at once even while a command blocks (emergency parser)', () => {
    const host = new VirtualHost().open();
    host.send('G4 S30').run(100);
    host.send('M112').run(1);
    expect(host.take()).toEqual(['echo:M112 Shutdown', 'Error:Printer halted. kill() called!']);
  });
});

describe('after a line error Marlin empties its receive buffer', () => {
  const byteMs = 10_000 / 115200;

  /** Block the queue with G4 P100; return when it will end. */
  function blocked(host: VirtualHost): number {
    host.sendNumbered(1, 'G4 P100');
    host.scheduler.runUntil(() => host.printer.record.length === 1);
    return host.printer.record.all()[0]!.at + 100;
  }

  it('runs the tail of a line still on the wire as an unnumbered command', () => {
    const host = new VirtualHost({ baudRate: 115200 }).open();
    const g4Ends = blocked(host);
    // Timed so the ring holds the bad N2 line and the first 6 bytes of N3 ("N3 G1 ") when G4
    // ends: the error flushes them, and "X10 Y20*…" arrives as a line of its own.
    host.scheduler.advanceTo(g4Ends - 17.5 * byteMs);
    host.send('N2 G1 X5*0').sendNumbered(3, 'G1 X10 Y20');
    host.run(1000);
    expect(host.take()).toEqual([
      'ok',
      'Error:checksum mismatch, Last Line: 1',
      'Resend: 2',
      'ok',
      'echo:Unknown command: "X10 Y20"',
      'ok',
    ]);
    expect(host.printer.record.all().map((e) => [e.lineNumber, e.command])).toEqual([
      [1, 'G4 P100'],
      [null, 'X10 Y20'],
    ]);
  });

  it('executes a stray move when the tail happens to be a valid command', () => {
    const host = new VirtualHost({ baudRate: 115200 }).open();
    const g4Ends = blocked(host);
    // The flush catches "N3 " only: "G1 X50*…" arrives as an unnumbered line and runs unchecked.
    host.scheduler.advanceTo(g4Ends - 14.5 * byteMs);
    host.send('N2 G1 X5*0').sendNumbered(3, 'G1 X50');
    host.run(2000);
    expect(host.printer.record.commands()).toEqual(['G4 P100', 'G1 X50']);
    expect(host.printer.firmware.planner.position.x).toBe(50);
    expect(host.take()).toEqual(['ok', 'Error:checksum mismatch, Last Line: 1', 'Resend: 2', 'ok', 'ok']);
  });
});
