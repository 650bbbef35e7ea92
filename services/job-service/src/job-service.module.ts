import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { PrintfleetConfig } from '@printfleet/config';
import type { Logger } from '@printfleet/logging';
import type { MqttConnection } from '@printfleet/messaging';
import { CONFIG, LOGGER, MQTT } from '@printfleet/service-kit';
import { AuditRepository } from './audit/audit.repository';
import { openDatabase } from './database/data-source';
import { DATA_SOURCE, DatabaseCloser } from './database/database.provider';
import { Database } from './database/database.repository';
import { DispatcherService } from './dispatch/dispatcher.service';
import { AnalysisService, ANALYZE_FN, defaultAnalyze } from './files/analysis.service';
import { BlobStore } from './files/blob-store';
import { FileLibraryService } from './files/file-library.service';
import { FileRepository } from './files/file.repository';
import { RetentionService } from './files/retention.service';
import { CommandPublisher } from './fleet/command-publisher';
import { FleetInbox } from './fleet/fleet-inbox';
import { FleetListenerService } from './fleet/fleet-listener.service';
import { FleetPresence } from './fleet/fleet-presence';
import { HistoryRepository } from './history/history.repository';
import { InternalHttpServer } from './http/internal-http.server';
import { InternalAuth, loadOrCreateInternalToken } from './http/internal-token';
import { JobChangePublisher } from './jobs/job-change-publisher.service';
import { JobChanges } from './jobs/job-changes';
import { JobEventsService } from './jobs/job-events.service';
import { JobQueueService } from './jobs/job-queue.service';
import { JobRepository } from './jobs/job.repository';
import { PrinterSettingsPublisher } from './printers/printer-settings.publisher';
import { PrinterRepository } from './printers/printer.repository';
import { JOB_SETTINGS, jobSettingsFrom, type JobSettings } from './settings';
import { TemperatureRecorder } from './temperatures/temperature-recorder.service';
import { TemperatureRepository } from './temperatures/temperature.repository';

/** Files, analysis, jobs, queue, dispatch and history (issue #6). See docs/job-service.md. */
@Module({
  providers: [
    { provide: JOB_SETTINGS, inject: [CONFIG], useFactory: (config: PrintfleetConfig) => jobSettingsFrom(config) },
    {
      provide: DATA_SOURCE,
      inject: [JOB_SETTINGS, LOGGER],
      useFactory: async (s: JobSettings, logger: Logger) => {
        const { dataSource, applied } = await openDatabase(s.dataDir);
        logger.info({ applied }, applied.length ? 'database migrations applied' : 'database schema up to date');
        return dataSource;
      },
    },
    {
      provide: BlobStore,
      inject: [JOB_SETTINGS],
      useFactory: (s: JobSettings) => {
        const store = new BlobStore(join(s.dataDir, 'files'));
        store.init();
        return store;
      },
    },
    { provide: InternalAuth, inject: [JOB_SETTINGS], useFactory: (s: JobSettings) => new InternalAuth(loadOrCreateInternalToken(s.dataDir)) },
    { provide: ANALYZE_FN, useValue: defaultAnalyze },
    // Attached to the connection before it started (see main.ts), holding what arrived since.
    { provide: FleetInbox, inject: [MQTT], useFactory: (mqtt: MqttConnection) => FleetInbox.of(mqtt) },
    DatabaseCloser,
    Database,
    AuditRepository,
    FileRepository,
    JobChanges,
    JobChangePublisher,
    JobRepository,
    PrinterRepository,
    PrinterSettingsPublisher,
    HistoryRepository,
    TemperatureRepository,
    TemperatureRecorder,
    AnalysisService,
    FileLibraryService,
    RetentionService,
    FleetPresence,
    CommandPublisher,
    DispatcherService,
    JobEventsService,
    JobQueueService,
    FleetListenerService,
    InternalHttpServer,
  ],
})
export class JobServiceModule {}
