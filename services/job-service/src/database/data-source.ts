import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

export const databaseFile = (dataDir: string): string => join(dataDir, 'db', 'job-service.sqlite');

/**
 * Opens the job-service database and brings it to the latest schema. Never `synchronize`:
 * the schema changes only through migrations, each in its own transaction. WAL lets readers
 * (history queries, a running backup) proceed while the dispatcher writes; foreign keys are
 * switched on by TypeORM's sqlite driver on every connection.
 */
export async function openDatabase(dataDir: string): Promise<{ dataSource: DataSource; applied: string[] }> {
  mkdirSync(join(dataDir, 'db'), { recursive: true, mode: 0o700 });
  const dataSource = new DataSource({
    type: 'sqlite',
    database: databaseFile(dataDir),
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    enableWAL: true,
    busyTimeout: 5000,
    logging: false,
  });
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return { dataSource, applied: ran.map((m) => m.name) };
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
}
