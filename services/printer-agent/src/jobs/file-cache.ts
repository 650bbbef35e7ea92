import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface CachedFile {
  path: string;
  size: number;
  /** Lines in the file (a last line without LF counts): progress is measured against it. */
  lines: number;
}

export interface FileRef {
  sha256: string;
  size: number;
  url: string;
}

/** A refusal with a reason fit for the command reply. */
export class FileCacheError extends Error {}

const NEWLINE = 0x0a;

/** Hashes, counts bytes and lines, and stops a download that runs past the announced size. */
class Inspector extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  newlines = 0;
  lastByte = NEWLINE;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(new FileCacheError(`file is larger than the announced ${this.limit} bytes`));
    this.hash.update(chunk);
    for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) this.newlines++;
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1]!;
    done(null, chunk);
  }

  get lines(): number {
    return this.newlines + (this.bytes > 0 && this.lastByte !== NEWLINE ? 1 : 0);
  }
}

/**
 * The agent's own copy of every file it prints, under `<dataDir>/agent-cache/<sha256>`, so a
 * network or job-service restart never stops a running print (DESIGN.md "Files and printing").
 * Downloads stream to a temp file, are fsynced, checked (size and sha256) and only then renamed
 * into place: a file under its hash name is always whole. A cached file is re-read and
 * re-checked before each use, so a damaged cache is downloaded again rather than printed.
 */
export class FileCache {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'agent-cache');
    mkdirSync(this.dir, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new FileCacheError(`"${sha256}" is not a sha256`);
    return join(this.dir, sha256);
  }

  async ensure(file: FileRef): Promise<CachedFile> {
    const path = this.pathOf(file.sha256);
    const cached = await this.verify(path, file).catch(() => null);
    if (cached) return cached;
    await rm(path, { force: true });
    return this.download(file, path);
  }

  /** The cached copy, checked again; null when missing or damaged. */
  async verify(path: string, file: FileRef): Promise<CachedFile | null> {
    const info = await stat(path);
    if (info.size !== file.size) return null;
    const inspector = new Inspector(file.size);
    await pipeline(createReadStream(path), inspector, devNull());
    if (inspector.hash.digest('hex') !== file.sha256) return null;
    return { path, size: info.size, lines: inspector.lines };
  }

  private async download(file: FileRef, path: string): Promise<CachedFile> {
    let res: Response;
    try {
      res = await fetch(file.url);
    } catch (err) {
      throw new FileCacheError(`download failed: ${(err as Error).message}`);
    }
    if (!res.ok || !res.body) throw new FileCacheError(`download failed: HTTP ${res.status} from the file server`);
    const temp = join(this.dir, `.${file.sha256}.${randomBytes(4).toString('hex')}.part`);
    const inspector = new Inspector(file.size);
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), inspector, createWriteStream(temp));
      if (inspector.bytes !== file.size)
        throw new FileCacheError(`size mismatch: expected ${file.size} bytes, received ${inspector.bytes}`);
      const digest = inspector.hash.digest('hex');
      if (digest !== file.sha256) throw new FileCacheError(`sha256 mismatch: expected ${file.sha256}, received ${digest}`);
      const handle = await open(temp, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      if (err instanceof FileCacheError) throw err;
      throw new FileCacheError(`download failed: ${(err as Error).message}`);
    }
    return { path, size: file.size, lines: inspector.lines };
  }
}

function devNull(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}
