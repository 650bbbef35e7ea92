import { dirname, join } from 'node:path';
import { loadConfig } from '@printfleet/config';
import { createLinePrettifier } from '@printfleet/logging';
import { AccountStore } from '@printfleet/mqtt-accounts';
import { Supervisor } from '../launcher/supervisor';
import { waitForPort } from '../launcher/wait-for-port';

/** The compiled entry point of a workspace package's process (`dist/main.js`). */
function entryOf(pkg: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'main.js');
}

/**
 * `printfleet start`: the embedded broker (unless PRINTFLEET_MQTT_URL points elsewhere), then
 * job-service, gateway and printer-agent, each its own process. Ctrl-C or SIGTERM stops all.
 */
export async function startCommand(extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  const env = { ...process.env, ...extraEnv };
  const config = loadConfig(env); // fail here, once, rather than in four processes
  const write = (text: string) => process.stdout.write(text);
  const pretty = config.log.format === 'pretty' || (config.log.format === 'auto' && process.stdout.isTTY === true);
  const childEnv = { ...env, PRINTFLEET_LOG_FORMAT: 'json', PRINTFLEET_AGENT_ID: config.agentId };
  const supervisor = new Supervisor({ write, transform: pretty ? createLinePrettifier() : undefined });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    write('[launcher]      stopping all services\n');
    await supervisor.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  supervisor.on('fatal', () => void stop(78));

  if (!config.mqtt.external) {
    await new AccountStore(config.dataDir).ensureServiceAccounts([config.agentId]);
    supervisor.start({ name: 'broker', script: entryOf('@printfleet/broker'), env: childEnv });
    await waitForPort('127.0.0.1', config.mqtt.port, 30_000);
  }
  for (const name of ['job-service', 'gateway', 'printer-agent']) {
    supervisor.start({ name, script: entryOf(`@printfleet/${name}`), env: childEnv });
  }
  write(`[launcher]      printfleet is starting: http://localhost:${config.http.port}  (Ctrl-C stops it)\n`);
}
