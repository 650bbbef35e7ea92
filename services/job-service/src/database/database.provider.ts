import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { closeSqlite } from '@printfleet/sqlite';
import type { DataSource } from 'typeorm';

export const DATA_SOURCE = Symbol('job-service:data-source');

/** Closes the database on shutdown (the data source itself is created by `openDatabase`). */
@Injectable()
export class DatabaseCloser implements OnModuleDestroy {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}
  onModuleDestroy(): Promise<void> {
    return closeSqlite(this.dataSource);
  }
}
