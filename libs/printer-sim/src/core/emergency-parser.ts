export type EmergencyCode = 'M108' | 'M112' | 'M410';

/**
 * Marlin's EMERGENCY_PARSER (feature/e_parser.h): watches every received byte, before the RX
 * ring, for M108 / M112 / M410 alone on a line (an `N<n>` prefix allowed), so they act even
 * when the command queue is full or a command blocks.
 */
export class EmergencyParser {
  private buf = '';

  reset(): void {
    this.buf = '';
  }

  /** Feed one byte; returns the command when a line that is one of them ends. */
  feed(byte: number): EmergencyCode | undefined {
    if (byte === 0x0a || byte === 0x0d) {
      const line = this.buf;
      this.reset();
      const m = /^\s*(?:N\d+\s*)?(M108|M112|M410)(?![0-9])/.exec(line);
      return m ? (m[1] as EmergencyCode) : undefined;
    }
    // The command word sits near the start of its line; the rest does not matter.
    if (this.buf.length < 24) this.buf += String.fromCharCode(byte);
    return undefined;
  }
}
