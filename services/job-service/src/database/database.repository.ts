import { Inject, Injectable } from '@nestjs/common';
import { SqliteDatabase } from '@printfleet/sqlite';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from './database.provider';

export type { Tx } from '@printfleet/sqlite';

/**
 * The one door to SQLite for the repositories: statements and transactions one at a time (see
 * `SqliteDatabase`), SQL written by hand (the schema is the migrations'), `?` parameters only.
 */
@Injectable()
export class Database extends SqliteDatabase {
  constructor(@Inject(DATA_SOURCE) dataSource: DataSource) {
    super(dataSource);
  }
}
