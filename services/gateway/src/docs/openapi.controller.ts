import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { notFound } from '../errors/gateway-error';
import { buildOpenApiDocument } from './openapi-document';

const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>printfleet API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#swagger-ui' });`;

/** OpenAPI at /api/docs, for logged-in users and API keys (DESIGN.md: only login and health are open). */
@ApiExcludeController()
@Controller('api/docs')
export class OpenApiController {
  private document: OpenAPIObject | null = null;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly config: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return PAGE;
  }

  @Get('openapi.json')
  json(): OpenAPIObject {
    this.document ??= buildOpenApiDocument(this.modules, this.config, this.adapterHost);
    return this.document;
  }

  @Get('init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    return INIT;
  }

  @Get('assets/:file')
  @Header('Cache-Control', 'private, max-age=86400')
  asset(@Param('file') file: string, @Res({ passthrough: true }) res: Response): Buffer {
    const type = SWAGGER_FILES[file];
    if (!type) throw notFound('docs asset', file);
    res.type(type);
    const dir = dirname(require.resolve('swagger-ui-dist/package.json'));
    return readFileSync(join(dir, file));
  }
}
