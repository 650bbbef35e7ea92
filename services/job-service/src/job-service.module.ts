import { Module } from '@nestjs/common';

/** Files, analysis, jobs, queue and history arrive with issue #6; for now the service is present on MQTT. */
@Module({})
export class JobServiceModule {}
