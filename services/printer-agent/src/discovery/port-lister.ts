import type { Logger } from '@printfleet/logging';
import type { UsbPortInfo } from './discovered-port';
import { listUsbTtysFromSysfs } from './sysfs-port-lister';

export type UsbLister = () => Promise<UsbPortInfo[]>;

/** serialport's listing (udev), falling back to sysfs when udev tools are missing. */
export function createUsbLister(logger: Logger, sysRoot = '/sys', devRoot = '/dev'): UsbLister {
  let useSysfs = false;
  return async () => {
    if (!useSysfs) {
      try {
        const { SerialPort } = await import('serialport');
        const list = await SerialPort.list();
        return list
          .filter((p) => p.vendorId)
          .map((p) => ({
            path: p.path,
            vendorId: p.vendorId,
            productId: p.productId,
            serialNumber: p.serialNumber,
            manufacturer: p.manufacturer,
            location: p.locationId,
          }));
      } catch (err) {
        logger.info({ err: (err as Error).message }, 'serial port listing unavailable; scanning /sys/class/tty instead');
        useSysfs = true;
      }
    }
    return listUsbTtysFromSysfs(sysRoot, devRoot);
  };
}
