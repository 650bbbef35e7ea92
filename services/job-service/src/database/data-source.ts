import { join } from 'node:path';
import { openSqlite } from '@printfleet/sqlite';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

export const databaseFile = (dataDir: string): string => join(dataDir, 'db', 'job-service.sqlite');

/**
 * Opens the job-service database and brings it to the latest schema, each migration in its own
 * transaction. WAL lets readers (history queries, a running backup) proceed while the dispatcher
 * writes (see `openSqlite` for the pragmas).
 */
export function openDatabase(dataDir: string): Promise<{ dataSource: DataSource; applied: string[] }> {
  return openSqlite({ file: databaseFile(dataDir), migrations: MIGRATIONS });
}
