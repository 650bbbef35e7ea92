import { readFileSync } from 'node:fs';
import { CONFIG_KEYS, ConfigError, loadConfig } from '@printfleet/config';
import { createLogger } from '@printfleet/logging';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { startBroker } from './broker';

/** The gateway publishes Home Assistant discovery under this prefix; the ACL must agree with it. */
function discoveryPrefix(env: NodeJS.ProcessEnv): string {
  const spec = CONFIG_KEYS.PRINTFLEET_HA_DISCOVERY_PREFIX;
  const file = env.PRINTFLEET_CONFIG ? (JSON.parse(readFileSync(env.PRINTFLEET_CONFIG, 'utf8')) as Record<string, unknown>) : {};
  const given = env.PRINTFLEET_HA_DISCOVERY_PREFIX || file.PRINTFLEET_HA_DISCOVERY_PREFIX;
  return spec.schema.parse(given ?? spec.default);
}

/** On a clean stop, how long messages already accepted get to reach their subscribers. */
const DRAIN_ON_STOP_MS = 300;

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
    discoveryPrefix: discoveryPrefix(process.env),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping broker');
    setTimeout(() => process.exit(1), 10_000).unref(); // a stuck client must not keep us alive
    broker.close(DRAIN_ON_STOP_MS).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
  // Under `printfleet start`, the IPC channel closes when the launcher dies: do not linger.
  if (process.send) process.once('disconnect', () => stop('launcher gone'));
}

main().catch((err: Error) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err.stack ?? err.message}\n`);
  process.exit(1);
});
