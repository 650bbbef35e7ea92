// @ts-check
/**
 * @typedef {{ actual: number, target: number, power?: number }} Heater
 * @typedef {{ printerId: string, agentId: string, state: string, seq: number, ts: string, reason?: string,
 *   displayName?: string, job?: { id: string, progress: number, fileName?: string, startedAt?: string } }} PrinterState
 * @typedef {{ ts: string, heaters: Record<string, Heater>,
 *   job?: { id: string, progress: number, elapsedS: number, remainingS: number | null, layer?: number } }} Telemetry
 * @typedef {{ type: string, printerId: string, ts: string, reason?: string, jobId?: string }} PrinterEvent
 * @typedef {{ printerId: string, state: PrinterState, agent: 'online' | 'offline' | 'unknown',
 *   telemetry: Telemetry | null, recentEvents: PrinterEvent[] }} PrinterView
 * @typedef {{ jobId: string, state: string, printerId?: string, fileId: string | null, fileName: string,
 *   progress?: number | null, reason?: string | null, ts: string }} JobChange
 * @typedef {{ printerId: string, ts: string, direction: 'tx' | 'rx', line: string }} ConsoleLine
 * @typedef {{ kind: string, printerId?: string, event?: PrinterEvent, job?: JobChange, line?: ConsoleLine }} FleetChange
 */

/**
 * The fleet as the gateway pushes it over /api/live. The socket sends a full snapshot on every
 * (re)connect, so after a drop the page never keeps a value it did not get again. While the
 * socket is down, `connected` is false and pages say their values may be out of date.
 */
export class LiveFleet {
  constructor() {
    /** @type {Map<string, PrinterView>} */
    this.printers = new Map();
    this.connected = false;
    /** True once the first snapshot arrived. */
    this.loaded = false;
    /** @type {Set<(change: FleetChange) => void>} */
    this.listeners = new Set();
    /** @type {WebSocket | null} */
    this.socket = null;
    this.retryMs = 500;
    this.stopped = false;
  }

  start() {
    this.stopped = false;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = 500;
    });
    socket.addEventListener('message', (e) => this.onMessage(JSON.parse(String(e.data))));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.connected = false;
      this.emit({ kind: 'link' });
      if (this.stopped) return;
      // Back off up to 10 s; a snapshot replaces everything once it is back.
      setTimeout(() => this.start(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    });
  }

  stop() {
    this.stopped = true;
    this.socket?.close();
    this.socket = null;
    this.connected = false;
    this.loaded = false;
    this.printers.clear();
  }

  /** @param {(change: FleetChange) => void} fn */
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** @param {any} m */
  onMessage(m) {
    if (m.type === 'snapshot') {
      this.printers = new Map(m.printers.map((/** @type {PrinterView} */ p) => [p.printerId, p]));
      this.connected = true;
      this.loaded = true;
      this.emit({ kind: 'snapshot' });
    } else if (m.type === 'printer') {
      this.printers.set(m.printer.printerId, m.printer);
      this.emit({ kind: 'printer', printerId: m.printer.printerId });
    } else if (m.type === 'removed') {
      this.printers.delete(m.printerId);
      this.emit({ kind: 'removed', printerId: m.printerId });
    } else if (m.type === 'event') {
      const p = this.printers.get(m.event.printerId);
      if (p) p.recentEvents = [...p.recentEvents, m.event].slice(-10);
      this.emit({ kind: 'event', printerId: m.event.printerId, event: m.event });
    } else if (m.type === 'job') {
      // Pages that show jobs refetch; the job-service stays the only truth about them.
      this.emit({ kind: 'job', job: m.job });
    } else if (m.type === 'console') {
      // Sent to admins only; the printer page's console shows it.
      this.emit({ kind: 'console', printerId: m.line.printerId, line: m.line });
    }
  }

  /** @param {FleetChange} change */
  emit(change) {
    for (const fn of this.listeners) fn(change);
  }
}
