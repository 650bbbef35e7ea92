import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTempDir } from '@printfleet/testing';
import { closeSqlite, openSqlite, SQLITE_BUSY_TIMEOUT_MS, SqliteDatabase, type MigrationClass } from '../src';

class Notes1700000000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`);
    await qr.query(`INSERT INTO notes (body) VALUES ('seed')`);
  }
  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE notes`);
  }
}

class Tags1700000000001 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE, tag TEXT NOT NULL)`);
  }
  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DROP TABLE tags`);
  }
}

/** Half done, then fails: its own transaction must take the half back. */
class Broken1700000000002 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`CREATE TABLE half_done (id INTEGER)`);
    await qr.query(`INSERT INTO no_such_table VALUES (1)`);
  }
  async down(): Promise<void> {}
}

const MIGRATIONS: MigrationClass[] = [Notes1700000000000, Tags1700000000001];

describe('@printfleet/sqlite', () => {
  let dir: ReturnType<typeof createTempDir>;
  let file: string;
  const opened: SqliteDatabase[] = [];

  /** Opens the test file (migrated) and wraps it; closed after each test. */
  const open = async (migrations = MIGRATIONS) => {
    const { dataSource, applied } = await openSqlite({ file, migrations });
    const db = new SqliteDatabase(dataSource);
    opened.push(db);
    return { db, dataSource, applied };
  };

  beforeEach(() => {
    dir = createTempDir('printfleet-sqlite-');
    file = join(dir.path, 'db', 'test.sqlite');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(opened.splice(0).map((db) => db.close()));
    dir.remove();
  });

  describe('openSqlite', () => {
    it('creates the folder for the owner only and sets WAL, synchronous=FULL, the busy timeout and foreign keys', async () => {
      const { db } = await open();
      expect(statSync(join(dir.path, 'db')).mode & 0o777).toBe(0o700);
      expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await db.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]); // 2 = FULL (NORMAL is 1)
      expect(await db.query('PRAGMA busy_timeout')).toEqual([{ timeout: SQLITE_BUSY_TIMEOUT_MS }]);
      expect(await db.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      // And the foreign keys are really enforced, cascades included.
      await expect(db.run(`INSERT INTO tags (note_id, tag) VALUES (999, 'x')`)).rejects.toThrow(/FOREIGN KEY/);
      await db.run(`INSERT INTO tags (note_id, tag) VALUES (1, 'x')`);
      await db.run(`DELETE FROM notes WHERE id = 1`);
      expect(await db.query(`SELECT * FROM tags`)).toEqual([]);
    });

    it('runs each migration once, and only the new ones on a later open', async () => {
      const first = await open([Notes1700000000000]);
      expect(first.applied).toEqual(['Notes1700000000000']);
      await first.db.close();

      const second = await open([Notes1700000000000]);
      expect(second.applied).toEqual([]);
      await second.db.close();

      const third = await open();
      expect(third.applied).toEqual(['Tags1700000000001']);
      expect(await third.db.query(`SELECT body FROM notes`)).toEqual([{ body: 'seed' }]); // seeded once, not twice
    });

    it('rolls a failing migration back, keeps the ones before it, and closes the data source', async () => {
      jest.spyOn(console, 'log').mockImplementation(() => undefined); // TypeORM logs the failure itself
      const destroy = jest.spyOn(DataSource.prototype, 'destroy');
      await expect(openSqlite({ file, migrations: [...MIGRATIONS, Broken1700000000002] })).rejects.toThrow(/no_such_table/);
      expect(destroy).toHaveBeenCalledTimes(1);
      const { db, applied } = await open();
      expect(applied).toEqual([]);
      const tables = await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('notes', 'tags', 'half_done') ORDER BY name`);
      expect(tables.map((t) => t.name)).toEqual(['notes', 'tags']);
    });

    it('closes cleanly, and closing twice is harmless', async () => {
      const { dataSource } = await openSqlite({ file, migrations: MIGRATIONS });
      await closeSqlite(dataSource);
      expect(dataSource.isInitialized).toBe(false);
      await expect(closeSqlite(dataSource)).resolves.toBeUndefined();
    });
  });

  describe('SqliteDatabase', () => {
    it('reports the rows a statement changed, leading white space or not', async () => {
      const { db } = await open();
      await db.run(`INSERT INTO notes (body) VALUES (?), (?)`, ['a', 'b']);
      expect(await db.run(`\n      UPDATE notes SET body = upper(body) WHERE body IN (?, ?)`, ['a', 'b'])).toBe(2);
      expect(await db.run(`DELETE FROM notes WHERE body = ?`, ['nothing'])).toBe(0);
      expect(await db.query<{ body: string }>(`\n  SELECT body FROM notes ORDER BY id`)).toEqual([{ body: 'seed' }, { body: 'A' }, { body: 'B' }]);
    });

    it('commits a transaction that resolves and rolls back one that throws', async () => {
      const { db } = await open();
      await expect(
        db.transaction(async (tx) => {
          await tx.run(`INSERT INTO notes (body) VALUES ('kept')`);
          return tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM notes`);
        }),
      ).resolves.toEqual([{ n: 2 }]);
      await expect(
        db.transaction(async (tx) => {
          await tx.run(`INSERT INTO notes (body) VALUES ('lost')`);
          await tx.run(`UPDATE notes SET body = 'changed' WHERE body = 'seed'`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.query(`SELECT body FROM notes ORDER BY id`)).toEqual([{ body: 'seed' }, { body: 'kept' }]);
    });

    it('runs overlapping transactions on the one connection one after the other', async () => {
      const { db } = await open();
      const order: string[] = [];
      const work = (name: string) =>
        db.transaction(async (tx) => {
          order.push(`${name} begins`);
          await tx.run(`INSERT INTO notes (body) VALUES (?)`, [name]);
          await new Promise((r) => setTimeout(r, 20));
          order.push(`${name} ends`);
          if (name === 'b') throw new Error('b fails');
        });
      const results = await Promise.allSettled([work('a'), work('b'), work('c'), db.query(`SELECT 1`)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(order).toEqual(['a begins', 'a ends', 'b begins', 'b ends', 'c begins', 'c ends']);
      expect(await db.query(`SELECT body FROM notes ORDER BY id`)).toEqual([{ body: 'seed' }, { body: 'a' }, { body: 'c' }]);
    });

    it('closes after the statements already queued', async () => {
      const { db, dataSource } = await open();
      const pending = db.run(`INSERT INTO notes (body) VALUES ('last')`);
      await db.close();
      expect(dataSource.isInitialized).toBe(false);
      await expect(pending).resolves.toBe(1);
      const reopened = await open();
      expect(await reopened.db.query(`SELECT body FROM notes ORDER BY id`)).toEqual([{ body: 'seed' }, { body: 'last' }]);
    });
  });

  describe('two connections on one file (WAL)', () => {
    /** Well under the busy timeout: nobody waited for a lock. */
    const QUICK_MS = 1000;
    const timed = async <T>(work: Promise<T>): Promise<{ value: T; ms: number }> => {
      const start = Date.now();
      const value = await work;
      return { value, ms: Date.now() - start };
    };

    it('a reader is not blocked by a writer in the middle of a transaction, and sees the last commit', async () => {
      const writer = (await open()).db;
      const reader = (await open()).db;
      await writer.transaction(async (tx) => {
        await tx.run(`INSERT INTO notes (body) VALUES ('uncommitted')`);
        const read = await timed(reader.query(`SELECT body FROM notes ORDER BY id`));
        expect(read.value).toEqual([{ body: 'seed' }]);
        expect(read.ms).toBeLessThan(QUICK_MS);
      });
      expect(await reader.query(`SELECT body FROM notes ORDER BY id`)).toEqual([{ body: 'seed' }, { body: 'uncommitted' }]);
    });

    it('a writer commits while a reader holds its snapshot open', async () => {
      const writer = (await open()).db;
      const reader = (await open()).db;
      await reader.transaction(async (rtx) => {
        expect(await rtx.query(`SELECT COUNT(*) AS n FROM notes`)).toEqual([{ n: 1 }]);
        // With a rollback journal this commit would wait for the reader's lock until the busy timeout.
        const write = await timed(writer.run(`INSERT INTO notes (body) VALUES ('new')`));
        expect(write.value).toBe(1);
        expect(write.ms).toBeLessThan(QUICK_MS);
        expect(await rtx.query(`SELECT COUNT(*) AS n FROM notes`)).toEqual([{ n: 1 }]); // still its snapshot
      });
      expect(await reader.query(`SELECT COUNT(*) AS n FROM notes`)).toEqual([{ n: 2 }]);
    });
  });
});
