import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Caller, Roles } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { parseBody } from '../../http/parse-body';
import { isTrue } from './form-fields';
import { SlicerUploads } from './slicer-upload.service';

const routes = (path: string) => [path, `printers/:printerId/${path}`];

const startSchema = z.object({ filename: z.string().min(1) }).loose();

/**
 * The part of Moonraker's API (moonraker.readthedocs.io, "web_api") that OrcaSlicer's and
 * SuperSlicer's "Klipper (via Moonraker)" host type calls: server info to test the connection,
 * the upload, and the explicit print start they fall back to.
 */
@ApiTags('slicers (Moonraker API)')
@Controller()
export class MoonrakerController {
  constructor(private readonly uploads: SlicerUploads) {}

  @Get(routes('server/info'))
  @ApiOperation({ summary: 'Moonraker: server info; `klippy_state` is always "ready" (printfleet takes every upload)' })
  info(@Caller() caller: Principal, @Param('printerId') printerId?: string) {
    this.uploads.target(caller, printerId);
    return {
      result: {
        klippy_connected: true,
        klippy_state: 'ready',
        components: ['file_manager'],
        failed_components: [],
        registered_directories: ['gcodes'],
        warnings: [],
        websocket_count: 0,
        moonraker_version: 'v0.9.3-printfleet',
        api_version: [1, 5, 0],
        api_version_string: '1.5.0',
      },
    };
  }

  @Get(routes('server/files/roots'))
  @ApiOperation({ summary: 'Moonraker: storage roots (only "gcodes")' })
  roots() {
    return { result: [{ name: 'gcodes', path: '/gcodes', permissions: 'rw' }] };
  }

  @Post(routes('server/files/upload'))
  @Roles('maker', 'operator', 'admin')
  @ApiOperation({ summary: 'Moonraker: upload (multipart `root`, `print`, `file`), streamed; print=true queues a job' })
  async upload(
    @Caller() caller: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Param('printerId') printerId?: string,
  ) {
    const target = this.uploads.target(caller, printerId);
    const up = await this.uploads.upload(caller, req, res, target, (f) => isTrue(f.print));
    res.status(201);
    return {
      result: {
        item: {
          path: up.file.name,
          root: up.fields.root || 'gcodes',
          modified: Date.parse(String(up.file.uploadedAt ?? '')) / 1000 || Date.now() / 1000,
          size: up.file.size,
          permissions: 'rw',
        },
        // printfleet queues; the printer it lands on starts it when it is free.
        print_started: false,
        print_queued: up.job !== undefined,
        action: up.duplicate ? 'modify_file' : 'create_file',
        printfleet: { fileId: up.file.id, duplicate: up.duplicate, job: up.job ?? null },
      },
    };
  }

  @Post(routes('printer/print/start'))
  @HttpCode(200)
  @ApiOperation({ summary: 'Moonraker: print a file already uploaded, by name: queues a job' })
  async start(@Caller() caller: Principal, @Body() body: unknown, @Param('printerId') printerId?: string) {
    const { filename } = parseBody(startSchema, body);
    await this.uploads.printByName(caller, filename, this.uploads.target(caller, printerId));
    return { result: 'ok' };
  }
}
