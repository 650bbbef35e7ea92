import { EventEmitter } from 'node:events';
import { access } from 'node:fs/promises';
import type { Logger } from '@printfleet/logging';
import type { DiscoveredPort } from './discovered-port';
import { configuredPort, usbPrinterId } from './printer-identity';
import type { UsbLister } from './port-lister';
import type { UsbIdMatcher } from './usb-id-matcher';

export interface HotplugOptions {
  lister: UsbLister;
  matcher: UsbIdMatcher;
  /** PRINTFLEET_PORTS entries: `name=/path` or `/path`. */
  configured: readonly string[];
  logger: Logger;
  /** Polling period; one scan costs a directory walk, cheap enough for 1 s on a Pi. */
  periodMs?: number;
}

export interface HotplugEvents {
  added: [DiscoveredPort];
  removed: [DiscoveredPort];
}

/**
 * Polls for printers and reports what appeared and disappeared since the last scan. Polling
 * (not udev events) works the same on a Pi, in a container and with simulator PTYs, and a
 * 1 s period keeps "plugged in → appears" and "unplugged → offline" well inside 3 s.
 */
export class HotplugWatcher extends EventEmitter<HotplugEvents> {
  private known = new Map<string, DiscoveredPort>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;

  constructor(private readonly options: HotplugOptions) {
    super();
  }

  async start(): Promise<void> {
    await this.scan();
    this.timer = setInterval(() => void this.scan(), this.options.periodMs ?? 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  current(): DiscoveredPort[] {
    return [...this.known.values()];
  }

  /** One scan; concurrent callers share it. */
  scan(): Promise<void> {
    this.scanning ??= this.doScan().finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async doScan(): Promise<void> {
    const found = new Map<string, DiscoveredPort>();
    try {
      for (const usb of await this.options.lister()) {
        if (!this.options.matcher.matches(usb.vendorId, usb.productId)) continue;
        found.set(usb.path, { ...usb, printerId: usbPrinterId(usb), source: 'usb' });
      }
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'USB scan failed');
      return; // keep what we knew rather than report every printer gone
    }
    for (const entry of this.options.configured) {
      const { printerId, path } = configuredPort(entry);
      if (await exists(path)) found.set(path, { path, printerId, source: 'configured' });
    }
    for (const [path, port] of this.known) {
      if (!found.has(path)) {
        this.known.delete(path);
        this.emit('removed', port);
      }
    }
    for (const [path, port] of found) {
      if (!this.known.has(path)) {
        this.known.set(path, port);
        this.emit('added', port);
      }
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
