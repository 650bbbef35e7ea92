import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { SqliteDatabase } from '@printfleet/sqlite';
import type { DataSource } from 'typeorm';

export const DATA_SOURCE = Symbol('gateway:data-source');

/**
 * The one door to SQLite for the repositories: hand-written SQL with `?` parameters only (the
 * schema is the migrations'), one statement at a time (see `SqliteDatabase`). Closes the
 * database on shutdown, after the statements already queued.
 */
@Injectable()
export class Database extends SqliteDatabase implements OnModuleDestroy {
  constructor(@Inject(DATA_SOURCE) dataSource: DataSource) {
    super(dataSource);
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}
