import { readdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { UsbPortInfo } from './discovered-port';

async function readAttr(dir: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lists USB serial ttys from sysfs, for machines without `udevadm` (containers), where
 * serialport's own `list()` fails with `spawn udevadm ENOENT`. For each tty whose `device`
 * link leads to a USB interface, the USB device dir above it holds idVendor/idProduct/serial.
 */
export async function listUsbTtysFromSysfs(sysRoot = '/sys', devRoot = '/dev'): Promise<UsbPortInfo[]> {
  const classDir = join(sysRoot, 'class', 'tty');
  let names: string[];
  try {
    names = await readdir(classDir);
  } catch {
    return [];
  }
  const ports: UsbPortInfo[] = [];
  for (const name of names) {
    let dir: string;
    try {
      dir = await realpath(join(classDir, name, 'device'));
    } catch {
      continue; // virtual ttys (tty0, ptmx…) have no device
    }
    for (let up = dir; up.length > sysRoot.length && up !== dirname(up); up = dirname(up)) {
      const vendorId = await readAttr(up, 'idVendor');
      if (!vendorId) continue;
      ports.push({
        path: join(devRoot, name),
        vendorId,
        productId: await readAttr(up, 'idProduct'),
        serialNumber: await readAttr(up, 'serial'),
        manufacturer: await readAttr(up, 'manufacturer'),
        product: await readAttr(up, 'product'),
        location: basename(up),
      });
      break;
    }
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path));
}
