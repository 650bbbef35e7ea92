import type { DataSource, QueryRunner } from 'typeorm';
import { closeSqlite } from './open-sqlite';

/** What a repository writes through, inside a transaction or not. SQL by hand, `?` parameters only. */
export interface Tx {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
  /** INSERT / UPDATE / DELETE: the number of rows changed (used for guarded state changes). */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/**
 * The one door to a SQLite data source opened by `openSqlite`. TypeORM's sqlite driver shares a
 * single connection between all query runners, so two overlapping transactions would interleave
 * on it ("cannot start a transaction within a transaction", or one caller's statement rolled back
 * with another's transaction). Every statement and transaction therefore runs through this FIFO
 * lock; SQLite serialises writes anyway, so nothing is lost.
 */
export class SqliteDatabase implements Tx {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  query<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.exclusive(() => this.withRunner((qr) => runnerTx(qr).query<T>(sql, params)));
  }

  run(sql: string, params: unknown[] = []): Promise<number> {
    return this.exclusive(() => this.withRunner((qr) => runnerTx(qr).run(sql, params)));
  }

  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() =>
      this.withRunner(async (qr) => {
        await qr.startTransaction();
        try {
          const out = await work(runnerTx(qr));
          await qr.commitTransaction();
          return out;
        } catch (err) {
          await qr.rollbackTransaction();
          throw err;
        }
      }),
    );
  }

  /** Waits for the statements already queued, then closes the connection (safe to call twice). */
  async close(): Promise<void> {
    await this.tail;
    await closeSqlite(this.dataSource);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async withRunner<T>(fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    try {
      return await fn(qr);
    } finally {
      await qr.release();
    }
  }
}

function runnerTx(qr: QueryRunner): Tx {
  return {
    query: async <T>(sql: string, params: unknown[] = []) => (await qr.query(sql.trim(), params)) as T[],
    run: async (sql: string, params: unknown[] = []) => {
      // The driver reports changes only for statements that start with INSERT, UPDATE or DELETE, hence the trim.
      const result = (await qr.query(sql.trim(), params, true)) as { affected?: number };
      return result.affected ?? 0;
    },
  };
}
