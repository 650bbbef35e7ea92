import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.repository';
import { escapeLike } from '../history/history.repository';
import type { AnalysisState, FileRecord, StoredThumbnail, ThumbnailSummary } from './file.types';

interface FileRow {
  id: string;
  sha256: string;
  name: string;
  size: number;
  uploaded_by: string;
  uploaded_at: string;
  folder: string | null;
  tags: string;
  analysis_state: AnalysisState;
  analysis_error: string | null;
  estimate_s: number | null;
  filament_mm: number | null;
  bbox: string | null;
  thumbnails: string;
  last_printed_at: string | null;
}

const COLUMNS = `id, sha256, name, size, uploaded_by, uploaded_at, folder, tags, analysis_state, analysis_error,
  estimate_s, filament_mm, bbox, thumbnails, last_printed_at`;

const toRecord = (r: FileRow): FileRecord => ({
  id: r.id,
  sha256: r.sha256,
  name: r.name,
  size: r.size,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
  folder: r.folder,
  tags: JSON.parse(r.tags) as string[],
  analysisState: r.analysis_state,
  analysisError: r.analysis_error,
  estimateS: r.estimate_s,
  filamentMm: r.filament_mm,
  bbox: r.bbox ? (JSON.parse(r.bbox) as FileRecord['bbox']) : null,
  thumbnails: JSON.parse(r.thumbnails) as ThumbnailSummary[],
  lastPrintedAt: r.last_printed_at,
});

export interface FileQuery {
  search?: string;
  folder?: string;
  limit: number;
  offset: number;
}

export interface AnalysisOutcome {
  state: 'done' | 'failed';
  error?: string;
  json?: string;
  estimateS?: number | null;
  filamentMm?: number | null;
  bbox?: FileRecord['bbox'];
  thumbnails?: StoredThumbnail[];
}

@Injectable()
export class FileRepository {
  constructor(private readonly db: Database) {}

  async insert(f: Pick<FileRecord, 'id' | 'sha256' | 'name' | 'size' | 'uploadedBy' | 'uploadedAt' | 'folder' | 'tags'>): Promise<void> {
    await this.db.query(
      `INSERT INTO files (id, sha256, name, size, uploaded_by, uploaded_at, folder, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [f.id, f.sha256, f.name, f.size, f.uploadedBy, f.uploadedAt, f.folder, JSON.stringify(f.tags)],
    );
  }

  async get(id: string): Promise<FileRecord | null> {
    const rows = await this.db.query<FileRow>(`SELECT ${COLUMNS} FROM files WHERE id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findBySha256(sha256: string): Promise<FileRecord | null> {
    const rows = await this.db.query<FileRow>(`SELECT ${COLUMNS} FROM files WHERE sha256 = ?`, [sha256]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(q: FileQuery): Promise<{ items: FileRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.search) {
      where.push(`name LIKE ? ESCAPE '\\'`);
      params.push(`%${escapeLike(q.search)}%`);
    }
    if (q.folder) {
      where.push('folder = ?');
      params.push(q.folder);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = await this.db.query<FileRow>(
      `SELECT ${COLUMNS} FROM files ${clause} ORDER BY uploaded_at DESC, id LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset],
    );
    const [count] = (await this.db.query(`SELECT COUNT(*) AS n FROM files ${clause}`, params)) as { n: number }[];
    return { items: rows.map(toRecord), total: count?.n ?? 0 };
  }

  async pendingAnalysis(): Promise<FileRecord[]> {
    const rows = await this.db.query<FileRow>(`SELECT ${COLUMNS} FROM files WHERE analysis_state = 'pending'`);
    return rows.map(toRecord);
  }

  /** Stores an analysis and its thumbnails in one transaction. */
  async saveAnalysis(id: string, a: AnalysisOutcome): Promise<void> {
    const summaries: ThumbnailSummary[] = (a.thumbnails ?? []).map((t, index) => ({ index, width: t.width, height: t.height, mimeType: t.mimeType }));
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE files SET analysis_state = ?, analysis_error = ?, analysis = ?, estimate_s = ?, filament_mm = ?, bbox = ?, thumbnails = ? WHERE id = ?`,
        [a.state, a.error ?? null, a.json ?? null, a.estimateS ?? null, a.filamentMm ?? null, a.bbox ? JSON.stringify(a.bbox) : null, JSON.stringify(summaries), id],
      );
      await m.query(`DELETE FROM file_thumbnails WHERE file_id = ?`, [id]);
      for (const [index, t] of (a.thumbnails ?? []).entries())
        await m.query(`INSERT INTO file_thumbnails (file_id, idx, width, height, mime_type, data) VALUES (?, ?, ?, ?, ?, ?)`, [
          id,
          index,
          t.width,
          t.height,
          t.mimeType,
          t.data,
        ]);
    });
  }

  async analysisJson(id: string): Promise<unknown> {
    const rows: { analysis: string | null }[] = await this.db.query(`SELECT analysis FROM files WHERE id = ?`, [id]);
    const text = rows[0]?.analysis;
    return text ? (JSON.parse(text) as unknown) : null;
  }

  async thumbnail(id: string, index: number): Promise<StoredThumbnail | null> {
    const rows: { width: number; height: number; mime_type: string; data: Buffer }[] = await this.db.query(
      `SELECT width, height, mime_type, data FROM file_thumbnails WHERE file_id = ? AND idx = ?`,
      [id, index],
    );
    const r = rows[0];
    return r ? { width: r.width, height: r.height, mimeType: r.mime_type, data: r.data } : null;
  }

  async markPrinted(id: string, at: string): Promise<void> {
    await this.db.query(`UPDATE files SET last_printed_at = ? WHERE id = ?`, [at, id]);
  }

  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM files WHERE id = ?`, [id]);
  }

  /** Files neither printed nor uploaded since `before`, and not waiting in the queue or printing. */
  async unusedSince(before: string): Promise<FileRecord[]> {
    const rows = await this.db.query<FileRow>(
      `SELECT ${COLUMNS} FROM files f WHERE COALESCE(f.last_printed_at, f.uploaded_at) < ?
         AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.file_id = f.id AND j.state IN ('queued', 'held', 'dispatching', 'printing', 'paused'))`,
      [before],
    );
    return rows.map(toRecord);
  }
}
