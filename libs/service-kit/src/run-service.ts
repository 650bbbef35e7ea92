import 'reflect-metadata';
import { Global, Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, type PrintfleetConfig } from '@printfleet/config';
import { createLogger, type Logger } from '@printfleet/logging';
import { MqttConnection, resolveMqttCredentials } from '@printfleet/messaging';
import { Heartbeat } from './heartbeat';
import { NestPinoLogger } from './nest-logger';
import { CONFIG, LOGGER, MQTT } from './tokens';

/** Under `printfleet start`, the IPC channel closes when the launcher dies: do not linger. */
export function stopWhenLauncherDies(stop: () => void): void {
  if (process.send) process.once('disconnect', stop);
}

/** Exit code for a configuration error (sysexits EX_CONFIG): the launcher does not retry it. */
export const EXIT_CONFIG = 78;

export interface ServiceDefinition {
  /** Service name, used in logs, the heartbeat file and the MQTT client id. */
  name: string;
  /** The MQTT account this service connects with by default. */
  mqttUsername(config: PrintfleetConfig): string;
  availabilityTopic(config: PrintfleetConfig): string;
  module: Type<unknown>;
  /** Serve HTTP on PRINTFLEET_HTTP_PORT (the gateway). */
  http?: boolean;
  /**
   * Ask the broker to keep this service's session and queue its QoS 1 messages while it is
   * down (for a service that must not miss events, like the job-service's history). The
   * client id is then fixed, so only one instance of the service may run per broker.
   */
  persistentSession?: boolean;
  /**
   * Runs after the MQTT connection is created and before it connects: the place to register
   * handlers that must see the very first messages (with a persistent session, the broker
   * delivers what it queued right after connecting, before the Nest module exists).
   */
  beforeConnect?(mqtt: MqttConnection): void;
}

@Global()
@Module({})
class CoreModule {
  static forRoot(config: PrintfleetConfig, logger: Logger, mqtt: MqttConnection): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: MQTT, useValue: mqtt },
      ],
      exports: [CONFIG, LOGGER, MQTT],
    };
  }
}

/**
 * Boots one service process: validated config, JSON logger, MQTT connection with availability
 * and last will, the Nest module, a heartbeat file, and a clean stop on SIGTERM/SIGINT that
 * publishes `offline`. Any boot failure is printed plainly and ends the process.
 */
export async function runService(def: ServiceDefinition): Promise<void> {
  let config: PrintfleetConfig;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${def.name}: ${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? EXIT_CONFIG : 1);
  }
  const logger = createLogger(def.name, config.log);
  try {
    const credentials = await resolveMqttCredentials(config, def.mqttUsername(config));
    const mqtt = new MqttConnection({
      url: config.mqtt.url,
      ...credentials,
      clientId: def.persistentSession ? `printfleet-${def.name}` : `printfleet-${def.name}-${process.pid}`,
      persistentSession: def.persistentSession,
      availabilityTopic: def.availabilityTopic(config),
      logger,
    });
    def.beforeConnect?.(mqtt);
    await mqtt.start();

    @Module({ imports: [CoreModule.forRoot(config, logger, mqtt), def.module] })
    class RootModule {}

    const nestLogger = new NestPinoLogger(logger);
    let app: INestApplicationContext;
    if (def.http) {
      const web = await NestFactory.create<NestExpressApplication>(RootModule, { logger: nestLogger });
      web.disable('x-powered-by');
      await web.listen(config.http.port, config.http.host);
      logger.info({ port: config.http.port }, 'HTTP listening');
      app = web;
    } else {
      app = await NestFactory.createApplicationContext(RootModule, { logger: nestLogger });
    }
    await app.init();

    const heartbeat = new Heartbeat(config.dataDir, def.name, () => mqtt.connected);
    heartbeat.start();
    logger.info('started');

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      // Whatever hangs during shutdown, the process ends: a supervisor is waiting on it.
      setTimeout(() => process.exit(1), 10_000).unref();
      heartbeat.stop();
      await app.close();
      await mqtt.stop();
      logger.flush?.();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    stopWhenLauncherDies(() => void stop('launcher gone'));
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'failed to start');
    logger.flush?.();
    process.exit(1);
  }
}
