import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import pino from 'pino';
import { createTempDir } from '@printfleet/testing';
import {
  configuredPort,
  HotplugWatcher,
  listUsbTtysFromSysfs,
  usbPrinterId,
  UsbIdMatcher,
  type DiscoveredPort,
  type UsbPortInfo,
} from '../src/discovery';

const logger = pino({ level: 'silent' });

/** Lays out a sysfs tree the way Linux does for an FTDI adapter and a CDC-ACM board. */
function fakeSysfs(root: string) {
  const usbDev = (bus: string, attrs: Record<string, string>) => {
    const dir = join(root, 'devices/pci0000:00/0000:00:14.0/usb1', bus);
    mkdirSync(dir, { recursive: true });
    for (const [k, v] of Object.entries(attrs)) writeFileSync(join(dir, k), `${v}\n`);
    return dir;
  };
  const tty = (name: string, deviceDir: string) => {
    mkdirSync(deviceDir, { recursive: true });
    mkdirSync(join(root, 'class/tty', name), { recursive: true });
    symlinkSync(deviceDir, join(root, 'class/tty', name, 'device'));
  };
  const ftdi = usbDev('1-1.2', { idVendor: '0403', idProduct: '6001', serial: 'A50285BI', manufacturer: 'FTDI' });
  tty('ttyUSB0', join(ftdi, '1-1.2:1.0', 'ttyUSB0'));
  const acm = usbDev('1-1.3', { idVendor: '2c99', idProduct: '0002', manufacturer: 'Prusa Research' });
  tty('ttyACM0', join(acm, '1-1.3:1.0'));
  mkdirSync(join(root, 'class/tty/tty0'), { recursive: true }); // virtual: no device link
  const pnp = join(root, 'devices/pnp0/00:00');
  tty('ttyS0', pnp);
  return { unplugAcm: () => rmSync(join(root, 'class/tty/ttyACM0'), { recursive: true }) };
}

describe('discovery', () => {
  it('finds USB serial ttys and their ids in sysfs when udev is missing', async () => {
    const dir = createTempDir();
    fakeSysfs(dir.path);
    expect(await listUsbTtysFromSysfs(dir.path, '/dev')).toEqual([
      { path: '/dev/ttyACM0', vendorId: '2c99', productId: '0002', manufacturer: 'Prusa Research', location: '1-1.3' },
      { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'A50285BI', manufacturer: 'FTDI', location: '1-1.2' },
    ]);
    dir.remove();
  });

  it('matches the configured vendor:product list, with wildcards', () => {
    const m = new UsbIdMatcher();
    expect(m.matches('0403', '6001')).toBe(true);
    expect(m.matches('2C99', '000d')).toBe(true);
    expect(m.matches('0403', '6010')).toBe(false);
    expect(m.matches(undefined, '6001')).toBe(false);
    expect(() => new UsbIdMatcher(['403:6001'])).toThrow(/invalid USB id "403:6001"/);
  });

  it('names a printer by its USB serial number, not by its ttyUSB order', () => {
    const first: UsbPortInfo = { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'A50285BI' };
    expect(usbPrinterId(first)).toBe('0403-A50285BI');
    expect(usbPrinterId({ ...first, path: '/dev/ttyUSB3' })).toBe('0403-A50285BI');
    expect(usbPrinterId({ path: '/dev/ttyACM0', vendorId: '2c99', productId: '0002', location: '1-1.3' })).toBe('usb-2c99-0002-at-1-1.3');
    expect(configuredPort('dagoma-1=/tmp/sim0')).toEqual({ printerId: 'dagoma-1', path: '/tmp/sim0' });
    expect(configuredPort('/tmp/printfleet-sim-2')).toEqual({ printerId: 'printfleet-sim-2', path: '/tmp/printfleet-sim-2' });
  });

  it('reports printers plugged in and unplugged, and configured ports as they come and go', async () => {
    const dir = createTempDir();
    const sysfs = fakeSysfs(dir.path);
    const simPath = join(dir.path, 'sim0');
    const watcher = new HotplugWatcher({
      lister: () => listUsbTtysFromSysfs(dir.path, '/dev'),
      matcher: new UsbIdMatcher(),
      configured: [`bench=${simPath}`],
      logger,
      periodMs: 60_000, // scans are driven by the test
    });
    const added: DiscoveredPort[] = [];
    const removed: DiscoveredPort[] = [];
    watcher.on('added', (p) => added.push(p)).on('removed', (p) => removed.push(p));
    await watcher.start();
    expect(added.map((p) => p.printerId).sort()).toEqual(['0403-A50285BI', 'usb-2c99-0002-at-1-1.3']);

    writeFileSync(simPath, '');
    sysfs.unplugAcm();
    await watcher.scan();
    expect(added.at(-1)).toEqual({ path: simPath, printerId: 'bench', source: 'configured' });
    expect(removed.map((p) => p.path)).toEqual(['/dev/ttyACM0']);

    rmSync(simPath);
    const gone = once(watcher, 'removed');
    await watcher.scan();
    expect((await gone)[0]).toMatchObject({ printerId: 'bench' });
    watcher.stop();
    dir.remove();
  });

  it('keeps what it knew when a scan fails, instead of reporting every printer gone', async () => {
    let fail = false;
    const watcher = new HotplugWatcher({
      lister: async () => {
        if (fail) throw new Error('sysfs unreadable');
        return [{ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'X1' }];
      },
      matcher: new UsbIdMatcher(),
      configured: [],
      logger,
      periodMs: 60_000,
    });
    const removed: DiscoveredPort[] = [];
    watcher.on('removed', (p) => removed.push(p));
    await watcher.start();
    fail = true;
    await watcher.scan();
    expect(removed).toEqual([]);
    expect(watcher.current().map((p) => p.printerId)).toEqual(['0403-X1']);
    watcher.stop();
  });
});
