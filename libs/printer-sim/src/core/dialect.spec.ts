import { numberedLine } from './checksum';
import { VirtualHost } from '../testing/virtual-host';

describe('Prusa-Firmware profile', () => {
  it('refuses a checksum without a line number', () => {
    const host = new VirtualHost({ dialect: 'prusa' }).open();
    host.send('G90*17').run(10);
    expect(host.take()).toEqual(['Error:No Line Number with checksum, Last Line: 0', 'Resend: 1', 'ok']);
  });

  it('drops a line with a comment, and the line after it, unanswered', () => {
    const host = new VirtualHost({ dialect: 'prusa' }).open();
    host.send('G90 ; absolute').send('G91').send('M83').run(10);
    expect(host.take()).toEqual(['ok']);
    expect(host.printer.record.commands()).toEqual(['M83']);
  });

  it('answers M105 in its own format', () => {
    const host = new VirtualHost({ dialect: 'prusa' }).open();
    host.send('M105').run(10);
    expect(host.take()).toEqual(['ok T:21.0 /0.0 B:21.0 /0.0 T0:21.0 /0.0 @:0 B@:0 P:21.0 A:30.1']);
  });
});

describe('Repetier-Firmware profile', () => {
  it('uses CRLF and acknowledges a line when stored, before it runs', () => {
    const host = new VirtualHost({ dialect: 'repetier' }).open();
    host.sendNumbered(1, 'G4 P1000').run(1);
    expect(host.raw().endsWith('ok 1\r\n')).toBe(true);
    expect(host.take()).toEqual(['ok 1']);
    host.sendNumbered(2, 'M105').run(1);
    expect(host.take()).toEqual(['ok 2']);
    host.run(1000);
    expect(host.take()).toEqual(['T:21.00 /0 B:21.00 /0 B@:0 @:0']);
  });

  it('answers a duplicate with skip', () => {
    const host = new VirtualHost({ dialect: 'repetier' }).open();
    host.sendNumbered(1, 'G90').sendNumbered(1, 'G90').run(1);
    expect(host.take()).toEqual(['ok 1', 'skip 1', 'ok']);
    expect(host.printer.record.commands()).toEqual(['G90']);
  });

  it('repeats Resend every 200 ms until the host answers', () => {
    const host = new VirtualHost({ dialect: 'repetier' }).open();
    host.send('N1 G90*0').run(450);
    expect(host.take()).toEqual(['Error:Wrong checksum', '', 'Resend:1', 'ok', 'Resend:1', 'Resend:1']);
    host.sendNumbered(1, 'G90').run(1000);
    expect(host.take().filter((l) => l !== 'wait')).toEqual(['ok 1']);
  });

  it('says wait each second when idle, and resets on M112', () => {
    const host = new VirtualHost({ dialect: 'repetier' }).open();
    host.run(2000);
    expect(host.take()).toEqual(['wait', 'wait']);
    host.send('M112').run(1);
    expect(host.take()[0]).toBe('start');
    expect(host.printer.firmware.state).toBe('ready');
  });

  it('answers an unknown command its own way', () => {
    const host = new VirtualHost({ dialect: 'repetier' }).open();
    host.send(numberedLine(1, 'G999')).run(1);
    expect(host.take()).toEqual(['ok 1', 'Unknown command:G999']);
  });
});
