import { Global, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { serviceAvailabilityTopic } from '@printfleet/contracts';
import { MqttConnection } from '@printfleet/messaging';
import { CONFIG, LOGGER, MQTT } from '@printfleet/service-kit';
import { createTempDir, MqttProbe, startTestBroker, type TestBroker } from '@printfleet/testing';
import { GatewayModule } from '../../src/gateway.module';
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
  addUser(name: string, role: Role, password?: string): Promise<void>;
  close(): Promise<void>;
}

/** The whole gateway module on a free port, against a real broker and a real SQLite file. */
export async function startGateway(overrides: Partial<GatewaySettings> = {}): Promise<Harness> {
  const broker = await startTestBroker();
  const dir = createTempDir('printfleet-gateway-');
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
    ...overrides,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [TestCoreModule.with(logger, mqtt), GatewayModule],
  })
    .overrideProvider(GATEWAY_SETTINGS)
    .useValue(settings)
    .compile();
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
    addUser: async (name, role, password = `${name}-password-123`) =>
      void (await users.add(name, role, password)),
    async close() {
      await app.close();
      await Promise.all([agent.close(), mqtt.stop()]);
      await broker.close();
      dir.remove();
    },
  };
}
