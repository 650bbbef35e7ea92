/** A serial port that may hold a printer, as discovery sees it. */
export interface DiscoveredPort {
  /** Device path to open, e.g. `/dev/ttyUSB0` or a simulator's PTY link. */
  path: string;
  /** Fleet-wide printer id: from the USB serial number, or the configured name. */
  printerId: string;
  source: 'usb' | 'configured';
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
}

/** What a USB lister reports for one tty (a subset of serialport's PortInfo). */
export interface UsbPortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** Physical location (e.g. `1-1.2`), used when a device has no serial number. */
  location?: string;
}
