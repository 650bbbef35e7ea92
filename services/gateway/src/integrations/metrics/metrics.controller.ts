import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/auth.decorators';
import { FleetMetrics } from './fleet-metrics';
import { MetricsAccessGuard } from './metrics-access.guard';

/** Prometheus scrape endpoint; who may read it is `MetricsAccessGuard`'s call. */
@ApiExcludeController()
@Public()
@UseGuards(MetricsAccessGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: FleetMetrics) {}

  @Get()
  async scrape(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    // Exactly prom-client's type (`text/plain; version=0.0.4; charset=utf-8`): express's send() would rewrite it.
    res.status(200).setHeader('Content-Type', contentType);
    res.end(body);
  }
}
