import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTempDir } from '@printfleet/testing';
import { databaseFile, openDatabase } from '../src/database/data-source';
import { InitialSchema1767225600000 } from '../src/database/migrations/1767225600000-initial-schema';
import { HistoryIndexes1795824000000 } from '../src/database/migrations/1795824000000-history-indexes';

const indexesOf = async (ds: DataSource, table: string) =>
  ((await ds.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`, [table])) as { name: string }[]).map(
    (r) => r.name,
  );

describe('migrations', () => {
  it('build the schema on an empty database once, with WAL and foreign keys on', async () => {
    const dir = createTempDir();
    const first = await openDatabase(dir.path);
    expect(first.applied).toEqual(['InitialSchema1767225600000', 'HistoryIndexes1795824000000', 'PrinterSettings1798761600000', 'StatsSummary1801440000000']);
    expect(await first.dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await first.dataSource.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    await first.dataSource.destroy();
    const second = await openDatabase(dir.path);
    expect(second.applied).toEqual([]);
    await second.dataSource.destroy();
    dir.remove();
  });

  it('bring a database of the previous schema, with data in it, to the latest, and back', async () => {
    const dir = createTempDir();
    // The database as the first release left it: the first migration only.
    mkdirSync(join(dir.path, 'db'), { recursive: true });
    const old = new DataSource({ type: 'sqlite', database: databaseFile(dir.path), migrations: [InitialSchema1767225600000], enableWAL: true });
    await old.initialize();
    expect((await old.runMigrations()).map((m) => m.name)).toEqual(['InitialSchema1767225600000']);
    await old.query(`INSERT INTO files (id, sha256, name, size, uploaded_by, uploaded_at) VALUES ('f1', ?, 'a.gcode', 10, 'alice', '2026-01-01T00:00:00.000Z')`, ['a'.repeat(64)]);
    const job = (id: string, state: string, printer: string | null) =>
      old.query(`INSERT INTO jobs (id, file_id, file_name, printer_id, requested_by, state, queued_at, duration_s, reason) VALUES (?, 'f1', 'a.gcode', ?, 'alice', ?, ?, 60, ?)`, [
        id,
        printer,
        state,
        `2026-01-0${id.length}T00:00:00.000Z`,
        state === 'failed' ? 'nozzle clog' : null,
      ]);
    await job('j1', 'finished', 'p1');
    await job('j22', 'failed', 'p1');
    await job('j333', 'printing', 'p2');
    await job('j4444', 'queued', null);
    await old.query(`INSERT INTO queue_entries (job_id, position, created_at) VALUES ('j4444', 1, '2026-01-04T00:00:00.000Z')`);
    await old.query(`INSERT INTO temperature_samples (printer_id, job_id, ts, heaters) VALUES ('p2', 'j333', '2026-01-03T00:00:10.000Z', '{}')`);
    await old.destroy();

    const { dataSource, applied } = await openDatabase(dir.path);
    expect(applied).toEqual(['HistoryIndexes1795824000000', 'PrinterSettings1798761600000', 'StatsSummary1801440000000']);
    expect(await dataSource.query(`SELECT id, state, reason FROM jobs ORDER BY id`)).toEqual([
      { id: 'j1', state: 'finished', reason: null },
      { id: 'j22', state: 'failed', reason: 'nozzle clog' },
      { id: 'j333', state: 'printing', reason: null },
      { id: 'j4444', state: 'queued', reason: null },
    ]);
    expect(await dataSource.query(`SELECT COUNT(*) AS n FROM queue_entries`)).toEqual([{ n: 1 }]);
    expect(await dataSource.query(`SELECT job_id FROM temperature_samples`)).toEqual([{ job_id: 'j333' }]);
    expect(await indexesOf(dataSource, 'jobs')).toEqual(
      expect.arrayContaining(['idx_jobs_stats_printer', 'idx_jobs_stats_user', 'idx_jobs_state_reason', 'idx_jobs_queued_stats', 'ux_jobs_one_active_per_printer']),
    );
    expect(await indexesOf(dataSource, 'jobs')).not.toContain('idx_jobs_state');
    expect(await indexesOf(dataSource, 'temperature_samples')).toContain('idx_temperature_ts');
    // The one-active-job rule survives the migration.
    await expect(dataSource.query(`UPDATE jobs SET state = 'printing', printer_id = 'p2' WHERE id = 'j4444'`)).rejects.toThrow(/UNIQUE/);

    // And back (past the statistics summaries and the printer settings first): the previous schema's indexes return.
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    expect(await indexesOf(dataSource, 'jobs')).toEqual(expect.arrayContaining(['idx_jobs_state', 'idx_jobs_queued_at']));
    expect(await indexesOf(dataSource, 'jobs')).not.toContain('idx_jobs_stats_printer');
    await dataSource.destroy();
    dir.remove();
  });

  it('split operator names from agent names in an existing registry, add empty scripts, keep every printer, and back', async () => {
    const dir = createTempDir();
    mkdirSync(join(dir.path, 'db'), { recursive: true });
    const old = new DataSource({ type: 'sqlite', database: databaseFile(dir.path), migrations: [InitialSchema1767225600000, HistoryIndexes1795824000000], enableWAL: true });
    await old.initialize();
    await old.runMigrations();
    const printer = (id: string, name: string | null) =>
      old.query(
        `INSERT INTO printers (id, display_name, location, tags, nozzle_diameter, state, first_seen_at, updated_at) VALUES (?, ?, 'Room 2', '["pei"]', 0.4, 'ready', '2026-01-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z')`,
        [id, name],
      );
    await printer('agent-named', 'Prusa MK3 A'); // only the agent ever named it
    await printer('operator-named', 'Left MK3'); // an operator named it
    await printer('renamed-back', 'Mini B'); // an operator named it, then cleared it: the agent's name came back
    await printer('nameless', null);
    const edit = (id: string, ts: string, details: unknown) =>
      old.query(`INSERT INTO audit_log (ts, actor, action, subject_type, subject_id, details) VALUES (?, 'alice', 'printer.profile', 'printer', ?, ?)`, [ts, id, JSON.stringify(details)]);
    await edit('operator-named', '2026-01-02T00:00:00.000Z', { displayName: 'Left' });
    await edit('operator-named', '2026-01-03T00:00:00.000Z', { displayName: 'Left MK3' });
    await edit('operator-named', '2026-01-04T00:00:00.000Z', { location: 'Room 2' }); // a later edit without a name keeps it
    await edit('renamed-back', '2026-01-02T00:00:00.000Z', { displayName: 'Mini' });
    await edit('renamed-back', '2026-01-03T00:00:00.000Z', { displayName: null });
    await edit('agent-named', '2026-01-02T00:00:00.000Z', { nozzleDiameter: 0.4 });
    await old.destroy();

    const { dataSource, applied } = await openDatabase(dir.path);
    expect(applied).toEqual(['PrinterSettings1798761600000', 'StatsSummary1801440000000']);
    const row = (id: string, agent: string | null, override: string | null, settingsAt: string | null) => ({
      id,
      agent_name: agent,
      name_override: override,
      pause_script: null,
      cancel_script: null,
      settings_updated_at: settingsAt,
      location: 'Room 2',
      tags: '["pei"]',
      nozzle_diameter: 0.4,
      updated_at: '2026-01-05T00:00:00.000Z',
    });
    expect(
      await dataSource.query(
        `SELECT id, agent_name, name_override, pause_script, cancel_script, settings_updated_at, location, tags, nozzle_diameter, updated_at FROM printers ORDER BY id`,
      ),
    ).toEqual([
      row('agent-named', 'Prusa MK3 A', null, null),
      row('nameless', null, null, null),
      row('operator-named', null, 'Left MK3', '2026-01-03T00:00:00.000Z'),
      row('renamed-back', 'Mini B', null, null),
    ]);

    // And back: one name column again, the operator's name where there was one; scripts go.
    await dataSource.query(`UPDATE printers SET agent_name = 'Echo', pause_script = '["G28"]' WHERE id = 'operator-named'`);
    await dataSource.undoLastMigration(); // the statistics summaries
    await dataSource.undoLastMigration();
    expect(await dataSource.query(`SELECT id, display_name FROM printers ORDER BY id`)).toEqual([
      { id: 'agent-named', display_name: 'Prusa MK3 A' },
      { id: 'nameless', display_name: null },
      { id: 'operator-named', display_name: 'Left MK3' },
      { id: 'renamed-back', display_name: 'Mini B' },
    ]);
    const columns = ((await dataSource.query(`PRAGMA table_info(printers)`)) as { name: string }[]).map((c) => c.name);
    expect(columns).not.toEqual(expect.arrayContaining(['pause_script']));
    expect(columns.filter((c) => /name|script|settings/.test(c))).toEqual(['display_name']);
    await dataSource.destroy();
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
