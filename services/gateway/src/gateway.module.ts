import { Module } from '@nestjs/common';
import { AvailabilityTracker } from './health/availability-tracker';
import { HealthController } from './health/health.controller';

@Module({ controllers: [HealthController], providers: [AvailabilityTracker] })
export class GatewayModule {}
