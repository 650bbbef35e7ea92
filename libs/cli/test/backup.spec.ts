import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sqlite3 from 'sqlite3';
import { databaseFile } from '@printfleet/job-service';
import { createTempDir } from '@printfleet/testing';

const BIN = join(__dirname, '..', 'bin', 'printfleet.js');

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((ok, fail) => db.exec(sql, (err) => (err ? fail(err) : ok())));
}
function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((ok, fail) => db.all(sql, (err, rows) => (err ? fail(err) : ok(rows as T[]))));
}

describe('printfleet backup', () => {
  it('copies the live job database, uncommitted writer and all, and refuses to overwrite', async () => {
    const dir = createTempDir('printfleet-backup-');
    const source = databaseFile(dir.path);
    mkdirSync(dirname(source), { recursive: true });
    const live = new sqlite3.Database(source);
    await exec(live, "PRAGMA journal_mode = WAL; CREATE TABLE jobs (id TEXT); INSERT INTO jobs VALUES ('job-1'), ('job-2');");

    const target = join(dir.path, 'copy.sqlite');
    const run = () =>
      spawnSync(process.execPath, [BIN, 'backup', target], { env: { PATH: process.env.PATH, PRINTFLEET_DATA_DIR: dir.path }, encoding: 'utf8' });
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`database backed up to ${target}`);

    const copy = new sqlite3.Database(target);
    expect(await all(copy, 'SELECT id FROM jobs ORDER BY id')).toEqual([{ id: 'job-1' }, { id: 'job-2' }]);
    await new Promise((ok) => copy.close(ok));

    const second = run();
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/already exists/);
    await new Promise((ok) => live.close(ok));
    dir.remove();
  });
});
