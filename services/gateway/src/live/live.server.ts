import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { WebSocket, WebSocketServer } from 'ws';
import { AuthService } from '../auth/auth.service';
import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import type { Principal } from '../auth/principal';
import { JobChangeFeed } from '../jobs/job-change-feed.service';
import { ConsoleFeed } from '../printers/console-feed.service';
import { PrinterRegistry } from '../printers/printer-registry';
import type { RegistryChange } from '../printers/printer-view';
import type { LiveMessage } from './live-messages';

export const LIVE_PATH = '/api/live';
/** A client this far behind is cut off; it reconnects and starts again from a snapshot. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PING_INTERVAL_MS = 30_000;

interface Client {
  socket: WebSocket;
  principal: Principal;
  alive: boolean;
}

/**
 * `/api/live`: printer state, telemetry and events, and job changes from the job-service, pushed
 * to browsers as they arrive on MQTT.
 * Authenticated by the session cookie at the upgrade; the Origin must be this host, so another
 * site cannot open a socket with the user's cookie (cross-site WebSocket hijacking). Every role
 * may watch every printer, so every client gets every change, except printer consoles: admins only.
 */
@Injectable()
export class LiveServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly clients = new Set<Client>();
  private server: Server | null = null;
  private pinger: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void)[] = [];
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    void this.upgrade(req, socket, head);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly registry: PrinterRegistry,
    private readonly jobChanges: JobChangeFeed,
    private readonly consoles: ConsoleFeed,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
    this.unsubscribe = [
      this.registry.onChange((change) => this.broadcast(toMessage(change))),
      // Every role may read every job (viewers read), so every client gets every change.
      this.jobChanges.onChange((job) => this.broadcast({ type: 'job', job })),
      // The console shows raw G-code traffic: admins only, like sending it.
      this.consoles.subscribe((line) => this.broadcast({ type: 'console', line }, (c) => c.principal.role === 'admin')),
    ];
    this.pinger = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.pinger.unref();
  }

  onModuleDestroy(): void {
    this.server?.off('upgrade', this.onUpgrade);
    for (const off of this.unsubscribe) off();
    if (this.pinger) clearInterval(this.pinger);
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    this.wss.close();
  }

  /** Logging out closes that session's sockets at once. */
  closeSession(tokenHash: string): void {
    for (const c of this.clients)
      if (c.principal.session?.tokenHash === tokenHash) c.socket.close(4001, 'logged out');
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_PATH) return refuse(socket, 404, 'Not Found');
    if (!sameOrigin(req)) return refuse(socket, 403, 'Forbidden');
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const principal = token ? await this.auth.authenticate(token).catch(() => null) : null;
    if (!principal) return refuse(socket, 401, 'Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, principal));
  }

  private accept(socket: WebSocket, principal: Principal): void {
    const client: Client = { socket, principal, alive: true };
    this.clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', (err) => this.logger.debug({ err: err.message }, 'live socket error'));
    // Clients have nothing to say; anything they send is ignored.
    this.send(client, { type: 'snapshot', printers: this.registry.list() });
  }

  private broadcast(message: LiveMessage, to: (c: Client) => boolean = () => true): void {
    if (this.clients.size === 0) return;
    let text: string | null = null;
    for (const c of this.clients) if (to(c)) this.sendText(c, (text ??= JSON.stringify(message)));
  }

  private send(client: Client, message: LiveMessage): void {
    this.sendText(client, JSON.stringify(message));
  }

  private sendText(client: Client, text: string): void {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.socket.terminate();
      return;
    }
    client.socket.send(text);
  }

  private ping(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }
}

function toMessage(change: RegistryChange): LiveMessage {
  switch (change.kind) {
    case 'printer':
      return { type: 'printer', printer: change.printer };
    case 'removed':
      return { type: 'removed', printerId: change.printerId };
    case 'event':
      return { type: 'event', event: change.event };
  }
}

/** Browsers always send Origin on WebSocket upgrades; tools that send none are not browsers. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
