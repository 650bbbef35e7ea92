import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkMagic, GcodeError } from '@printfleet/gcode';
import { JobServiceError } from '../errors';

export interface StoredBlob {
  sha256: string;
  size: number;
  path: string;
  /** The same content was already stored: nothing new was written. */
  existed: boolean;
}

/** The gcode lib's refusals, as the job-service's own codes. */
function contentError(e: GcodeError): JobServiceError {
  if (e.code === 'BGCODE') return new JobServiceError('FILE_BGCODE', e.message);
  if (e.code === 'EMPTY') return new JobServiceError('FILE_EMPTY', e.message);
  return new JobServiceError('FILE_BINARY', e.message);
}

/**
 * The content-addressed file store: `<root>/ab/cdef…` (the sha256 split after two hex digits,
 * so no folder grows past 256 entries per level). Names given by users never reach a path.
 * A write goes to `<root>/.tmp/` first and is renamed into place after fsync, so a crash or an
 * aborted upload never leaves a half file under a hash; leftovers in `.tmp` are removed at boot.
 */
export class BlobStore {
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, '.tmp');
  }

  /** Creates the folders and removes temp files a crash left behind. */
  init(): void {
    mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(this.tmpDir)) rmSync(join(this.tmpDir, name), { force: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  /**
   * Streams `source` to disk while hashing it and checking that it is text G-code: the first
   * bytes decide `.bgcode`, any NUL byte means binary. Refuses more than `maxBytes`.
   */
  async write(source: AsyncIterable<Buffer>, maxBytes: number): Promise<StoredBlob> {
    const tmp = join(this.tmpDir, `${randomUUID()}.part`);
    const fh = await open(tmp, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    let closed = false;
    try {
      for await (const chunk of source) {
        if (size === 0) checkMagic(chunk);
        size += chunk.length;
        if (size > maxBytes) throw new JobServiceError('FILE_TOO_LARGE', `the file is larger than the limit of ${maxBytes} bytes`);
        if (chunk.indexOf(0) !== -1) throw new GcodeError('BINARY', 'binary data (NUL bytes) found: not a G-code text file');
        hash.update(chunk);
        await fh.write(chunk);
      }
      if (size === 0) throw new GcodeError('EMPTY', 'the file is empty');
      await fh.sync();
      await fh.close();
      closed = true;
      const sha256 = hash.digest('hex');
      const path = this.pathOf(sha256);
      if (await exists(path)) {
        await rm(tmp, { force: true });
        return { sha256, size, path, existed: true };
      }
      await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
      await rename(tmp, path);
      await syncDir(join(path, '..'));
      return { sha256, size, path, existed: false };
    } catch (err) {
      if (!closed) await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
      if (err instanceof GcodeError) throw contentError(err);
      if (err instanceof JobServiceError) throw err;
      throw new JobServiceError('UPLOAD_ABORTED', `upload did not complete: ${(err as Error).message}`);
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Makes the rename durable: the new directory entry is on disk before we report success. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
