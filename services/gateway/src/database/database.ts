import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';

export const DATA_SOURCE = Symbol('gateway:data-source');

/**
 * The one door to SQLite for the repositories: hand-written SQL with `?` parameters only (the
 * schema is the migrations'). Statements are queued one at a time because TypeORM's sqlite
 * driver shares a single connection between query runners.
 */
@Injectable()
export class Database implements OnModuleDestroy {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.exclusive(() => this.dataSource.query(sql, params) as Promise<T[]>);
  }

  /** INSERT / UPDATE / DELETE: the number of rows changed. */
  run(sql: string, params: unknown[] = []): Promise<number> {
    return this.exclusive(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        const result = await runner.query(sql, params, true);
        return result.affected ?? 0;
      } finally {
        await runner.release();
      }
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.tail;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
