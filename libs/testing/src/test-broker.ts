import pino from 'pino';
import { startBroker, type RunningBroker } from '@printfleet/broker';
import { AccountStore, type MqttRole } from '@printfleet/mqtt-accounts';
import { createTempDir } from './temp-dir';

export interface Credentials {
  username: string;
  password: string;
}

export interface TestBroker {
  url: string;
  wsUrl: string;
  dataDir: string;
  accounts: AccountStore;
  broker: RunningBroker;
  /** Creates an account of that role and returns its credentials. */
  account(role: MqttRole, username?: string, agentId?: string): Promise<Credentials>;
  /** Stops the broker and starts a new one on the same ports: retained messages are lost, as in production. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** A real Aedes broker with printfleet's auth and ACLs, on free ports, in a temp data dir. */
export async function startTestBroker(): Promise<TestBroker> {
  const dir = createTempDir('printfleet-broker-');
  const accounts = new AccountStore(dir.path);
  const logger = pino({ level: process.env.PRINTFLEET_TEST_LOG ?? 'silent' });
  const start = (port: number, wsPort: number) =>
    startBroker({ accounts, logger, dataDir: dir.path, host: '127.0.0.1', port, wsPort });
  const testBroker: TestBroker = {
    url: '',
    wsUrl: '',
    dataDir: dir.path,
    accounts,
    broker: await start(0, 0),
    async account(role, username = `${role}-${++counter}`, agentId) {
      const password = await accounts.add(username, role, { agentId });
      return { username, password };
    },
    async restart() {
      await this.broker.close();
      this.broker = await start(this.broker.port, this.broker.wsPort ?? 0);
    },
    async close() {
      await this.broker.close();
      dir.remove();
    },
  };
  testBroker.url = `mqtt://127.0.0.1:${testBroker.broker.port}`;
  testBroker.wsUrl = `ws://127.0.0.1:${testBroker.broker.wsPort}/mqtt`;
  return testBroker;
}
