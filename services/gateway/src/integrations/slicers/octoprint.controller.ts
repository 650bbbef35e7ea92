import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Caller, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { parseBody } from '../../http/parse-body';
import { PrinterRegistry } from '../../printers/printer-registry';
import type { PrinterView } from '../../printers/printer-view';
import { isTrue } from './form-fields';
import { octoJob, octoPrinter, octoPrintVersion, octoState } from './octoprint-views';
import { SlicerUploads, type SlicerUpload } from './slicer-upload.service';
import { encodePath, folderFromOctoPrintPath, octoPrintPath } from './upload-folder';

const PRINTFLEET_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** Each route also under `/printers/{id}/`: that printer's own base URL for a slicer. */
const routes = (path: string) => [path, `printers/:printerId/${path}`];

const fileCommandSchema = z.object({ command: z.string(), print: z.boolean().optional() }).loose();

/**
 * The part of OctoPrint's REST API that slicers call, so PrusaSlicer, SuperSlicer, OrcaSlicer
 * ("OctoPrint" host type) and Cura's OctoPrint plugin upload to printfleet as they are. The
 * caller is a printfleet API key in `X-Api-Key`, checked by the global guard like everywhere.
 */
@ApiTags('slicers (OctoPrint API)')
@Controller()
export class OctoPrintController {
  constructor(
    private readonly uploads: SlicerUploads,
    private readonly printers: PrinterRegistry,
  ) {}

  @Get(routes('api/version'))
  @ApiOperation({ summary: 'OctoPrint: server version (slicers check that the key works and this is "OctoPrint")' })
  version(@Caller() caller: Principal, @Param('printerId') printerId?: string) {
    this.uploads.target(caller, printerId);
    return octoPrintVersion(PRINTFLEET_VERSION);
  }

  @Get(routes('api/settings'))
  @ApiOperation({ summary: 'OctoPrint: settings, as far as Cura reads them (no SD card, no webcam)' })
  settings(@Caller() caller: Principal, @Param('printerId') printerId?: string) {
    this.uploads.target(caller, printerId);
    return { api: { allowCrossOrigin: false }, feature: { sdSupport: false }, webcam: { webcamEnabled: false }, plugins: {} };
  }

  @Post(routes('api/login'))
  @HttpCode(200)
  @ApiOperation({ summary: 'OctoPrint: passive login, the name of the key’s owner' })
  login(@Caller() caller: Principal) {
    return { name: caller.name, active: true, admin: caller.role === 'admin', groups: [caller.role], permissions: [] };
  }

  @Get(routes('api/printerprofiles'))
  @ApiOperation({ summary: 'OctoPrint: the one printer profile (the printer of this URL or key, else the fleet)' })
  profiles(@Caller() caller: Principal, @Param('printerId') printerId?: string) {
    const target = this.uploads.target(caller, printerId);
    const view = target ? this.printers.get(target) : null;
    const axis = (speed: number) => ({ speed, inverted: false });
    return {
      profiles: {
        _default: {
          id: '_default',
          name: view?.state.displayName ?? target ?? 'printfleet',
          model: view?.state.firmware?.name ?? 'printfleet',
          current: true,
          default: true,
          heatedBed: true,
          extruder: { count: 1 },
          axes: { x: axis(6000), y: axis(6000), z: axis(200), e: axis(300) },
        },
      },
    };
  }

  @Get(routes('api/printer'))
  @ApiOperation({ summary: 'OctoPrint: printer state and temperatures (409 while the printer is not connected)' })
  printer(@Caller() caller: Principal, @Param('printerId') printerId?: string) {
    const view = this.view(caller, printerId);
    if (!octoState(view).connected) throw new HttpException('Printer is not operational', 409);
    return octoPrinter(view);
  }

  @Get(routes('api/job'))
  @ApiOperation({ summary: 'OctoPrint: the current job of the printer (the fleet: none)' })
  job(@Caller() caller: Principal, @Param('printerId') printerId?: string) {
    return octoJob(this.view(caller, printerId));
  }

  @Post(routes('api/files/local'))
  @Roles('maker', 'operator', 'admin')
  @ApiOperation({
    summary:
      'OctoPrint: upload (multipart `file`, `path`, `select`, `print`), streamed to the job-service; `path` (before the file) is the file’s folder in the library; print=true queues a job (this URL’s or key’s printer, else the fleet queue). 201 with Location',
  })
  async upload(
    @Caller() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Param('printerId') printerId?: string,
  ) {
    const target = this.uploads.target(caller, printerId);
    const up = await this.uploads.upload(
      caller,
      req,
      res,
      target,
      (f) => isTrue(f.print),
      (head) => folderFromOctoPrintPath(head.path),
    );
    const base = baseUrl(req, printerId);
    const resource = `${base}/api/files/local/${encodePath(octoPrintPath(up.file.folder ?? null, up.file.name))}`;
    res.status(201).setHeader('Location', resource);
    return uploadAnswer(up, resource, base);
  }

  @Post(routes('api/files/local/*path'))
  @HttpCode(204)
  @ApiOperation({
    summary: 'OctoPrint: file command on `{folder/…/}name`; `select` with `print: true` queues the file (Cura after an upload)',
  })
  async fileCommand(
    @Caller() caller: Principal,
    @Param('path') path: string[] | string,
    @Body() body: unknown,
    @Param('printerId') printerId?: string,
  ): Promise<void> {
    const command = parseBody(fileCommandSchema, body);
    const target = this.uploads.target(caller, printerId);
    const segments = (Array.isArray(path) ? path.join('/') : path).split('/');
    const name = segments.pop()!;
    // A name alone: the newest file of that name in any folder (as before folders were kept).
    const folder = segments.length > 0 ? folderFromOctoPrintPath(segments.join('/')) : null;
    // Selecting is OctoPrint's "load into the printer"; printfleet has no such step.
    if (command.command === 'select' && command.print) await this.uploads.printByName(caller, name, target, folder);
    else await this.uploads.byName(caller, name, folder);
  }

  private view(caller: Principal, printerId: string | undefined): PrinterView | null {
    const target = this.uploads.target(caller, printerId);
    if (!target) return null;
    const view = this.printers.get(target);
    if (!view) throw new HttpException('Printer is not operational', 409);
    return view;
  }
}

/** Where the slicer reached us, for the absolute URLs OctoPrint answers with. */
export function baseUrl(req: Request, printerId: string | undefined): string {
  const prefix = printerId ? `/printers/${encodeURIComponent(printerId)}` : '';
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${prefix}`;
}

/** OctoPrint's answer to an upload, with printfleet's ids beside it. */
function uploadAnswer(up: SlicerUpload, resource: string, base: string) {
  const name = up.file.name;
  const folder = up.file.folder ?? null;
  return {
    done: true,
    files: {
      local: {
        name,
        display: name,
        path: octoPrintPath(folder, name),
        origin: 'local',
        refs: { resource, download: `${base.replace(/\/printers\/[^/]+$/, '')}/api/files/${encodeURIComponent(up.file.id)}/download` },
      },
    },
    effectiveSelect: isTrue(up.fields.select) || up.job !== undefined,
    effectivePrint: up.job !== undefined,
    printfleet: { fileId: up.file.id, folder, duplicate: up.duplicate, job: up.job ?? null },
  };
}
