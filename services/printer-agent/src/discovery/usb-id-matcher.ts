/**
 * USB vendor:product ids of printer serial chips. `*` matches any product of a vendor.
 * Defaults: the lab's FTDI (0403:6001), CH340 (1a86:7523), Prusa (2c99:*), Arduino (2341:*),
 * CP210x (10c4:ea60), STM32 CDC (0483:5740).
 */
export const DEFAULT_USB_IDS = ['0403:6001', '1a86:7523', '2c99:*', '2341:*', '10c4:ea60', '0483:5740'];

const PATTERN = /^([0-9a-f]{4}):([0-9a-f]{4}|\*)$/;

export class UsbIdMatcher {
  private readonly patterns: { vendor: string; product: string }[];

  constructor(patterns: readonly string[] = DEFAULT_USB_IDS) {
    this.patterns = patterns.map((p) => {
      const m = PATTERN.exec(p.trim().toLowerCase());
      if (!m) throw new Error(`invalid USB id "${p}": expected vvvv:pppp or vvvv:* in hex`);
      return { vendor: m[1]!, product: m[2]! };
    });
  }

  matches(vendorId: string | undefined, productId: string | undefined): boolean {
    if (!vendorId || !productId) return false;
    const v = vendorId.toLowerCase();
    const p = productId.toLowerCase();
    return this.patterns.some((pattern) => pattern.vendor === v && (pattern.product === '*' || pattern.product === p));
  }
}
