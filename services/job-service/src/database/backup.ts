import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { databaseFile } from './data-source';

const run = (db: sqlite3.Database, sql: string, params: unknown[] = []) =>
  new Promise<void>((ok, fail) => db.run(sql, params, (err) => (err ? fail(err) : ok())));
const close = (db: sqlite3.Database) => new Promise<void>((ok, fail) => db.close((err) => (err ? fail(err) : ok())));

/**
 * Copies the live database to `target`, safe while the job-service runs: `VACUUM INTO` reads one
 * consistent snapshot (WAL readers never block the writer) and writes a compact file. It goes to a
 * temporary name first and is renamed into place, so `target` is either absent or complete.
 * Only the database is copied; the file store (`<dataDir>/files`) is plain files for rsync.
 */
export async function backupDatabase(dataDir: string, target: string): Promise<{ target: string }> {
  const source = databaseFile(resolve(dataDir));
  if (!existsSync(source)) throw new Error(`no job-service database at ${source}`);
  const dest = resolve(target);
  if (existsSync(dest)) throw new Error(`${dest} already exists; choose a new name`);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.partial-${process.pid}`;
  const db = await new Promise<sqlite3.Database>((ok, fail) => {
    const handle = new sqlite3.Database(source, sqlite3.OPEN_READONLY, (err) => (err ? fail(err) : ok(handle)));
  });
  try {
    await run(db, 'PRAGMA busy_timeout = 5000');
    await run(db, 'VACUUM INTO ?', [tmp]);
    renameSync(tmp, dest);
    return { target: dest };
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    await close(db);
  }
}
