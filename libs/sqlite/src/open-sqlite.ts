import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type MigrationInterface } from 'typeorm';

/** A TypeORM migration class (the schema changes only through these, oldest first). */
export type MigrationClass = new () => MigrationInterface;

export interface OpenSqliteOptions {
  /** The database file. Its folder is created, readable by the owner only, if missing. */
  file: string;
  /** Every migration, oldest first; the ones not yet applied run, each in its own transaction. */
  migrations: readonly MigrationClass[];
}

/** How long a statement waits for another connection's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a SQLite file through TypeORM's sqlite driver (one connection per data source) and brings
 * it to the latest schema. Never `synchronize`. The pragmas, on that connection:
 *
 * - `journal_mode = WAL` (stored in the file): writers append to a write-ahead log instead of
 *   rewriting pages in place, so readers (history queries, `VACUUM INTO` backups, the CLI) keep
 *   reading a consistent snapshot while a write is under way and never block the writer. On an
 *   SD card a commit is one sequential append instead of every page written twice (journal, file).
 * - `synchronous = FULL`, said explicitly: every commit is on disk before it is answered. Lab Pis
 *   get unplugged; with NORMAL a power cut could lose the last commits (a finished job, an
 *   upload's record) though never corrupt the file. Commits are few (a handful per job, one
 *   temperature sample per printer every 10 s), so the fsync each costs little.
 * - `busy_timeout = 5000`: another process (the CLI, a backup) holding the write lock makes a
 *   statement wait up to 5 s instead of failing at once with SQLITE_BUSY.
 * - `foreign_keys = ON`: SQLite ignores REFERENCES clauses (and their ON DELETE) unless this is
 *   switched on, per connection; TypeORM's driver does it on every connect.
 *
 * Returns the names of the migrations that ran. On any failure the data source is closed again.
 */
export async function openSqlite(options: OpenSqliteOptions): Promise<{ dataSource: DataSource; applied: string[] }> {
  mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  const dataSource = new DataSource({
    type: 'sqlite',
    database: options.file,
    migrations: [...options.migrations],
    synchronize: false,
    migrationsRun: false,
    enableWAL: true,
    busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.query('PRAGMA synchronous = FULL');
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return { dataSource, applied: ran.map((m) => m.name) };
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
}

/** Closes the connection if it is still open (safe to call twice). */
export async function closeSqlite(dataSource: DataSource): Promise<void> {
  if (dataSource.isInitialized) await dataSource.destroy();
}
