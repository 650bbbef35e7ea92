import { join } from 'node:path';
import { openSqlite } from '@printfleet/sqlite';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

export const gatewayDatabaseFile = (dataDir: string): string => join(dataDir, 'db', 'gateway.sqlite');

/**
 * Opens the gateway's own database (users, sessions, API keys: the truths the gateway owns)
 * and migrates it. WAL so that the CLI (`printfleet user add`) can write while the gateway runs;
 * the busy timeout makes either side wait instead of failing (see `openSqlite`).
 */
export async function openGatewayDatabase(dataDir: string): Promise<DataSource> {
  const { dataSource } = await openSqlite({ file: gatewayDatabaseFile(dataDir), migrations: MIGRATIONS });
  return dataSource;
}
