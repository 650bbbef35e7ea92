import { createReadStream } from 'node:fs';
import { isValidId } from '@printfleet/contracts';
import { pipeline } from 'node:stream/promises';
import { AuditRepository } from '../audit/audit.repository';
import { invalid } from '../errors';
import { FileLibraryService } from '../files/file-library.service';
import { HistoryRepository, type HistoryFilter } from '../history/history.repository';
import { CSV_HEADER, csvRow } from '../history/jobs-csv';
import { JobQueueService } from '../jobs/job-queue.service';
import { PrinterSettingsPublisher } from '../printers/printer-settings.publisher';
import { PrinterRepository } from '../printers/printer.repository';
import { TemperatureRepository } from '../temperatures/temperature.repository';
import { cancelSchema, createJobsSchema, moveSchema, parseBody, profileSchema, reprintSchema, statsSeriesSchema } from './request-schemas';
import { readJson } from './json-body';
import type { RequestContext, Route } from './router';
import { readUploadBody } from './upload-body';

export interface RouteDeps {
  library: FileLibraryService;
  queue: JobQueueService;
  history: HistoryRepository;
  printers: PrinterRepository;
  printerSettings: PrinterSettingsPublisher;
  audit: AuditRepository;
  temperatures: TemperatureRepository;
  maxUploadBytes: number;
  temperatureSampleMs: number;
}

function page(q: URLSearchParams): { limit: number; offset: number } {
  const limit = Number(q.get('limit') ?? 50);
  const offset = Number(q.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalid('limit: 1 to 500');
  if (!Number.isInteger(offset) || offset < 0) throw invalid('offset: 0 or more');
  return { limit, offset };
}

function isoParam(q: URLSearchParams, key: string): string | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`${key}: an ISO 8601 date or time`);
  return new Date(t).toISOString();
}

function historyFilter(q: URLSearchParams): HistoryFilter {
  return {
    printerId: q.get('printerId') ?? undefined,
    user: q.get('user') ?? undefined,
    fileId: q.get('fileId') ?? undefined,
    fileName: q.get('fileName') ?? undefined,
    states: q.get('state')?.split(',').filter(Boolean),
    from: isoParam(q, 'from'),
    to: isoParam(q, 'to'),
  };
}

const DAY_MS = 24 * 3600_000;

/**
 * `from`/`to` (ISO; `to` defaults to now, `from` to a day before `to` unless a job is asked for,
 * whose samples are few), `jobId`, `limit` (default 10,000, at most 50,000; `truncated` says more
 * were there).
 */
function temperatureQuery(printerId: string, q: URLSearchParams) {
  if (!isValidId(printerId)) throw invalid(`printer id ${JSON.stringify(printerId)} is not valid`);
  const jobId = q.get('jobId') ?? undefined;
  if (jobId !== undefined && !isValidId(jobId)) throw invalid(`jobId ${JSON.stringify(jobId)} is not valid`);
  const limit = Number(q.get('limit') ?? 10_000);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50_000) throw invalid('limit: 1 to 50000');
  let to = isoParam(q, 'to');
  let from = isoParam(q, 'from');
  if (!jobId) {
    to ??= new Date().toISOString();
    from ??= new Date(Date.parse(to) - DAY_MS).toISOString();
  }
  if (from && to && from > to) throw invalid('from must not be after to');
  return { printerId, jobId, from, to, limit };
}

/** RFC 6266 / 5987: an ASCII fallback and the exact UTF-8 name. */
const contentDisposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Every route of the internal API, one line of wiring each; the rules live in the services. */
export function buildRoutes(d: RouteDeps): Route[] {
  const body = async <T>(ctx: RequestContext, parse: (b: unknown) => T) => parse(await readJson(ctx.req));
  return [
    { method: 'GET', path: '/health', public: true, handler: async () => ({ ok: true }) },

    {
      method: 'POST',
      path: '/files',
      handler: async (ctx) => {
        const upload = await readUploadBody(ctx.req, d.maxUploadBytes);
        const folder = upload.fields.folder ?? ctx.query.get('folder') ?? null;
        const tags = (upload.fields.tags ?? ctx.query.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
        const out = await d.library.upload({ content: upload.content, name: upload.name, uploadedBy: ctx.actor, folder, tags });
        ctx.res.statusCode = out.duplicate ? 200 : 201;
        return out;
      },
    },
    { method: 'GET', path: '/files', handler: async (ctx) => d.library.list({ search: ctx.query.get('search') ?? undefined, folder: ctx.query.get('folder') ?? undefined, ...page(ctx.query) }) },
    { method: 'GET', path: '/files/:id', handler: async (ctx) => d.library.detail(ctx.params.id!) },
    {
      method: 'DELETE',
      path: '/files/:id',
      handler: async (ctx) => {
        await d.library.delete(ctx.params.id!, ctx.actor);
        return { deleted: ctx.params.id };
      },
    },
    {
      // Bearer token, or the signed link from cmd/start (checked by the server before this runs).
      method: 'GET',
      path: '/files/:id/content',
      public: true,
      handler: async (ctx) => {
        const { file, path } = await d.library.contentPath(ctx.params.id!);
        ctx.res.writeHead(200, {
          'Content-Type': 'text/x-gcode; charset=utf-8',
          'Content-Length': String(file.size),
          'Content-Disposition': contentDisposition(file.name),
          ETag: `"${file.sha256}"`,
          'X-Content-Sha256': file.sha256,
          'Cache-Control': 'private, max-age=31536000, immutable',
        });
        await pipeline(createReadStream(path), ctx.res);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: '/files/:id/thumbnail',
      handler: async (ctx) => {
        const index = Number(ctx.query.get('index') ?? 0);
        if (!Number.isInteger(index) || index < 0) throw invalid('index: 0 or more (0 is the largest)');
        const t = await d.library.thumbnail(ctx.params.id!, index);
        ctx.res.writeHead(200, { 'Content-Type': t.mimeType, 'Content-Length': String(t.data.length), 'Cache-Control': 'private, max-age=86400' });
        ctx.res.end(t.data);
        return undefined;
      },
    },

    {
      method: 'POST',
      path: '/jobs',
      handler: async (ctx) => {
        const req = await body(ctx, (b) => parseBody(createJobsSchema, b));
        ctx.res.statusCode = 201;
        return { jobs: await d.queue.create({ ...req, requestedBy: ctx.actor }) };
      },
    },
    { method: 'GET', path: '/jobs', handler: async (ctx) => d.history.search(historyFilter(ctx.query), page(ctx.query).limit, page(ctx.query).offset) },
    {
      method: 'GET',
      path: '/jobs.csv',
      handler: async (ctx) => {
        const filter = historyFilter(ctx.query);
        ctx.res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="printfleet-jobs.csv"' });
        ctx.res.write(CSV_HEADER);
        for await (const job of d.history.scan(filter)) if (!ctx.res.write(csvRow(job))) await new Promise((r) => ctx.res.once('drain', r));
        ctx.res.end();
        return undefined;
      },
    },
    { method: 'GET', path: '/jobs/:id', handler: async (ctx) => d.queue.get(ctx.params.id!) },
    { method: 'POST', path: '/jobs/:id/cancel', handler: async (ctx) => d.queue.cancel(ctx.params.id!, ctx.actor, (await body(ctx, (b) => parseBody(cancelSchema, b))).reason) },
    { method: 'POST', path: '/jobs/:id/hold', handler: async (ctx) => d.queue.hold(ctx.params.id!, ctx.actor) },
    { method: 'POST', path: '/jobs/:id/release', handler: async (ctx) => d.queue.release(ctx.params.id!, ctx.actor) },
    {
      method: 'POST',
      path: '/jobs/:id/move',
      handler: async (ctx) => ({ queue: await d.queue.move(ctx.params.id!, (await body(ctx, (b) => parseBody(moveSchema, b))).position, ctx.actor) }),
    },
    {
      method: 'POST',
      path: '/jobs/:id/reprint',
      handler: async (ctx) => {
        const req = await body(ctx, (b) => parseBody(reprintSchema, b));
        ctx.res.statusCode = 201;
        return d.queue.reprint(ctx.params.id!, ctx.actor, req.printerId);
      },
    },
    { method: 'GET', path: '/queue', handler: async () => ({ items: await d.queue.queue() }) },

    { method: 'GET', path: '/printers', handler: async () => ({ items: await d.printers.list() }) },
    {
      method: 'GET',
      path: '/printers/:id/temperatures',
      handler: async (ctx) => {
        const q = temperatureQuery(ctx.params.id!, ctx.query);
        const { items, truncated } = await d.temperatures.list(q);
        return { printerId: q.printerId, jobId: q.jobId ?? null, from: q.from ?? null, to: q.to ?? null, sampleIntervalS: d.temperatureSampleMs / 1000, items, truncated };
      },
    },
    {
      method: 'PUT',
      path: '/printers/:id/profile',
      handler: async (ctx) => {
        const id = ctx.params.id!;
        // The id becomes a topic level of the settings message: refuse what the contract would.
        if (!isValidId(id)) throw invalid(`printer id ${JSON.stringify(id)} is not valid`);
        const update = await body(ctx, (b) => parseBody(profileSchema, b));
        await d.printers.updateProfile(id, update);
        // After the commit, not awaited: the answer must not wait for the broker (queued in order).
        void d.printerSettings.changed(id);
        await d.audit.record(ctx.actor, 'printer.profile', 'printer', id, update);
        return d.printers.get(id);
      },
    },

    {
      method: 'GET',
      path: '/stats',
      // Jobs count by the time they ended; `bucket` (day, week, month) and `tz` (IANA) cut the series.
      handler: async (ctx) => {
        const f = historyFilter(ctx.query);
        if (f.from && f.to && f.from >= f.to) throw invalid('from must be before to');
        const series = parseBody(statsSeriesSchema, { bucket: ctx.query.get('bucket') ?? undefined, tz: ctx.query.get('tz') ?? undefined });
        return d.history.stats(f, series);
      },
    },
    { method: 'GET', path: '/audit', handler: async (ctx) => ({ items: await d.audit.list(page(ctx.query).limit, page(ctx.query).offset) }) },
  ];
}
