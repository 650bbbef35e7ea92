import { existsSync } from 'node:fs';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express from 'express';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';

/**
 * Serves the web UI's static files (no authentication: they hold no data; every call they make
 * is authenticated). Registered in onModuleInit, which Nest runs after the API routes and before
 * its 404 handler, so `/api/...` always reaches the API first.
 */
@Injectable()
export class WebAssets implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const root = this.settings.webRoot;
    if (!existsSync(root)) return this.logger.warn({ root }, 'web UI folder missing: serving the API only');
    const assets = express.static(root, {
      index: 'index.html',
      // The files are small and change with each release; revalidating (ETag) is cheap on a LAN.
      cacheControl: true,
      maxAge: 0,
      setHeaders: (res) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'same-origin');
        res.setHeader(
          'Content-Security-Policy',
          "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
        );
      },
    });
    this.adapterHost.httpAdapter.use(
      (req: express.Request, res: express.Response, next: express.NextFunction) =>
        req.path.startsWith('/api/') ? next() : assets(req, res, next),
    );
  }
}
