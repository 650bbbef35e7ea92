import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

export const gatewayDatabaseFile = (dataDir: string): string => join(dataDir, 'db', 'gateway.sqlite');

/**
 * Opens the gateway's own database (users, sessions, API keys: the truths the gateway owns)
 * and migrates it. Never `synchronize`. WAL so that the CLI (`printfleet user add`) can write
 * while the gateway runs; the busy timeout makes either side wait instead of failing.
 */
export async function openGatewayDatabase(dataDir: string): Promise<DataSource> {
  mkdirSync(join(dataDir, 'db'), { recursive: true, mode: 0o700 });
  const dataSource = new DataSource({
    type: 'sqlite',
    database: gatewayDatabaseFile(dataDir),
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    enableWAL: true,
    busyTimeout: 5000,
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
}
