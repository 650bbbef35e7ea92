import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';

export const DATA_SOURCE = Symbol('job-service:data-source');

/** Closes the database on shutdown (the data source itself is created by `openDatabase`). */
@Injectable()
export class DatabaseCloser implements OnModuleDestroy {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}
  async onModuleDestroy(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
