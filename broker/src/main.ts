import { ConfigError, loadConfig } from '@printfleet/config';
import { createLogger } from '@printfleet/logging';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { startBroker } from './broker';

/** The embedded broker as its own process (what `printfleet start` and docker run). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('broker', config.log);
  const accounts = new AccountStore(config.dataDir);
  await accounts.ensureServiceAccounts([config.agentId]);
  const broker = await startBroker({
    accounts,
    logger,
    dataDir: config.dataDir,
    host: config.mqtt.host,
    port: config.mqtt.port,
    wsPort: config.mqtt.wsPort === 0 ? null : config.mqtt.wsPort,
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping broker');
    broker.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
  // Under `printfleet start`, the IPC channel closes when the launcher dies: do not linger.
  if (process.send) process.once('disconnect', () => stop('launcher gone'));
}

main().catch((err: Error) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err.stack ?? err.message}\n`);
  process.exit(1);
});
