import { Controller, Delete, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Caller, Roles } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { invalidInput } from '../errors/gateway-error';
import { FileUploadRelay } from './file-upload.relay';
import { enc, FilesService, pick } from './files.service';
import { JobServiceClient } from './job-service-client';
import { relayStream } from './stream-relay';

@ApiTags('files')
@Controller('api/files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly uploads: FileUploadRelay,
    private readonly client: JobServiceClient,
  ) {}

  @Post()
  @Roles('maker', 'operator', 'admin')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { folder: { type: 'string' }, tags: { type: 'string' }, file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @ApiOperation({
    summary:
      'Upload a G-code file (multipart field "file"; or the raw body with X-File-Name), streamed to the job-service: 201 {file, duplicate: false}, 200 {…, duplicate: true}; analysis follows',
  })
  async upload(@Caller() caller: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const answer = await this.uploads.relay(req, res, caller.name, pick(req.query as Record<string, unknown>, ['folder', 'tags']));
    res.status(answer.status);
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: 'The file library {items, total}; ?search=&folder=&limit=&offset=' })
  list(@Caller() caller: Principal, @Query() query: Record<string, unknown>) {
    return this.files.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One file with its full analysis (slicer, estimate, filament, bbox, layers, thumbnails)' })
  get(@Caller() caller: Principal, @Param('id') id: string) {
    return this.files.get(caller, id);
  }

  @Get(':id/thumbnail')
  @ApiOperation({ summary: 'A thumbnail image (PNG or JPEG); ?index=0 is the largest' })
  async thumbnail(
    @Caller() caller: Principal,
    @Param('id') id: string,
    @Query('index') index: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (index !== undefined && !/^\d{1,3}$/.test(index)) throw invalidInput('index: 0 or more (0 is the largest)');
    // A file id names fixed content, so its thumbnails never change: browsers may keep them.
    await relayStream(this.client, `/files/${enc(id)}/thumbnail?index=${index ?? '0'}`, caller.name, res, ['content-type', 'content-length'], {
      'Cache-Control': 'private, max-age=604800, immutable',
    });
  }

  @Get(':id/download')
  @ApiOperation({ summary: 'The G-code itself, as an attachment with its original name' })
  async download(@Caller() caller: Principal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await relayStream(
      this.client,
      `/files/${enc(id)}/content`,
      caller.name,
      res,
      ['content-type', 'content-length', 'content-disposition', 'etag', 'x-content-sha256'],
      { 'Cache-Control': 'private, max-age=31536000, immutable' },
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove a file and its content; its print history stays (operators, admins, or its uploader)' })
  delete(@Caller() caller: Principal, @Param('id') id: string) {
    return this.files.delete(caller, id);
  }
}
