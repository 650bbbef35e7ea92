import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { PrintfleetConfig } from '@printfleet/config';
import { CONFIG } from '@printfleet/service-kit';
import { ApiKeyRepository } from './auth/api-key.repository';
import { ApiKeysController } from './auth/api-keys.controller';
import { ApiKeysService } from './auth/api-keys.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { SessionRepository } from './auth/session.repository';
import { CLOCK, systemClock } from './clock';
import { Database, DATA_SOURCE } from './database/database';
import { openGatewayDatabase } from './database/gateway-database';
import { OpenApiController } from './docs/openapi.controller';
import { ErrorFilter } from './errors/error.filter';
import { compressResponses } from './http/compress';
import { AvailabilityTracker } from './health/availability-tracker';
import { HealthController } from './health/health.controller';
import { INTEGRATION_CONTROLLERS, INTEGRATION_PROVIDERS } from './integrations/integrations';
import { FileUploadRelay } from './jobs/file-upload.relay';
import { FilesController } from './jobs/files.controller';
import { FilesService } from './jobs/files.service';
import { JobChangeFeed } from './jobs/job-change-feed.service';
import { JobServiceClient } from './jobs/job-service-client';
import { JobsController } from './jobs/jobs.controller';
import { JobsService } from './jobs/jobs.service';
import { LiveServer } from './live/live.server';
import { CommandService } from './printers/command.service';
import { ConsoleFeed } from './printers/console-feed.service';
import { MqttUsersController } from './mqtt-users/mqtt-users.controller';
import { MqttUsersService } from './mqtt-users/mqtt-users.service';
import { PrinterProfilesController } from './jobs/printer-profiles.controller';
import { PrinterFeed } from './printers/printer-feed.service';
import { PrinterRegistry } from './printers/printer-registry';
import { PrintersController } from './printers/printers.controller';
import { ReplyWaiter } from './printers/reply-waiter.service';
import { GATEWAY_SETTINGS, gatewaySettingsFrom, type GatewaySettings } from './settings';
import { FirstAdmin } from './users/first-admin';
import { SystemController } from './system/system.controller';
import { UserRepository } from './users/user.repository';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { WebAssets } from './web/web-assets';

/**
 * The gateway: accounts and sessions (the truth it owns), printers as their agents publish them,
 * commands relayed to agents, files and jobs relayed to and from the job-service, live push, the
 * web UI's files. CONFIG, LOGGER and MQTT come from the service kit's global module (tests
 * provide their own). Responses are gzipped here (not in the service kit, which stays generic);
 * Nest applies module middleware before the API routes and the web UI's static files.
 */
@Module({
  controllers: [
    HealthController,
    AuthController,
    UsersController,
    ApiKeysController,
    MqttUsersController,
    PrintersController,
    FilesController,
    JobsController,
    PrinterProfilesController,
    OpenApiController,
    SystemController,
    ...INTEGRATION_CONTROLLERS,
  ],
  providers: [
    {
      provide: GATEWAY_SETTINGS,
      useFactory: (config: PrintfleetConfig) => gatewaySettingsFrom(config),
      inject: [CONFIG],
    },
    { provide: CLOCK, useValue: systemClock },
    {
      provide: DATA_SOURCE,
      useFactory: (s: GatewaySettings) => openGatewayDatabase(s.dataDir),
      inject: [GATEWAY_SETTINGS],
    },
    { provide: PrinterRegistry, useFactory: () => new PrinterRegistry() },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ErrorFilter },
    Database,
    UserRepository,
    SessionRepository,
    ApiKeyRepository,
    UsersService,
    ApiKeysService,
    MqttUsersService,
    AuthService,
    FirstAdmin,
    AvailabilityTracker,
    PrinterFeed,
    ConsoleFeed,
    ReplyWaiter,
    CommandService,
    JobServiceClient,
    FileUploadRelay,
    FilesService,
    JobsService,
    JobChangeFeed,
    LiveServer,
    WebAssets,
    ...INTEGRATION_PROVIDERS,
  ],
})
export class GatewayModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(compressResponses()).forRoutes('{*splat}');
  }
}
