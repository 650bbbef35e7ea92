import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import type { Aedes, AuthenticateError, Client } from 'aedes' with { 'resolution-mode': 'import' };
import { createWebSocketStream, WebSocketServer } from 'ws';
import { HOMEASSISTANT_ROOT, MAX_PAYLOAD_BYTES, parseTopic } from '@printfleet/contracts';
import type { Logger } from '@printfleet/logging';
import type { AccountStore, MqttAccount } from '@printfleet/mqtt-accounts';
import { authorizeDelivery, authorizePublish, authorizeSubscribe, type AclOptions } from './acl';
import { PrinterClaims } from './printer-claims';

export interface BrokerOptions {
  accounts: AccountStore;
  logger: Logger;
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** MQTT over WebSocket at path `/mqtt`; 0 picks a free port, null disables it. */
  wsPort: number | null;
  dataDir: string;
  /** Home Assistant's discovery prefix, where the gateway may publish (default `homeassistant`). */
  discoveryPrefix?: string;
}

export interface RunningBroker {
  port: number;
  wsPort: number | null;
  aedes: Aedes;
  /** Stops; `drainMs` lets in-flight messages reach subscribers first (a clean shutdown). */
  close(drainMs?: number): Promise<void>;
}

/** Deepest public topic is 7 levels; Home Assistant's are 5. Aedes' own ceiling is 100. */
export const MAX_TOPIC_LEVELS = 16;
/** One stalled subscriber may delay delivery to others for at most this long, then it is dropped. */
export const DRAIN_TIMEOUT_MS = 10_000;

/** Aedes 1.x is ESM-only: load it with a native dynamic import from this CommonJS package. */
async function loadAedes(): Promise<typeof import('aedes', { with: { 'resolution-mode': 'import' } })> {
  return import('aedes');
}

function authError(returnCode: 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function listen(server: TcpServer | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const closeServer = (server: TcpServer | HttpServer) => new Promise<void>((resolve) => server.close(() => resolve()));

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { accounts, logger } = options;
  const host = options.host ?? '0.0.0.0';
  const claims = new PrinterClaims(join(options.dataDir, 'mqtt', 'printer-claims.json'));
  const principals = new WeakMap<Client, MqttAccount>();
  const acl: AclOptions = { discoveryPrefix: options.discoveryPrefix ?? HOMEASSISTANT_ROOT };
  const { Aedes } = await loadAedes();

  const aedes = await Aedes.createBroker({
    drainTimeout: DRAIN_TIMEOUT_MS,
    maxTopicLevels: MAX_TOPIC_LEVELS,
    maxClientsIdLength: 128,
    authenticate: (client, username, password, done) => {
      if (!username || !password) {
        logger.warn({ clientId: client.id }, 'refused anonymous MQTT client');
        return done(authError(4, 'username and password required'), false);
      }
      accounts.authenticate(username, password.toString()).then(
        (account) => {
          if (!account) {
            logger.warn({ clientId: client.id, username }, 'refused MQTT client: bad username or password');
            return done(authError(4, 'bad username or password'), false);
          }
          principals.set(client, account);
          done(null, true);
        },
        (err: Error) => done(authError(5, err.message), false),
      );
    },
    authorizePublish: (client, packet, done) => {
      const who = client ? principals.get(client) : undefined;
      if (!who) return done(new Error('not authenticated'));
      if (packet.payload.length > MAX_PAYLOAD_BYTES) {
        logger.warn({ username: who.username, topic: packet.topic, bytes: packet.payload.length }, 'payload too large');
        return done(new Error(`payload larger than ${MAX_PAYLOAD_BYTES} bytes`));
      }
      const decision = authorizePublish(who, packet.topic, packet.retain, claims, acl);
      if (!decision.allowed) {
        logger.warn({ username: who.username, topic: packet.topic }, decision.reason);
        return done(new Error(decision.reason));
      }
      // An agent clearing a printer's retained state gives the printer up (see PrinterClaims).
      const parsed = parseTopic(packet.topic);
      if (who.role === 'agent' && packet.retain && packet.payload.length === 0 && parsed?.kind === 'printer-stream')
        claims.release(parsed.printerId, who.agentId!);
      done(null);
    },
    authorizeSubscribe: (client, sub, done) => {
      const who = client ? principals.get(client) : undefined;
      const decision = who ? authorizeSubscribe(who, sub.topic, acl) : { allowed: false as const, reason: 'not authenticated' };
      if (!decision.allowed) {
        logger.warn({ username: who?.username, filter: sub.topic }, decision.reason);
        return done(null, null); // negative SUBACK (0x80), MQTT 3.1.1 §3.9.3
      }
      done(null, sub);
    },
    authorizeForward: (client, packet) => {
      const who = principals.get(client);
      return who && authorizeDelivery(who, packet.topic, claims) ? packet : undefined;
    },
  });

  aedes.on('clientError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'client error'));
  aedes.on('client', (client) => logger.debug({ clientId: client.id, username: principals.get(client)?.username }, 'client connected'));

  const tcp = createTcpServer((socket) => aedes.handle(socket));
  const port = await listen(tcp, options.port, host);

  let http: HttpServer | null = null;
  let wss: WebSocketServer | null = null;
  let wsPort: number | null = null;
  if (options.wsPort !== null) {
    http = createHttpServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: use path /mqtt\n'));
    wss = new WebSocketServer({ server: http, path: '/mqtt', maxPayload: MAX_PAYLOAD_BYTES + 1024 });
    wss.on('connection', (ws, req) => aedes.handle(createWebSocketStream(ws), req));
    wsPort = await listen(http, options.wsPort, host);
  }
  logger.info({ port, wsPort }, 'MQTT broker listening');

  return {
    port,
    wsPort,
    aedes,
    async close(drainMs = 0) {
      // Aedes acknowledges a QoS 1 PUBLISH before it forwards it, so the last words of a
      // service that just stopped (its `offline`) may still be on their way to subscribers:
      // stop accepting connections, give forwarding a moment, then close everything.
      const closing = Promise.all([closeServer(tcp), http ? closeServer(http) : Promise.resolve()]);
      if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
      wss?.clients.forEach((ws) => ws.terminate());
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await closing;
    },
  };
}
