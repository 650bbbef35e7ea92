import { createTempDir } from '@printfleet/testing';
import { openDatabase } from '../src/database/data-source';

describe('migrations', () => {
  it('build the schema on an empty database once, with WAL and foreign keys on', async () => {
    const dir = createTempDir();
    const first = await openDatabase(dir.path);
    expect(first.applied).toEqual(['InitialSchema1767225600000']);
    expect(await first.dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await first.dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    await first.dataSource.destroy();
    const second = await openDatabase(dir.path);
    expect(second.applied).toEqual([]);
    await second.dataSource.destroy();
    dir.remove();
  });

  it('refuse a second active job on one printer at the database level', async () => {
    const dir = createTempDir();
    const { dataSource } = await openDatabase(dir.path);
    const insert = (id: string) =>
      dataSource.query(`INSERT INTO jobs (id, file_name, printer_id, requested_by, state, queued_at) VALUES (?, 'x', 'p1', 'u', 'printing', '2024-01-01')`, [id]);
    await insert('a');
    await expect(insert('b')).rejects.toThrow(/UNIQUE/);
    await dataSource.destroy();
    dir.remove();
  });
});
