import { slugifyId } from '@printfleet/contracts';
import type { UsbPortInfo } from './discovered-port';

/**
 * A printer's id must survive re-plugs and reboots, which `ttyUSBx` numbering does not (the
 * old tool's mistake). The USB serial number is stable; without one, the physical USB location
 * is (same socket, same id); the device path is the last resort.
 */
export function usbPrinterId(port: UsbPortInfo): string {
  const candidates = [
    port.serialNumber && `${port.vendorId ?? 'usb'}-${port.serialNumber}`,
    port.location && `usb-${port.vendorId ?? 'x'}-${port.productId ?? 'x'}-at-${port.location}`,
    port.path.split('/').pop(),
  ];
  for (const candidate of candidates) {
    const id = candidate ? slugifyId(candidate) : null;
    if (id) return id;
  }
  return 'printer';
}

/** `name=/dev/path` or `/dev/path` (id from the file name), as PRINTFLEET_PORTS lists them. */
export function configuredPort(entry: string): { printerId: string; path: string } {
  const eq = entry.indexOf('=');
  const name = eq > 0 ? entry.slice(0, eq) : (entry.split('/').pop() ?? '');
  const path = eq > 0 ? entry.slice(eq + 1) : entry;
  const printerId = slugifyId(name);
  if (!printerId) throw new Error(`cannot make a printer id from "${name}" in "${entry}"`);
  return { printerId, path };
}
