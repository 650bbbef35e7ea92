import { moveDurationMs } from './planner';
import { VirtualHost } from '../testing/virtual-host';

describe('planner timing', () => {
  it('a 100 mm move at F6000 takes what the trapezoid says', () => {
    // v = 100 mm/s, a = 3000 mm/s²: ramps of 1/30 s each way covering 1.667 mm each,
    // 96.67 mm cruising at 100 mm/s → 0.0667 + 0.9667 = 1.0333 s.
    expect(moveDurationMs(100, 100, 3000)).toBeCloseTo(1033.33, 1);
    // Too short to cruise: a triangle, 2·sqrt(d/a).
    expect(moveDurationMs(1, 100, 3000)).toBeCloseTo(2 * Math.sqrt(1 / 3000) * 1000, 3);
  });

  it('M400 after the move answers when the motion has finished', () => {
    const host = new VirtualHost({ planner: { acceleration: 1000 } }).open();
    host.send('G1 X100 F6000').send('M400');
    const t = host.runUntilOks(2);
    // 100 mm at 100 mm/s with 1000 mm/s²: 1 s + v/a = 1.1 s.
    expect(t).toBeCloseTo(1100, 0);
  });

  it('acknowledges moves as they enter the planner, long before they finish', () => {
    const host = new VirtualHost().open();
    host.send('G1 X100 F600').run(1);
    expect(host.take()).toEqual(['ok']);
    expect(host.printer.firmware.planner.queued).toBe(1);
  });

  it('a fast host fills the command buffer: oks are held back when the planner is full', () => {
    const host = new VirtualHost({ advancedOk: true }).open();
    for (let i = 0; i < 20; i++) host.send(`G1 X${i % 2 ? 0 : 10} F600`);
    host.run(1);
    const oks = host.take();
    // 15 moves fit in the 16-block planner (one block kept free), then G1 blocks the queue.
    expect(oks).toHaveLength(15);
    expect(oks.at(-1)).toBe('ok P0 B3');
    // The blocked G1 holds the loop, so the other lines wait in the RX ring, unread.
    expect(host.printer.firmware.queueLength()).toBe(1);
    expect(host.printer.firmware.rxBuffered()).toBe('G1 X10 F600\n'.length * 2 + 'G1 X0 F600\n'.length * 2);
  });

  it('G28 homes and M114 reports the position', () => {
    const host = new VirtualHost().open();
    host.send('G1 X10 Y20 Z5 F3000').send('G28 X Y').send('M114');
    host.runUntilOks(3);
    expect(host.take().filter((l) => !l.startsWith('echo:busy'))).toEqual(['ok', 'ok', 'X:0.00 Y:0.00 Z:5.00 E:0.00 Count X:0 Y:0 Z:2000', 'ok']);
  });

  it('G91 and M83 make moves relative, G92 sets the position', () => {
    const host = new VirtualHost().open();
    host.send('G92 X10 E5').send('G91').send('G1 X5 E1').send('G90').send('M83').send('G1 X1 E1');
    host.send('M400').send('M114').runUntilLine(/^X:/);
    expect(host.take().find((l) => l.startsWith('X:'))).toBe('X:1.00 Y:0.00 Z:0.00 E:7.00 Count X:80 Y:0 Z:0');
  });

  it('G4 dwells after the planner empties; busy keepalives every 2 s while it blocks', () => {
    const host = new VirtualHost().open();
    host.send('G4 S5');
    host.run(4999);
    expect(host.take()).toEqual(['echo:busy: processing', 'echo:busy: processing']);
    host.run(1);
    expect(host.take()).toEqual(['ok']);
  });

  it('a G2 arc takes the time of its length', () => {
    const host = new VirtualHost({ planner: { acceleration: 100_000 } }).open();
    // Half circle of radius 10 from (0,0) to (20,0): length 31.4 mm at 10 mm/s ≈ 3.14 s.
    host.send('G2 X20 Y0 I10 J0 F600').send('M400');
    const t = host.runUntilOks(2);
    expect(t).toBeGreaterThan(3100);
    expect(t).toBeLessThan(3200);
  });
});

describe('thermal model', () => {
  it('M109 blocks, reports once a second with W:?, counts the residency down and says ok', () => {
    const host = new VirtualHost().open();
    host.send('M109 S60');
    host.run(3000);
    const first = host.take();
    expect(first[0]).toBe(' T:21.00 /60.00 B:21.00 /0.00 @:0 B@:0 W:?');
    expect(first[1]).toMatch(/^ T:2\d\.\d\d \/60\.00 B:21\.00 \/0\.00 @:127 B@:0 W:\?$/);
    expect(first).toContain('echo:busy: processing');
    const t = host.runUntilLine('ok');
    const lines = host.take();
    const reports = lines.filter((l) => l.startsWith(' T:'));
    // Heating 39 °C at ~2 °C/s, then 10 s residency with a countdown.
    expect(t + 3000).toBeGreaterThan(25_000);
    expect(t + 3000).toBeLessThan(40_000);
    expect(reports.some((l) => l.endsWith(' W:9'))).toBe(true);
    expect(reports.at(-1)).toMatch(/ W:0$/);
    expect(lines.at(-1)).toBe('ok');
  });

  it('M190 heats the bed at about 0.5 °C/s', () => {
    const host = new VirtualHost().open();
    host.send('M190 S60');
    const t = host.runUntilLine('ok');
    expect(t).toBeGreaterThan(70_000);
    expect(t).toBeLessThan(110_000);
  });

  it('M108 ends a heating wait', () => {
    const host = new VirtualHost().open();
    host.send('M109 S200').run(2000);
    host.send('M108').run(200);
    expect(host.take().at(-1)).toBe('ok');
  });

  it('M155 S2 auto-reports every 2 s in Marlin format, S0 stops it', () => {
    const host = new VirtualHost().open();
    host.send('M155 S2').run(1);
    expect(host.take()).toEqual(['ok']);
    host.run(1998);
    expect(host.take()).toEqual([]);
    host.run(1);
    expect(host.take()).toEqual([' T:21.00 /0.00 B:21.00 /0.00 @:0 B@:0']);
    host.run(4000);
    expect(host.take()).toHaveLength(2);
    host.send('M155 S0').run(10_000);
    expect(host.take()).toEqual(['ok']);
  });

  it('M104 heats without blocking; M105 reads it back; noise is seeded', () => {
    const host = new VirtualHost({ thermal: { noise: 0.2 }, seed: 7 }).open();
    host.send('M104 S200').send('M140 S60').send('M106 S128').run(10_000);
    host.send('M105').run(1);
    const line = host.take().at(-1)!;
    const m = /^ok T:(\d+\.\d\d) \/200\.00 B:(\d+\.\d\d) \/60\.00 @:127 B@:127$/.exec(line);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(35);
    expect(Number(m![2])).toBeGreaterThan(24);
    expect(host.printer.firmware.thermal.fanSpeed).toBe(128);
  });

  it('cools toward ambient when the heater is off', () => {
    const host = new VirtualHost().open();
    host.send('M109 S100');
    host.runUntilLine('ok');
    host.send('M104 S0').run(60_000);
    const t = host.printer.firmware.temps().t;
    expect(t).toBeLessThan(75);
    expect(t).toBeGreaterThan(21);
  });

  it('thermal runaway on demand: error, then halt', () => {
    const host = new VirtualHost().open();
    host.send('M104 S200').run(100);
    host.take();
    host.printer.thermalRunaway();
    host.run(1);
    expect(host.take()).toEqual([
      'Error:Thermal Runaway, system stopped! Heater_ID: 0',
      'Error:Printer halted. kill() called!',
    ]);
    expect(host.printer.firmware.thermal.hotend.target).toBe(0);
  });
});
