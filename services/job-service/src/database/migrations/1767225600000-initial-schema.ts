import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. Timestamps are ISO 8601 UTC text (sortable, readable in `sqlite3`), JSON
 * columns are text. A file row may be deleted (retention) while its jobs keep the file's name
 * and hash: history outlives the library.
 */
export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE files (
      id TEXT PRIMARY KEY,
      sha256 TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      size INTEGER NOT NULL,
      uploaded_by TEXT NOT NULL,
      uploaded_at TEXT NOT NULL,
      folder TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      analysis_state TEXT NOT NULL DEFAULT 'pending' CHECK (analysis_state IN ('pending', 'done', 'failed')),
      analysis_error TEXT,
      analysis TEXT,
      estimate_s REAL,
      filament_mm REAL,
      bbox TEXT,
      thumbnails TEXT NOT NULL DEFAULT '[]',
      last_printed_at TEXT
    )`);
    await q.query(`CREATE INDEX idx_files_uploaded_at ON files (uploaded_at)`);
    await q.query(`CREATE INDEX idx_files_last_printed_at ON files (last_printed_at)`);
    await q.query(`CREATE TABLE file_thumbnails (
      file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      mime_type TEXT NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (file_id, idx)
    )`);
    await q.query(`CREATE TABLE printers (
      id TEXT PRIMARY KEY,
      agent_id TEXT,
      display_name TEXT,
      location TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      bed_x REAL,
      bed_y REAL,
      bed_z REAL,
      nozzle_diameter REAL,
      filament_type TEXT,
      firmware TEXT,
      state TEXT NOT NULL DEFAULT 'offline',
      state_seq INTEGER,
      state_at TEXT,
      first_seen_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    // printer_id has no foreign key: a printer may leave the registry while its history stays.
    await q.query(`CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      file_id TEXT REFERENCES files (id) ON DELETE SET NULL,
      file_name TEXT NOT NULL,
      file_sha256 TEXT,
      file_size INTEGER,
      printer_id TEXT,
      requested_by TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'held', 'dispatching', 'printing', 'paused', 'finished', 'failed', 'cancelled', 'interrupted')),
      queued_at TEXT NOT NULL,
      dispatched_at TEXT,
      started_at TEXT,
      ended_at TEXT,
      duration_s REAL,
      reason TEXT,
      progress REAL,
      filament_used_mm REAL,
      last_confirmed_line INTEGER,
      command_id TEXT,
      reprint_of TEXT REFERENCES jobs (id) ON DELETE SET NULL
    )`);
    // The database itself refuses a second active job on one printer, whatever the code does.
    await q.query(
      `CREATE UNIQUE INDEX ux_jobs_one_active_per_printer ON jobs (printer_id) WHERE state IN ('dispatching', 'printing', 'paused')`,
    );
    await q.query(`CREATE INDEX idx_jobs_state ON jobs (state)`);
    await q.query(`CREATE INDEX idx_jobs_queued_at ON jobs (queued_at)`);
    await q.query(`CREATE INDEX idx_jobs_printer ON jobs (printer_id, queued_at)`);
    await q.query(`CREATE INDEX idx_jobs_requested_by ON jobs (requested_by, queued_at)`);
    await q.query(`CREATE INDEX idx_jobs_file ON jobs (file_id)`);
    await q.query(`CREATE INDEX idx_jobs_command ON jobs (command_id)`);
    await q.query(`CREATE TABLE queue_entries (
      job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      target_printer_id TEXT,
      constraints TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL
    )`);
    await q.query(`CREATE INDEX idx_queue_position ON queue_entries (position)`);
    await q.query(`CREATE TABLE temperature_samples (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      printer_id TEXT NOT NULL,
      job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
      ts TEXT NOT NULL,
      heaters TEXT NOT NULL
    )`);
    await q.query(`CREATE INDEX idx_temperature_printer_ts ON temperature_samples (printer_id, ts)`);
    await q.query(`CREATE INDEX idx_temperature_job ON temperature_samples (job_id)`);
    await q.query(`CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      ts TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject_type TEXT NOT NULL,
      subject_id TEXT,
      details TEXT
    )`);
    await q.query(`CREATE INDEX idx_audit_ts ON audit_log (ts)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'temperature_samples', 'queue_entries', 'jobs', 'printers', 'file_thumbnails', 'files'])
      await q.query(`DROP TABLE ${table}`);
  }
}
