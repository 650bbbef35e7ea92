import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startTestBroker, createTempDir, type TestBroker } from '@printfleet/testing';
import { squareGcode } from './gcode-fixtures';
import { startJobService, type RunningJobService } from './harness';

/** Every file under the store, temp folder included: what an upload left on disk. */
function storedFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p.slice(root.length + 1));
    }
  };
  walk(root);
  return out.sort();
}

describe('uploads', () => {
  let broker: TestBroker;
  let dir: { path: string; remove(): void };
  let svc: RunningJobService;

  beforeAll(async () => {
    broker = await startTestBroker();
    dir = createTempDir();
    svc = await startJobService(broker, dir.path, { maxUploadBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await svc.stop();
    await broker.close();
    dir.remove();
  });

  const raw = async (body: Buffer | string, name: string) => {
    const res = await svc.api('/files', { method: 'POST', body, headers: { 'x-file-name': encodeURIComponent(name) } });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string }; file?: { id: string; sha256: string }; duplicate?: boolean } };
  };

  it('stores content under its sha256 and deduplicates a second upload', async () => {
    const first = await raw(squareGcode(10, 'dedupe'), 'part.g');
    const second = await raw(squareGcode(10, 'dedupe'), 'same-part.gco');
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 200, body: { duplicate: true, file: { id: first.body.file!.id } } });
    const sha = first.body.file!.sha256;
    expect(storedFiles(join(dir.path, 'files'))).toContain(`${sha.slice(0, 2)}/${sha.slice(2)}`);
    await svc.settle();
    expect((await svc.json(`/files/${first.body.file!.id}`)).body).toMatchObject({ name: 'part.g', analysisState: 'done' });
  });

  it.each([
    ['empty', '', 'a.gcode', 422, 'FILE_EMPTY'],
    ['binary', Buffer.from([0x47, 0x31, 0x00, 0x01]), 'b.gcode', 415, 'FILE_BINARY'],
    ['.bgcode', Buffer.concat([Buffer.from('GCDE'), Buffer.alloc(16, 1)]), 'c.bgcode', 415, 'FILE_BGCODE'],
    ['too large', 'G1 X1\n'.repeat(20_000), 'd.gcode', 413, 'FILE_TOO_LARGE'],
    ['a path-like name', 'G1 X1\n', '../../etc/passwd', 400, 'INVALID_FILE_NAME'],
    ['no name', 'G1 X1\n', '', 400, 'INVALID_FILE_NAME'],
  ])('refuses %s with a clear error and leaves nothing behind', async (_what, body, name, status, code) => {
    const before = storedFiles(join(dir.path, 'files'));
    const res = await raw(body, name);
    expect(res).toMatchObject({ status, body: { error: { code } } });
    expect(res.body.error!.message.length).toBeGreaterThan(5);
    expect(storedFiles(join(dir.path, 'files'))).toEqual(before);
  });

  it('marks a text file without moves as not printable and refuses to queue it', async () => {
    const up = await raw('; just a comment\nM117 hello\n', 'notes.gcode');
    await svc.settle();
    expect((await svc.json(`/files/${up.body.file!.id}`)).body).toMatchObject({ analysisState: 'failed' });
    const job = await svc.json('/jobs', { method: 'POST', body: { fileId: up.body.file!.id } });
    expect(job).toMatchObject({ status: 422, body: { error: { code: 'FILE_NOT_PRINTABLE' } } });
  });

  it('leaves nothing behind when the client aborts mid-upload', async () => {
    const before = storedFiles(join(dir.path, 'files'));
    await new Promise<void>((resolve) => {
      const req = request(`${svc.baseUrl}/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${svc.token}`, 'x-file-name': 'cut.gcode', 'content-length': '50000' },
      });
      req.on('error', () => resolve());
      req.write('G1 X1 Y1\n'.repeat(500), () => req.destroy());
    });
    // The server notices the abort asynchronously; an authorised request after it is handled after it too.
    await svc.api('/health');
    await svc.settle();
    const deadline = Date.now() + 5000;
    while (storedFiles(join(dir.path, 'files')).length !== before.length && Date.now() < deadline) await svc.api('/health');
    expect(storedFiles(join(dir.path, 'files'))).toEqual(before);
  });

  it('refuses requests without the internal token', async () => {
    expect((await fetch(`${svc.baseUrl}/files`)).status).toBe(401);
    expect((await fetch(`${svc.baseUrl}/health`)).status).toBe(200);
  });
});
