import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { loadConfig } from '@printfleet/config';
import { analyzeFile } from '@printfleet/gcode';
import { MqttConnection } from '@printfleet/messaging';
import { CONFIG, LOGGER, MQTT } from '@printfleet/service-kit';
import { serviceAvailabilityTopic } from '@printfleet/contracts';
import type { TestBroker } from '@printfleet/testing';
import { ANALYZE_FN, AnalysisService } from '../src/files/analysis.service';
import { FleetInbox } from '../src/fleet/fleet-inbox';
import { FleetListenerService } from '../src/fleet/fleet-listener.service';
import { InternalHttpServer } from '../src/http/internal-http.server';
import { loadOrCreateInternalToken } from '../src/http/internal-token';
import { JobServiceModule } from '../src/job-service.module';
import { JobChanges } from '../src/jobs/job-changes';
import { JobRepository } from '../src/jobs/job.repository';
import type { JobRecord } from '../src/jobs/job.types';
import { PrinterSettingsPublisher } from '../src/printers/printer-settings.publisher';
import { JOB_SETTINGS, jobSettingsFrom, type JobSettings } from '../src/settings';
import { TemperatureRecorder } from '../src/temperatures/temperature-recorder.service';

/** A request whose body is a value to send as JSON. */
export type JsonInit = Omit<RequestInit, 'body'> & { body?: unknown };

export interface RunningJobService {
  app: INestApplicationContext;
  baseUrl: string;
  token: string;
  settings: JobSettings;
  /** Waits until every MQTT message received so far, every analysis and every settings publish has been handled. */
  settle(): Promise<void>;
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: JsonInit): Promise<{ status: number; body: T }>;
  /** Resolves with the job once it matches (checked now and after every change), or fails after 10 s. */
  waitForJob(id: string, predicate: (j: JobRecord) => boolean): Promise<JobRecord>;
  stop(): Promise<void>;
}

/**
 * Boots the real JobServiceModule as `runService` and main.ts do: the broker connection with the
 * service's persistent session (fixed client id, so a restart in one test resumes it) is started
 * before the module is built, with the fleet inbox attached; real SQLite in `dataDir`, real HTTP
 * on a free port. Analysis runs in-process (the worker needs the built lib).
 */
export async function startJobService(
  broker: TestBroker,
  dataDir: string,
  overrides: Partial<JobSettings> = {},
  /** Runs between connecting and building the module (a test's stand-in for a slow boot). */
  beforeModule: () => Promise<void> = async () => undefined,
): Promise<RunningJobService> {
  const config = loadConfig({ PRINTFLEET_DATA_DIR: dataDir, PRINTFLEET_MQTT_URL: broker.url });
  const logger = pino({ level: process.env.PRINTFLEET_TEST_LOG ?? 'silent' });
  const creds = await broker.account('job-service');
  const mqtt = new MqttConnection({
    url: broker.url,
    ...creds,
    clientId: 'printfleet-job-service',
    persistentSession: true,
    availabilityTopic: serviceAvailabilityTopic('job-service'),
    logger,
  });
  FleetInbox.attach(mqtt); // as main.ts does in runService's beforeConnect
  await mqtt.start();
  await beforeModule();
  const settings: JobSettings = { ...jobSettingsFrom(config, {}), http: { port: 0, host: '127.0.0.1' }, ...overrides };

  @Global()
  @Module({ providers: [{ provide: CONFIG, useValue: config }, { provide: LOGGER, useValue: logger }, { provide: MQTT, useValue: mqtt }], exports: [CONFIG, LOGGER, MQTT] })
  class TestCore {}

  const moduleRef = await Test.createTestingModule({ imports: [TestCore, JobServiceModule] })
    .overrideProvider(JOB_SETTINGS)
    .useValue(settings)
    .overrideProvider(ANALYZE_FN)
    .useValue((path: string) => analyzeFile(path))
    .compile();
  const app = moduleRef;
  await app.init();
  const port = app.get(InternalHttpServer).port;
  settings.publicUrl = `http://127.0.0.1:${port}`;
  const baseUrl = settings.publicUrl;
  const token = loadOrCreateInternalToken(dataDir);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'x-requested-by': 'alice', ...(init.headers as Record<string, string>) } });
  return {
    app,
    baseUrl,
    token,
    settings,
    api,
    async json<T>(path: string, init: JsonInit = {}) {
      const body = init.body === undefined ? undefined : JSON.stringify(init.body);
      const res = await api(path, { ...init, body, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
      return { status: res.status, body: (await res.json()) as T };
    },
    async settle() {
      await app.get(FleetListenerService).idle();
      await app.get(AnalysisService).idle();
      await app.get(TemperatureRecorder).idle();
      await app.get(PrinterSettingsPublisher).idle();
    },
    waitForJob(id, predicate) {
      const jobs = app.get(JobRepository);
      return new Promise((resolve, reject) => {
        const check = async () => {
          const job = await jobs.get(id);
          if (!job || !predicate(job)) return;
          clearTimeout(timer);
          off();
          resolve(job);
        };
        const off = app.get(JobChanges).onChange((changed) => changed === id && void check());
        const timer = setTimeout(() => {
          off();
          reject(new Error(`job ${id} did not reach the expected state`));
        }, 10_000);
        void check();
      });
    },
    async stop() {
      await app.close();
      await mqtt.stop();
    },
  };
}
