import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-printer settings the job-service publishes to the agents (docs/job-service.md "Printer
 * settings"): pause and cancel scripts (JSON arrays of G-code lines, null = the agent's default),
 * and the display name split in two. Until now `display_name` held whichever name came first,
 * the agent's or an operator's; once the agent shows the operator's name in its own state, the
 * two can no longer be told apart. So the agent's name moves to `agent_name` (what its state
 * last said) and the operator's to `name_override`; the registry shows override ?? agent name.
 * `settings_updated_at` is when the name override or a script last changed (also when cleared,
 * so a clear is published again after a broker restart too).
 *
 * Which existing names were an operator's is read from the audit log: the printer's latest
 * profile edit that mentioned `displayName` gave one (JSON text, not null). The old upsert never
 * replaced a name once set, so the column still holds that name; the agent's own name for
 * those printers is unknown until its next state.
 */
export class PrinterSettings1798761600000 implements MigrationInterface {
  name = 'PrinterSettings1798761600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE printers RENAME COLUMN display_name TO agent_name`);
    for (const column of ['name_override', 'pause_script', 'cancel_script', 'settings_updated_at'])
      await q.query(`ALTER TABLE printers ADD COLUMN ${column} TEXT`);
    // SQLite's bare columns: with MAX(id), `ts` and `kind` come from the row holding that id.
    await q.query(`UPDATE printers SET name_override = agent_name, agent_name = NULL, settings_updated_at = named.ts
      FROM (SELECT subject_id, ts, json_type(details, '$.displayName') AS kind, MAX(id)
            FROM audit_log
            WHERE action = 'printer.profile' AND subject_type = 'printer' AND json_type(details, '$.displayName') IS NOT NULL
            GROUP BY subject_id) AS named
      WHERE named.subject_id = printers.id AND named.kind = 'text' AND printers.agent_name IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE printers SET agent_name = COALESCE(name_override, agent_name)`);
    for (const column of ['settings_updated_at', 'cancel_script', 'pause_script', 'name_override']) await q.query(`ALTER TABLE printers DROP COLUMN ${column}`);
    await q.query(`ALTER TABLE printers RENAME COLUMN agent_name TO display_name`);
  }
}
