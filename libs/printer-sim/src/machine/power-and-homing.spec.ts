import { VirtualHost } from '../testing/virtual-host';

/** Heaters that reach a print temperature in about a second (stable at the model's 100 ms step). */
const FAST_HEAT = { hotend: { maxHeatRate: 200, approachBand: 40, coolTau: 2 }, bed: { maxHeatRate: 100, approachBand: 20, coolTau: 2 } };

describe('what a reset loses, and what a host must restore', () => {
  it('a reset forgets the position and the homing while the head stays; G92 Z and G28 X Y bring them back', () => {
    const host = new VirtualHost().open();
    const fw = host.printer.firmware;
    host.send('G28').send('G1 X30 Y40 Z5.2 F6000').send('M400');
    host.runUntilOks(3);
    expect(fw.axes.homed).toEqual({ x: true, y: true, z: true });
    host.printer.reset();
    host.run(1);
    expect(fw.planner.position).toEqual({ x: 0, y: 0, z: 0, e: 0 });
    expect(fw.axes.homed).toEqual({ x: false, y: false, z: false });
    expect(fw.axes.physical(fw.planner)).toEqual({ x: 30, y: 40, z: 5.2 });
    // What a recovery does: say where Z is, lift, home X and Y only.
    host.send('G92 Z5.2').send('G1 Z7.2 F600').send('G28 X Y').send('M400');
    host.runUntilOks(4);
    expect(fw.axes.homed).toEqual({ x: true, y: true, z: false });
    expect(fw.axes.physical(fw.planner)).toEqual({ x: 0, y: 0, z: 7.2 });
    expect(fw.planner.position.z).toBe(7.2);
  });

  it('without G92 Z the firmware is off by the height it lost', () => {
    const host = new VirtualHost().open();
    const fw = host.printer.firmware;
    host.send('G1 Z3 F600').send('M400').runUntilOks(2);
    host.printer.reset();
    host.run(1);
    host.send('G1 Z3.2 F600').send('M400').runUntilOks(2);
    expect(fw.axes.physical(fw.planner).z).toBeCloseTo(6.2, 6);
  });

  it('refuses to extrude below extrudeMinTemp, as Marlin does, and extrudes once hot', () => {
    const host = new VirtualHost({ extrudeMinTemp: 170, thermal: FAST_HEAT }).open();
    const fw = host.printer.firmware;
    host.send('G1 X10 E1 F600');
    host.runUntilOks(1);
    expect(host.take()).toEqual(['echo: cold extrusion prevented', 'ok']);
    expect(fw.coldExtrusions).toBe(1);
    expect(fw.planner.position).toMatchObject({ x: 10, e: 1 }); // the move runs, E is renamed
    host.send('M109 S200');
    const heated = host.runUntilOks(1);
    expect(heated).toBeLessThan(15_000); // ~1 s to heat, 10 s residency
    host.send('G1 X20 E2 F600').runUntilOks(1);
    expect(fw.coldExtrusions).toBe(1);
    host.send('G1 Y5 F600').runUntilOks(1); // no E: never a cold extrusion
    expect(fw.coldExtrusions).toBe(1);
  });

  it('a board without the DTR reset keeps running while unplugged and is found as it was', () => {
    const host = new VirtualHost({ dtrReset: false, faults: { disconnectAtLine: 3 } }).open();
    const fw = host.printer.firmware;
    host.sendNumbered(1, 'M104 S200').sendNumbered(2, 'G1 X5 Y6 Z0.3 F6000').sendNumbered(3, 'G1 X7 F6000').run(10);
    expect(host.printer.isOpen).toBe(false);
    // The line being read when the cable went still ran: only its `ok` was lost.
    expect(host.printer.record.commands()).toEqual(['M104 S200', 'G1 X5 Y6 Z0.3 F6000', 'G1 X7 F6000']);
    host.take();
    host.printer.open();
    host.run(100);
    expect(host.take()).toEqual([]); // no banner
    host.send('M114').runUntilOks(1);
    expect(host.take()[0]).toMatch(/^X:7\.00 Y:6\.00 Z:0\.30/);
    expect(fw.thermal.hotend.target).toBe(200);
  });

  it('powered off the board is silent and the port opening cannot boot it; power on boots it', () => {
    const host = new VirtualHost().open();
    const fw = host.printer.firmware;
    host.send('M140 S60').runUntilOks(1);
    host.take();
    host.printer.powerOff();
    host.send('M105').run(1000);
    expect(host.take()).toEqual([]);
    host.printer.close();
    host.printer.open();
    host.run(1000);
    expect(host.take()).toEqual([]);
    expect(fw.state).toBe('off');
    expect(fw.thermal.bed.target).toBe(0);
    host.printer.powerOn();
    host.run(1);
    expect(host.take()).toContain('start');
    host.send('M105').runUntilOks(1);
  });
});
