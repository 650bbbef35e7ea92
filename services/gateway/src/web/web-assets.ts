import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
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
    const options = {
      // The files are small and change with each release; revalidating (ETag) is cheap on a LAN.
      cacheControl: true,
      maxAge: 0,
      setHeaders: (res: express.Response) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'same-origin');
        res.setHeader(
          'Content-Security-Policy',
          "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
        );
      },
    };
    const assets = express.static(root, { ...options, index: 'index.html' });
    // uPlot (the temperature chart) from its npm package's dist folder: no CDN, no copy to keep in step.
    const uplot = express.static(uplotDist(), { ...options, index: false });
    this.adapterHost.httpAdapter.use(
      (req: express.Request, res: express.Response, next: express.NextFunction) => {
        if (req.path.startsWith('/api/')) return next();
        if (req.path.startsWith(UPLOT_PREFIX)) {
          req.url = req.url.slice(UPLOT_PREFIX.length - 1);
          return uplot(req, res, next);
        }
        return assets(req, res, next);
      },
    );
  }
}

/** Where the page loads uPlot from: `/vendor/uplot/uPlot.iife.min.js` and `uPlot.min.css`. */
export const UPLOT_PREFIX = '/vendor/uplot/';

export function uplotDist(): string {
  return dirname(require.resolve('uplot'));
}
