import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository';
import { nowIso } from '../clock';
import { invalid, notFound } from '../errors';
import { JOB_SETTINGS, type JobSettings } from '../settings';
import { AnalysisService } from './analysis.service';
import { BlobStore } from './blob-store';
import { checkFileName } from './file-name';
import { FileRepository, type FileQuery } from './file.repository';
import type { FileRecord, StoredThumbnail } from './file.types';

export interface UploadInput {
  content: AsyncIterable<Buffer>;
  name: string | undefined;
  uploadedBy: string;
  folder?: string | null;
  tags?: string[];
}

const isUniqueViolation = (err: unknown) => /UNIQUE constraint failed: files\.sha256/.test(String((err as Error).message));

/** The file library: upload (dedupe by content), list, detail, download path, thumbnails, delete. */
@Injectable()
export class FileLibraryService {
  constructor(
    private readonly files: FileRepository,
    private readonly store: BlobStore,
    private readonly analysis: AnalysisService,
    private readonly audit: AuditRepository,
    @Inject(JOB_SETTINGS) private readonly settings: JobSettings,
  ) {}

  /**
   * Stores the content under its hash, then records it. The same content uploaded again is the
   * same file (`duplicate: true`, first name kept). The name is checked before any byte is stored.
   */
  async upload(input: UploadInput): Promise<{ file: FileRecord; duplicate: boolean }> {
    const name = checkFileName(input.name);
    if (input.folder !== undefined && input.folder !== null && (input.folder.length > 200 || /[\u0000-\u001f]/.test(input.folder)))
      throw invalid('folder: at most 200 characters, no control characters');
    const blob = await this.store.write(input.content, this.settings.maxUploadBytes);
    const existing = await this.files.findBySha256(blob.sha256);
    if (existing) return { file: existing, duplicate: true };
    const id = randomUUID();
    try {
      await this.files.insert({
        id,
        sha256: blob.sha256,
        name,
        size: blob.size,
        uploadedBy: input.uploadedBy,
        uploadedAt: nowIso(),
        folder: input.folder ?? null,
        tags: input.tags ?? [],
      });
    } catch (err) {
      // Two uploads of one content at once: the other one won the row.
      if (isUniqueViolation(err)) {
        const winner = await this.files.findBySha256(blob.sha256);
        if (winner) return { file: winner, duplicate: true };
      }
      if (!blob.existed) await this.store.remove(blob.sha256);
      throw err;
    }
    await this.audit.record(input.uploadedBy, 'file.upload', 'file', id, { name, size: blob.size, sha256: blob.sha256 });
    void this.analysis.start({ id, sha256: blob.sha256 });
    return { file: (await this.files.get(id))!, duplicate: false };
  }

  list(q: FileQuery) {
    return this.files.list(q);
  }

  async get(id: string): Promise<FileRecord> {
    const f = await this.files.get(id);
    if (!f) throw notFound('file', id);
    return f;
  }

  async detail(id: string): Promise<FileRecord & { analysis: unknown }> {
    const f = await this.get(id);
    return { ...f, analysis: await this.files.analysisJson(id) };
  }

  async contentPath(id: string): Promise<{ file: FileRecord; path: string }> {
    const file = await this.get(id);
    return { file, path: this.store.pathOf(file.sha256) };
  }

  async thumbnail(id: string, index: number): Promise<StoredThumbnail> {
    await this.get(id);
    const t = await this.files.thumbnail(id, index);
    if (!t) throw notFound('thumbnail', `${id}#${index}`);
    return t;
  }

  /** Removes the file and its content; jobs keep its name and hash (history stays whole). */
  async delete(id: string, actor: string, why = 'file.delete'): Promise<void> {
    const f = await this.get(id);
    await this.files.delete(id);
    await this.store.remove(f.sha256);
    await this.audit.record(actor, why, 'file', id, { name: f.name, sha256: f.sha256 });
  }
}
