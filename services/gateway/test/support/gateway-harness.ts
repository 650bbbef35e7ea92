import { Global, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { serviceAvailabilityTopic } from '@printfleet/contracts';
import { MqttConnection } from '@printfleet/messaging';
import { CONFIG, LOGGER, MQTT } from '@printfleet/service-kit';
import { createTempDir, MqttProbe, startTestBroker, type TestBroker } from '@printfleet/testing';
import { internalTokenFile } from '@printfleet/job-service';
import { startJobService, type RunningJobService } from '../../../job-service/test/harness';
import type { JobSettings } from '../../../job-service/src/settings';
import { GatewayModule } from '../../src/gateway.module';
import { INTEGRATION_SETTINGS, integrationSettingsFrom, type IntegrationSettings } from '../../src/integrations/integration-settings';
import { DEFAULT_WEB_ROOT, GATEWAY_SETTINGS, type GatewaySettings } from '../../src/settings';
import { UsersService } from '../../src/users/users.service';
import type { Role } from '../../src/users/roles';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

@Global()
@Module({})
class TestCoreModule {
  static with(logger: pino.Logger, mqtt: MqttConnection): DynamicModule {
    return {
      module: TestCoreModule,
      providers: [
        { provide: CONFIG, useValue: {} },
        { provide: LOGGER, useValue: logger },
        { provide: MQTT, useValue: mqtt },
      ],
      exports: [CONFIG, LOGGER, MQTT],
    };
  }
}

export interface Harness {
  broker: TestBroker;
  app: INestApplication;
  base: string;
  settings: GatewaySettings;
  /** A fake printer-agent `pi-1`: a real MQTT client with an agent account. */
  agent: MqttProbe;
  /** The real job-service (same broker, same data dir), when asked for. */
  jobs?: RunningJobService;
  addUser(name: string, role: Role, password?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole gateway module on a free port, against a real broker and a real SQLite file; with
 * `jobService`, the real job-service too (its own harness: real SQLite, real internal HTTP on a
 * free port, in-process analysis), sharing the broker and the data dir as in production, so the
 * gateway reads the internal token where the job-service wrote it.
 */
export async function startGateway(
  overrides: Partial<GatewaySettings> = {},
  options: {
    jobService?: Partial<JobSettings>;
    integrations?: Partial<IntegrationSettings>;
    /** Use the broker's data dir as the gateway's, as in production: one data dir, one accounts file. */
    shareBrokerDataDir?: boolean;
  } = {},
): Promise<Harness> {
  const broker = await startTestBroker();
  const dir = options.shareBrokerDataDir
    ? { path: broker.dataDir, remove: () => undefined }
    : createTempDir('printfleet-gateway-');
  const jobs = options.jobService ? await startJobService(broker, dir.path, options.jobService) : undefined;
  const logger = pino({ level: process.env.PRINTFLEET_TEST_LOG ?? 'silent' });
  const mqtt = new MqttConnection({
    url: broker.url,
    ...(await broker.account('gateway', 'gateway')),
    clientId: `gateway-test-${process.pid}`,
    availabilityTopic: serviceAvailabilityTopic('gateway'),
    logger,
  });
  await mqtt.start();
  const settings: GatewaySettings = {
    dataDir: dir.path,
    adminPassword: ADMIN_PASSWORD,
    sessionTtlMs: 3600_000,
    cookieSecure: false,
    commandTimeoutMs: 2000,
    loginLimits: { perUser: 5, perIp: 50, windowMs: 60_000 },
    webRoot: DEFAULT_WEB_ROOT,
    // Without a job-service, a port where nothing listens: files and jobs answer 503.
    jobService: {
      url: jobs?.baseUrl ?? 'http://127.0.0.1:9',
      tokenFile: internalTokenFile(dir.path),
      maxUploadBytes: 1024 ** 3,
      timeoutMs: 10_000,
    },
    ...overrides,
  };
  let builder = Test.createTestingModule({
    imports: [TestCoreModule.with(logger, mqtt), GatewayModule],
  })
    .overrideProvider(GATEWAY_SETTINGS)
    .useValue(settings);
  // Integrations read their keys from the environment; a test may replace some of them.
  if (options.integrations)
    builder = builder.overrideProvider(INTEGRATION_SETTINGS).useValue({ ...integrationSettingsFrom(), ...options.integrations });
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const agent = await MqttProbe.connect(broker.url, await broker.account('agent', 'agent-pi-1', 'pi-1'));
  const users = app.get(UsersService);
  return {
    broker,
    app,
    base,
    settings,
    agent,
    jobs,
    addUser: async (name, role, password = `${name}-password-123`) =>
      void (await users.add(name, role, password)),
    async close() {
      await app.close();
      await jobs?.stop();
      await Promise.all([agent.close(), mqtt.stop()]);
      await broker.close();
      dir.remove();
    },
  };
}
