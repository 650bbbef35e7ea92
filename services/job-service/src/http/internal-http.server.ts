import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { AuditRepository } from '../audit/audit.repository';
import { JobServiceError } from '../errors';
import { FileLibraryService } from '../files/file-library.service';
import { HistoryRepository } from '../history/history.repository';
import { JobQueueService } from '../jobs/job-queue.service';
import { PrinterSettingsPublisher } from '../printers/printer-settings.publisher';
import { PrinterRepository } from '../printers/printer.repository';
import { JOB_SETTINGS, type JobSettings } from '../settings';
import { TemperatureRepository } from '../temperatures/temperature.repository';
import { ERROR_STATUS } from './error-status';
import { InternalAuth } from './internal-token';
import { buildRoutes } from './routes';
import { matchRoute, type Route } from './router';

/**
 * The job-service's internal HTTP API (for the gateway, and file downloads for agents), on its
 * own port. Every route but `/health` needs `Authorization: Bearer <internal token>`; a file's
 * content may instead be fetched with the signed link sent in cmd/start.
 */
@Injectable()
export class InternalHttpServer implements OnApplicationBootstrap, OnModuleDestroy {
  private server: Server | null = null;
  private readonly routes: Route[];
  private readonly log: Logger;

  constructor(
    private readonly auth: InternalAuth,
    library: FileLibraryService,
    queue: JobQueueService,
    history: HistoryRepository,
    printers: PrinterRepository,
    printerSettings: PrinterSettingsPublisher,
    audit: AuditRepository,
    temperatures: TemperatureRepository,
    @Inject(JOB_SETTINGS) private readonly settings: JobSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'internal-http' });
    this.routes = buildRoutes({ library, queue, history, printers, printerSettings, audit, temperatures, maxUploadBytes: settings.maxUploadBytes, temperatureSampleMs: settings.temperatureSampleMs });
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    // Uploads of a 1 GiB file over a slow link must not be cut by Node's default 5-minute request timeout.
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.settings.http.port, this.settings.http.host, () => (server.off('error', reject), resolve()));
    });
    this.server = server;
    this.log.info({ port: this.port, host: this.settings.http.host }, 'internal HTTP listening');
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://internal');
    try {
      const match = matchRoute(this.routes, req.method ?? 'GET', url.pathname);
      if (!match) throw new JobServiceError('NOT_FOUND', `no route ${req.method} ${url.pathname}`);
      const bearer = this.auth.checkBearer(req.headers.authorization);
      const signed = url.pathname.endsWith('/content') && this.auth.checkDownload(match.params.id ?? '', url.searchParams.get('expires'), url.searchParams.get('sig'));
      if (!bearer && !(match.route.public && (match.route.path === '/health' || signed)))
        throw new JobServiceError('UNAUTHORIZED', 'missing or wrong internal token (Authorization: Bearer …) or download signature');
      const actor = typeof req.headers['x-requested-by'] === 'string' && req.headers['x-requested-by'] ? req.headers['x-requested-by'].slice(0, 200) : 'internal';
      const out = await match.route.handler({ req, res, params: match.params, query: url.searchParams, actor });
      if (out !== undefined && !res.headersSent) {
        const text = JSON.stringify(out);
        res.writeHead(res.statusCode || 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      }
    } catch (err) {
      this.fail(req, res, err);
    }
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    const known = err instanceof JobServiceError;
    const status = known ? ERROR_STATUS[err.code] : 500;
    if (!known) this.log.error({ err: (err as Error).message, url: req.url }, 'internal HTTP request failed');
    if (res.headersSent) return void res.destroy();
    const text = JSON.stringify({ error: { code: known ? err.code : 'INTERNAL', message: known ? err.message : 'internal error' } });
    // An upload refused midway: say why, then close instead of reading the rest of a large body.
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
    res.end(text);
    if (!req.complete) req.resume();
  }
}
