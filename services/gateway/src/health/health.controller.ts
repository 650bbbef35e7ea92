import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { AvailabilityTracker, type HealthReport } from './availability-tracker';

/** Unauthenticated by design (DESIGN.md): load balancers and docker healthchecks call it. */
@Public()
@Controller('api/health')
export class HealthController {
  constructor(private readonly tracker: AvailabilityTracker) {}

  @Get()
  health(): HealthReport {
    return this.tracker.report();
  }
}
