import { existsSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { internalTokenFile } from '@printfleet/job-service';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { LiveProbe } from './support/live-probe';

const GCODE = resolve(__dirname, '../../../../shared/gcode');
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';
const CUBE = 'cura-3.6.0-calibration-cube.gcode';
const LIMIT = 3 * 1024 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Files and jobs through the gateway, against the REAL job-service (real SQLite, real internal
 * HTTP, real analysis of the lab's G-code) on the same real broker, with a fake agent that
 * answers `cmd/start` the way the printer-agent does.
 */
describe('files and jobs through the gateway (real job-service)', () => {
  let h: Harness;
  let agent: FakeAgent;
  let admin: ApiClient;
  let mia: ApiClient;
  let olga: ApiClient;
  let vic: ApiClient;
  let live: LiveProbe;
  let minicubeId: string;

  beforeAll(async () => {
    h = await startGateway({}, { jobService: {} });
    h.settings.jobService.maxUploadBytes = LIMIT;
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    await h.addUser('mia', 'maker');
    await h.addUser('olga', 'operator');
    await h.addUser('vic', 'viewer');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    mia = await ApiClient.login(h.base, 'mia', 'mia-password-123');
    olga = await ApiClient.login(h.base, 'olga', 'olga-password-123');
    vic = await ApiClient.login(h.base, 'vic', 'vic-password-123');
    live = await LiveProbe.connect(h.base, admin.cookie);
  });

  afterAll(async () => {
    live?.close();
    await h?.close();
  });

  /** Files the job-service holds on disk, its temp folder included. */
  const stored = () => {
    const root = join(h.settings.dataDir, 'files');
    const out: string[] = [];
    const walk = (d: string) => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true }))
        if (e.isDirectory()) walk(join(d, e.name));
        else out.push(join(d, e.name).slice(root.length + 1));
    };
    walk(root);
    return out;
  };

  /** Resolves once `dir` holds no files, watching it (no polling, no sleeps). */
  const untilGone = (dir: string) =>
    new Promise<void>((resolve, reject) => {
      const empty = () => !existsSync(dir) || readdirSync(dir).length === 0;
      if (empty()) return resolve();
      const timer = setTimeout(() => (watcher.close(), reject(new Error(`${dir} still holds ${readdirSync(dir).join(', ')}`))), 10_000);
      const watcher = watch(dir, () => {
        if (!empty()) return;
        clearTimeout(timer);
        watcher.close();
        resolve();
      });
      if (empty()) {
        clearTimeout(timer);
        watcher.close();
        resolve();
      }
    });

  describe('files', () => {
    it('streams a real upload to the job-service and shows its analysis', async () => {
      const content = readFileSync(join(GCODE, MINICUBE));
      const res = await mia.upload(MINICUBE, content);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ duplicate: false, file: { name: MINICUBE, size: content.length, uploadedBy: 'mia' } });
      minicubeId = res.body.file.id;
      await h.jobs!.settle();

      const detail = await vic.get(`/api/files/${minicubeId}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        analysisState: 'done',
        estimateS: expect.any(Number),
        filamentMm: expect.closeTo(252.22, 1),
        thumbnails: [expect.objectContaining({ index: 0, width: 313, height: 173, mimeType: 'image/png' }), expect.anything()],
        analysis: { slicer: 'PrusaSlicer', slicerVersion: '2.8.1', layers: 31, layerHeight: 0.2 },
      });
      expect(detail.body.analysis.bbox).toMatchObject({ maxZ: 6.2 });
      const list = await vic.get('/api/files?search=minicube');
      expect(list.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id: minicubeId })] });
    });

    it('serves the thumbnail as an image browsers may cache, and the file as a download', async () => {
      const thumb = await vic.send('GET', `/api/files/${minicubeId}/thumbnail`);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/png');
      expect(thumb.headers.get('cache-control')).toBe('private, max-age=604800, immutable');
      expect(thumb.headers.get('x-content-type-options')).toBe('nosniff');
      expect(thumb.bytes.subarray(0, 8)).toEqual(PNG);
      expect((await vic.send('GET', `/api/files/${minicubeId}/thumbnail?index=1`)).status).toBe(200);
      const missing = await vic.get(`/api/files/${minicubeId}/thumbnail?index=7`);
      expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });

      const download = await vic.send('GET', `/api/files/${minicubeId}/download`);
      expect(download.status).toBe(200);
      expect(download.bytes.equals(readFileSync(join(GCODE, MINICUBE)))).toBe(true);
      expect(download.headers.get('content-disposition')).toContain(`filename="${MINICUBE}"`);
    });

    it('says when the same content was uploaded before, and takes a raw body with X-File-Name', async () => {
      const again = await olga.send('POST', '/api/files', {
        body: readFileSync(join(GCODE, MINICUBE)),
        headers: { 'x-file-name': encodeURIComponent('copy of minicube.gcode') },
      });
      expect(again).toMatchObject({ status: 200, body: { duplicate: true, file: { id: minicubeId, name: MINICUBE } } });
    });

    it('passes the job-service’s refusal of garbage on to the client, status, code and message', async () => {
      const binary = await mia.upload('photo.gcode', Buffer.from([0x47, 0x31, 0x20, 0x00, 0xff, 0xd8, 0x00, 0x10]));
      expect(binary.status).toBe(415);
      expect(binary.body.error).toEqual({ code: 'FILE_BINARY', message: expect.stringMatching(/\S/) });
      const bgcode = await mia.upload('part.bgcode', Buffer.concat([Buffer.from('GCDE'), Buffer.alloc(32, 1)]));
      expect(bgcode).toMatchObject({ status: 415, body: { error: { code: 'FILE_BGCODE' } } });
      const badName = await mia.send('POST', '/api/files', {
        body: 'G1 X1\n',
        headers: { 'content-type': 'text/plain', 'x-file-name': encodeURIComponent('../../etc/passwd') },
      });
      expect(badName).toMatchObject({ status: 400, body: { error: { code: 'INVALID_FILE_NAME' } } });
      const noFile = await mia.send('POST', '/api/files', { body: JSON.stringify({ file: 'x' }), headers: { 'content-type': 'application/json' } });
      expect(noFile).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
      expect(stored().filter((f) => f.startsWith('.tmp'))).toEqual([]);
    });

    it('stores text that is not a print, but says why it cannot be printed', async () => {
      const res = await mia.upload('notes.gcode', 'hello, these are my notes\nnot a print at all\n');
      expect(res.status).toBe(201);
      await h.jobs!.settle();
      const detail = await mia.get(`/api/files/${res.body.file.id}`);
      expect(detail.body).toMatchObject({ analysisState: 'failed', analysisError: expect.stringMatching(/\S/) });
      const job = await mia.post('/api/jobs', { fileId: res.body.file.id });
      expect(job).toMatchObject({ status: 422, body: { error: { code: 'FILE_NOT_PRINTABLE' } } });
    });

    it('refuses a file over the limit from its Content-Length, before reading it', async () => {
      const res = await mia.upload('huge.gcode', Buffer.alloc(LIMIT + 128 * 1024, 'G1 X1\n'));
      expect(res.status).toBe(413);
      expect(res.body.error).toEqual({ code: 'FILE_TOO_LARGE', message: 'the file is larger than the limit of 3 MiB' });
    });

    it('refuses a chunked upload once it streams past the limit, and the job-service keeps nothing', async () => {
      const before = stored();
      const chunk = Buffer.alloc(256 * 1024, 'G1 X10 Y10\n');
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // Ends well past the limit; the gateway must stop it before the end.
          if (sent > LIMIT * 4) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const res = await mia
        .send('POST', '/api/files', { body, duplex: 'half', headers: { 'x-file-name': 'endless.gcode' } })
        .catch((err: Error) => ({ status: 0, body: err.message }));
      // Node's fetch may see the cut connection before it reads the answer; either way no file.
      if (res.status !== 0) expect(res).toMatchObject({ status: 413, body: { error: { code: 'FILE_TOO_LARGE' } } });
      expect(sent).toBeLessThan(LIMIT * 4);
      const list = await mia.get('/api/files?search=endless');
      expect(list.body.total).toBe(0);
      // The job-service deletes its partial file when it sees the upload cut off.
      await untilGone(join(h.settings.dataDir, 'files', '.tmp'));
      expect(stored()).toEqual(before);
    });

    it('lets only operators, admins and the uploader delete a file; viewers upload nothing', async () => {
      const res = await olga.upload(CUBE, readFileSync(join(GCODE, CUBE)));
      expect(res.status).toBe(201);
      const id = res.body.file.id;
      const byMaker = await mia.request('DELETE', `/api/files/${id}`);
      expect(byMaker).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringMatching(/belongs to olga/) } } });
      const byViewer = await vic.upload('x.gcode', 'G1 X1 E1\n');
      expect(byViewer).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      expect((await olga.request('DELETE', `/api/files/${id}`)).status).toBe(200);
      expect((await olga.get(`/api/files/${id}`)).status).toBe(404);
      expect((await new ApiClient(h.base).get('/api/files')).status).toBe(401);
    });
  });

  describe('jobs', () => {
    let printingJob: string;
    let queued: string;

    it('sends a job to a printer: the agent gets cmd/start, the job shows in /api/jobs and on the live socket', async () => {
      await agent.online();
      await agent.state('mk3-a', 'ready', { displayName: 'Prusa MK3 A' });
      const res = await mia.post('/api/jobs', { fileId: minicubeId, printerId: 'mk3-a' });
      expect(res.status).toBe(201);
      // The dispatcher may already have picked it by the time the answer is written.
      expect(res.body.jobs).toEqual([
        expect.objectContaining({ fileId: minicubeId, requestedBy: 'mia', state: expect.stringMatching(/^(queued|dispatching)$/) }),
      ]);
      printingJob = res.body.jobs[0].id;

      const start = await agent.nextStart('mk3-a', printingJob);
      expect(start).toMatchObject({ jobId: printingJob, file: { id: minicubeId, name: MINICUBE }, requestedBy: 'mia' });
      await agent.acceptStart('mk3-a', start, { displayName: 'Prusa MK3 A' });
      await live.waitFor((m) => m.type === 'job' && m.job.jobId === printingJob && m.job.state === 'printing', 'job printing');

      const jobs = await vic.get('/api/jobs?printerId=mk3-a');
      expect(jobs.status).toBe(200);
      expect(jobs.body.items).toEqual([
        expect.objectContaining({ id: printingJob, state: 'printing', printerId: 'mk3-a', fileName: MINICUBE, requestedBy: 'mia' }),
      ]);
      expect((await vic.get(`/api/jobs/${printingJob}`)).body).toMatchObject({ id: printingJob, state: 'printing' });
    });

    it('puts a job without a printer in the fleet queue; makers cancel only their own jobs', async () => {
      const adminJob = await admin.post('/api/jobs', { fileId: minicubeId, held: true });
      expect(adminJob).toMatchObject({ status: 201, body: { jobs: [{ state: 'held', queue: { targetPrinterId: null } }] } });
      queued = adminJob.body.jobs[0].id;
      const mine = await mia.post('/api/jobs', { fileId: minicubeId, printerId: null });
      const mineId = mine.body.jobs[0].id;

      const refused = await mia.post(`/api/jobs/${queued}/cancel`);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toEqual({ code: 'FORBIDDEN', message: 'makers may cancel only their own jobs; this job belongs to admin' });
      expect((await vic.post(`/api/jobs/${mineId}/cancel`)).status).toBe(403);
      expect((await mia.post(`/api/jobs/${queued}/release`)).status).toBe(403);
      expect((await olga.get(`/api/jobs/${queued}`)).body.state).toBe('held');

      const cancelled = await mia.post(`/api/jobs/${mineId}/cancel`, { reason: 'wrong colour' });
      expect(cancelled).toMatchObject({ status: 200, body: { id: mineId, state: 'cancelled', reason: 'wrong colour' } });
      const again = await mia.post(`/api/jobs/${mineId}/cancel`);
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'INVALID_STATE', message: expect.stringMatching(/nothing to cancel/) } } });
    });

    it('lets operators hold, release, move and reprint, and shows the queue', async () => {
      const second = await olga.post('/api/jobs', { fileId: minicubeId, held: true });
      const secondId = second.body.jobs[0].id;
      let queue = await vic.get('/api/queue');
      expect(queue.body.items.map((j: { id: string }) => j.id)).toEqual([queued, secondId]);
      const moved = await olga.post(`/api/jobs/${secondId}/move`, { position: 0 });
      expect(moved.status).toBe(200);
      expect(moved.body.queue.map((j: { id: string }) => j.id)).toEqual([secondId, queued]);
      expect((await olga.post(`/api/jobs/${secondId}/release`)).body.state).toBe('queued');
      expect((await olga.post(`/api/jobs/${secondId}/hold`)).body.state).toBe('held');
      queue = await vic.get('/api/queue');
      expect(queue.body.items.map((j: { id: string; state: string }) => [j.id, j.state])).toEqual([
        [secondId, 'held'],
        [queued, 'held'],
      ]);
      const reprint = await mia.post(`/api/jobs/${printingJob}/reprint`, { printerId: null });
      expect(reprint).toMatchObject({ status: 201, body: { requestedBy: 'mia', reprintOf: printingJob, state: 'queued' } });
      expect((await olga.post(`/api/jobs/${secondId}/explode`)).status).toBe(404);
      expect((await olga.post(`/api/jobs/${secondId}/move`, { position: -1 })).status).toBe(400);
    });

    it('filters history, exports CSV, and reports statistics', async () => {
      const byMia = await vic.get('/api/jobs?user=mia&state=cancelled');
      expect(byMia.body.items).toEqual([expect.objectContaining({ requestedBy: 'mia', state: 'cancelled' })]);
      const csv = await vic.send('GET', '/api/jobs.csv?user=mia');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.headers.get('content-disposition')).toContain('attachment');
      expect(csv.body.split('\n').filter(Boolean).length).toBe(1 + 3);
      expect(csv.body).toContain(MINICUBE);
      const stats = await vic.get('/api/stats');
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({ printers: expect.any(Array), users: expect.any(Array), failuresByReason: expect.any(Array) });
      const missing = await vic.get('/api/jobs/no-such-job');
      expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'job no-such-job not found' } } });
    });

    it('lists the new routes in the OpenAPI document', async () => {
      const doc = await admin.get('/api/docs/openapi.json');
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/api/files', '/api/files/{id}/thumbnail', '/api/jobs', '/api/jobs/{id}/{action}', '/api/queue']),
      );
    });
  });
});

describe('files and jobs while the job-service is down', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 503 with a message that says what is wrong', async () => {
    const admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    const never = await admin.get('/api/files');
    expect(never.status).toBe(503);
    expect(never.body.error).toEqual({ code: 'JOB_SERVICE_UNAVAILABLE', message: expect.stringMatching(/has not started yet/) });

    // It ran once (its token is in the data dir) but is not listening now.
    const file = internalTokenFile(h.settings.dataDir);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'some-token\n');
    const down = await admin.post('/api/jobs', { fileId: 'f-1' });
    expect(down.status).toBe(503);
    expect(down.body.error.message).toMatch(/the job-service cannot be reached at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    const upload = await admin.upload('a.gcode', 'G1 X1 E1\n');
    expect(upload).toMatchObject({ status: 503, body: { error: { code: 'JOB_SERVICE_UNAVAILABLE' } } });
  });
});
