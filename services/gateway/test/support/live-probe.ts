/* eslint-disable @typescript-eslint/no-explicit-any -- test helpers read JSON answers loosely; the assertions check the shapes */
import WebSocket from 'ws';

type Message = { type: string; [key: string]: any };

/** A WebSocket client of /api/live that records messages, so tests await them instead of sleeping. */
export class LiveProbe {
  readonly messages: Message[] = [];
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Message;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
    });
  }

  static connect(base: string, cookie: string): Promise<LiveProbe> {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/live`, { headers: { cookie } });
    const probe = new LiveProbe(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(probe));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  /** The first message (already received or future) that passes `match`. */
  waitFor(
    match: (m: Message) => boolean,
    what = 'a matching live message',
    timeoutMs = 10_000,
  ): Promise<Message> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Waits for a printer update whose view passes `match`, looking only at messages from now on. */
  nextPrinter(
    printerId: string,
    match: (p: any) => boolean,
    what = `an update of ${printerId}`,
  ): Promise<any> {
    const from = this.messages.length;
    return new Promise((resolve, reject) => {
      const test = (m: Message) =>
        (m.type === 'printer' && m.printer.printerId === printerId && match(m.printer)) ||
        (m.type === 'snapshot' && m.printers.some((p: any) => p.printerId === printerId && match(p)));
      const pick = (m: Message) =>
        m.type === 'printer' ? m.printer : m.printers.find((p: any) => p.printerId === printerId);
      const seen = this.messages.slice(from).find(test);
      if (seen) return resolve(pick(seen));
      const timer = setTimeout(() => reject(new Error(`no ${what} within 10 s`)), 10_000);
      this.waiters.push({ match: test, resolve: (m) => (clearTimeout(timer), resolve(pick(m))) });
    });
  }

  close(): void {
    this.socket.close();
  }
}
