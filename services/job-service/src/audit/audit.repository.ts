import { Injectable } from '@nestjs/common';
import { nowIso } from '../clock';
import { Database } from '../database/database.repository';

export interface AuditEntry {
  id: number;
  ts: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: unknown;
}

/** Who did what: uploads, queue changes, cancels, profile edits, retention deletions. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async record(actor: string, action: string, subjectType: string, subjectId: string | null, details?: unknown): Promise<void> {
    await this.db.query(`INSERT INTO audit_log (ts, actor, action, subject_type, subject_id, details) VALUES (?, ?, ?, ?, ?, ?)`, [
      nowIso(),
      actor,
      action,
      subjectType,
      subjectId,
      details === undefined ? null : JSON.stringify(details),
    ]);
  }

  async list(limit: number, offset: number): Promise<AuditEntry[]> {
    const rows: { id: number; ts: string; actor: string; action: string; subject_type: string; subject_id: string | null; details: string | null }[] =
      await this.db.query(`SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?`, [limit, offset]);
    return rows.map((r) => ({
      id: r.id,
      ts: r.ts,
      actor: r.actor,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      details: r.details ? (JSON.parse(r.details) as unknown) : null,
    }));
  }
}
