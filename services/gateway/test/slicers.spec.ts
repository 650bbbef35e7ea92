/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read loosely; the assertions check the shapes */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { curlBoundary, curlPart, multipart, qtBoundary, rawRequest, type Part } from './support/raw-http';

const GCODE = resolve(__dirname, '../../../../shared/gcode');
const gcode = (name: string) => readFileSync(resolve(GCODE, name));

/**
 * Slicers upload to printfleet as they upload to OctoPrint or Moonraker. Every request here is
 * written on a plain socket byte for byte as the slicer's HTTP stack writes it (read from their
 * sources: PrusaSlicer/SuperSlicer/OrcaSlicer `src/slic3r/Utils/OctoPrint.cpp` and `Http.cpp`
 * over libcurl 7.x, OrcaSlicer's `Moonraker.cpp`, Cura's OctoPrintPlugin
 * `OctoPrintOutputDevice.py` over Qt's QNetworkAccessManager), against the gateway and the REAL
 * job-service; the files land in the library and "print" queues real jobs.
 */
describe('slicer uploads (OctoPrint and Moonraker APIs)', () => {
  let h: Harness;
  let admin: ApiClient;
  let host: string;
  let makerKey: string;
  let scopedKey: string;
  let viewerKey: string;

  beforeAll(async () => {
    h = await startGateway({}, { jobService: {} });
    await h.addUser('mia', 'maker');
    await h.addUser('vic', 'viewer');
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    host = new URL(h.base).host;
    makerKey = (await admin.post('/api/apikeys', { user: 'mia', label: 'PrusaSlicer' })).body.key;
    const scoped = await admin.post('/api/apikeys', { user: 'mia', label: 'Orca for mk3-a', printerId: 'mk3-a' });
    expect(scoped.body.info).toMatchObject({ printerId: 'mk3-a', userName: 'mia' });
    scopedKey = scoped.body.key;
    viewerKey = (await admin.post('/api/apikeys', { user: 'vic', label: 'viewer' })).body.key;
    // mk3-a is known but busy: jobs sent to it wait in the queue.
    const agent = new FakeAgent(h.agent);
    await agent.online();
    await agent.state('mk3-a', 'printing', { displayName: 'Prusa MK3 A', job: { id: 'other-job', progress: 12, fileName: 'x.gcode' } });
  });

  afterAll(() => h?.close());

  const fileInLibrary = async (id: string) => (await admin.get(`/api/files/${id}`)).body;
  const queued = async (jobId: string) =>
    ((await admin.get('/api/queue')).body.items as any[]).find((j) => j.id === jobId);
  const jobsOf = async (fileId: string) => (await admin.get(`/api/jobs?fileId=${fileId}`)).body.total as number;

  // ---- PrusaSlicer / SuperSlicer / OrcaSlicer, "OctoPrint" host type (libcurl) ----

  /** `Http::get` with `set_auth`: libcurl's own headers, then X-Api-Key. */
  const curlGet = (path: string, key: string | null, agent = 'PrusaSlicer/2.8.1') =>
    rawRequest(
      h.base,
      `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${agent}\r\nAccept: */*\r\n${key !== null ? `X-Api-Key: ${key}\r\n` : ''}\r\n`,
    );

  /** `Http::post` + `form_add`/`form_add_file`: libcurl 7.88 writes Expect for bodies over 1 MiB. */
  const curlPost = (path: string, key: string, parts: Part[], agent = 'PrusaSlicer/2.8.1') => {
    const boundary = curlBoundary();
    const body = multipart(boundary, parts, curlPart);
    const expect = body.length > 1024 * 1024 ? 'Expect: 100-continue\r\n' : '';
    return rawRequest(
      h.base,
      `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${agent}\r\nAccept: */*\r\nX-Api-Key: ${key}\r\nContent-Length: ${body.length}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n${expect}\r\n`,
      body,
    );
  };

  /**
   * PrusaSlicer's `upload_inner_with_host`: print, path, then the file; never `select`. `path` is
   * the folder part of what the upload dialog says ("prints/pla/cube.gcode" → "prints/pla"), as
   * typed (backslashes on Windows); the file part carries the name alone.
   */
  const prusaParts = (name: string, content: Buffer, print: boolean, path = ''): Part[] => [
    { name: 'print', value: print ? 'true' : 'false' },
    { name: 'path', value: path },
    { name: 'file', value: content, filename: name, extraHeaders: ['Content-Type: application/octet-stream'] },
  ];

  it('answers PrusaSlicer’s connection test: /api/version with the key, "OctoPrint" in text', async () => {
    const res = await curlGet('/api/version', makerKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ api: expect.any(String), server: expect.any(String) });
    expect(res.body.text).toMatch(/^OctoPrint /);
  });

  it('refuses a wrong or missing key with 401 (PrusaSlicer shows the error)', async () => {
    expect((await curlGet('/api/version', 'pfk_not-a-key')).status).toBe(401);
    expect((await curlGet('/api/version', null)).status).toBe(401);
    const upload = await curlPost('/api/files/local', 'pfk_wrong', prusaParts('a.gcode', Buffer.from('G1 X1\n'), true));
    expect(upload.status).toBe(401);
  });

  it('takes PrusaSlicer’s upload without print: the file is in the library, no job', async () => {
    const name = 'prusaslicer-2.8.1-minicube-qoi.gcode';
    const res = await curlPost('/api/files/local', makerKey, prusaParts(name, gcode(name), false));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${h.base}/api/files/local/${name}`);
    expect(res.body).toMatchObject({
      done: true,
      files: { local: { name, origin: 'local', refs: { resource: res.headers.location, download: expect.stringContaining('/download') } } },
      effectivePrint: false,
    });
    const file = await fileInLibrary(res.body.printfleet.fileId);
    expect(file).toMatchObject({ name, size: gcode(name).length, uploadedBy: 'mia' });
    expect(await jobsOf(file.id)).toBe(0);
  });

  it('takes a 2 MiB upload with print=true (Expect: 100-continue) and queues it in the fleet queue', async () => {
    const name = 'prusaslicer-2.6.1-benchy-png.gcode';
    const res = await curlPost('/api/files/local', makerKey, prusaParts(name, gcode(name), true), 'SuperSlicer/2.5.59');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ done: true, effectivePrint: true, printfleet: { job: { id: expect.any(String), printerId: null } } });
    expect((await fileInLibrary(res.body.printfleet.fileId)).size).toBe(gcode(name).length);
    const job = await queued(res.body.printfleet.job.id);
    expect(job).toMatchObject({ fileName: name, requestedBy: 'mia', queue: { targetPrinterId: null } });
  });

  it('sends print=true of a key scoped to a printer to that printer', async () => {
    const name = 'prusaslicer-2.5.0-cube-mk3s.gcode';
    const res = await curlPost('/api/files/local', scopedKey, prusaParts(name, gcode(name), true), 'OrcaSlicer/2.3.1');
    expect(res.status).toBe(201);
    expect(await queued(res.body.printfleet.job.id)).toMatchObject({ fileName: name, queue: { targetPrinterId: 'mk3-a' } });
  });

  it('serves a per-printer base URL, which a key scoped to another printer may not use', async () => {
    const version = await curlGet('/printers/mk3-a/api/version', makerKey);
    expect(version.status).toBe(200);
    const name = 'prusaslicer-2.5.0-cube-ender3-abs.gcode';
    const res = await curlPost('/printers/ender-b/api/files/local', makerKey, prusaParts(name, gcode(name), true));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${h.base}/printers/ender-b/api/files/local/${name}`);
    expect(await queued(res.body.printfleet.job.id)).toMatchObject({ queue: { targetPrinterId: 'ender-b' } });
    expect((await curlGet('/printers/ender-b/api/version', scopedKey)).status).toBe(403);
  });

  it('refuses uploads of viewers with 403, before anything is stored', async () => {
    const before = (await admin.get('/api/files')).body.total;
    const res = await curlPost('/api/files/local', viewerKey, prusaParts('v.gcode', Buffer.from('G1 X1 E1\n'), false));
    expect(res.status).toBe(403);
    expect((await admin.get('/api/files')).body.total).toBe(before);
  });

  // ---- Cura, fieldOfView's OctoPrintPlugin (Qt's QNetworkAccessManager) ----

  const CURA_AGENT = 'Cura/5.7.1 OctoPrintPlugin/3.7.3';
  /** `_createEmptyRequest`: raw headers X-Api-Key, User-Agent, then Content-Type; Qt adds the rest, Host last. */
  const qtTail = `Connection: Keep-Alive\r\nAccept-Encoding: gzip, deflate\r\nAccept-Language: en-US,*\r\nHost: `;
  const curaGet = (path: string, key: string) =>
    rawRequest(
      h.base,
      `GET ${path} HTTP/1.1\r\nX-Api-Key: ${key}\r\nUser-Agent: ${CURA_AGENT}\r\nContent-Type: application/json\r\n${qtTail}${host}\r\n\r\n`,
    );
  const curaPostJson = (path: string, key: string, json: unknown) => {
    const body = Buffer.from(JSON.stringify(json));
    return rawRequest(
      h.base,
      `POST ${path} HTTP/1.1\r\nX-Api-Key: ${key}\r\nUser-Agent: ${CURA_AGENT}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${qtTail}${host}\r\n\r\n`,
      body,
    );
  };
  /** `postFormWithParts`: QHttpMultiPart, its boundary quoted in the header, MIME-Version added. */
  const curaUpload = (path: string, key: string, parts: Part[]) => {
    const boundary = qtBoundary();
    const body = multipart(boundary, parts, (p) => [
      `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`,
      `Content-Type: ${p.filename !== undefined ? 'application/octet-stream' : 'text/plain'}`,
    ]);
    return rawRequest(
      h.base,
      `POST ${path} HTTP/1.1\r\nX-Api-Key: ${key}\r\nUser-Agent: ${CURA_AGENT}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/form-data; boundary="${boundary}"\r\nContent-Length: ${body.length}\r\n${qtTail}${host}\r\n\r\n`,
      body,
    );
  };

  it('answers Cura’s connection: settings, login, printer profiles, and the fleet as an idle printer', async () => {
    const settings = await curaGet('/api/settings', makerKey);
    expect(settings).toMatchObject({ status: 200, body: { feature: { sdSupport: false } } });
    expect((await curaGet('/api/version', makerKey)).body.server).toEqual(expect.any(String));
    expect(await curaPostJson('/api/login', makerKey, { passive: true })).toMatchObject({ status: 200, body: { name: 'mia' } });
    const profiles = await curaGet('/api/printerprofiles', makerKey);
    expect(profiles.body.profiles._default).toMatchObject({ current: true, axes: { e: { speed: expect.any(Number) } } });

    const printer = await curaGet('/api/printer', makerKey);
    expect(printer.status).toBe(200);
    expect(printer.body.state).toMatchObject({ text: 'Operational', flags: { operational: true, ready: true, printing: false, error: false } });
    const job = await curaGet('/api/job', makerKey);
    expect(job.body).toMatchObject({ state: 'Operational', job: { file: { name: null } }, progress: { completion: null, printTime: null } });
    expect((await curaGet('/api/printer', 'pfk_wrong')).status).toBe(401);
  });

  it('shows Cura a scoped key’s printer as it is: printing, with its job', async () => {
    const printer = await curaGet('/api/printer', scopedKey);
    expect(printer.body.state).toMatchObject({ text: 'Printing', flags: { printing: true, operational: true } });
    const job = await curaGet('/api/job', scopedKey);
    expect(job.body).toMatchObject({ state: 'Printing', job: { file: { name: 'x.gcode' } }, progress: { completion: 12 } });
    // An unknown printer is OctoPrint's "not operational".
    expect((await curaGet('/printers/nowhere/api/printer', makerKey)).status).toBe(409);
  });

  it('takes Cura’s upload (path, file, select, print after the file): 201, Location, OctoPrint’s body, a queued job', async () => {
    const name = 'CFFFP_calibration-cube.gcode';
    const content = gcode('cura-3.6.0-calibration-cube.gcode');
    const res = await curaUpload('/api/files/local', makerKey, [
      { name: 'path', value: '' },
      { name: 'file', value: content, filename: name },
      { name: 'select', value: 'true' },
      { name: 'print', value: 'true' },
    ]);
    expect(res.status).toBe(201);
    // Cura splits the Location at "api/" to find the file's endpoint.
    expect(res.headers.location).toBe(`${h.base}/api/files/local/${name}`);
    expect(res.body).toMatchObject({
      done: true,
      files: { local: { name, origin: 'local', refs: { resource: res.headers.location, download: expect.any(String) } } },
    });
    expect((await fileInLibrary(res.body.printfleet.fileId)).size).toBe(content.length);
    expect(await queued(res.body.printfleet.job.id)).toMatchObject({ fileName: name, queue: { targetPrinterId: null } });

    // Cura's `_selectAndPrint` when it uploaded without printing: select + print on the endpoint.
    const endPoint = res.headers.location!.split('api/')[1];
    const before = await jobsOf(res.body.printfleet.fileId);
    expect((await curaPostJson(`/api/${endPoint}`, makerKey, { command: 'select', print: true })).status).toBe(204);
    expect(await jobsOf(res.body.printfleet.fileId)).toBe(before + 1);
    expect((await curaPostJson('/api/files/local/missing.gcode', makerKey, { command: 'select' })).status).toBe(404);
  });

  // ---- OrcaSlicer / SuperSlicer, "Klipper (via Moonraker)" host type (libcurl) ----

  it('answers Orca’s Moonraker test and takes its upload: root, print, file → item.path, print_queued', async () => {
    const info = await curlGet('/server/info', scopedKey, 'OrcaSlicer/2.3.1');
    expect(info.status).toBe(200);
    expect(info.body.result).toMatchObject({ klippy_state: 'ready', moonraker_version: expect.any(String) });

    const name = 'slic3r-1.2.9-rrf-part.gcode';
    const res = await curlPost(
      '/server/files/upload',
      scopedKey,
      [
        { name: 'root', value: 'gcodes' },
        { name: 'print', value: 'true' },
        { name: 'file', value: gcode(name), filename: name, extraHeaders: ['Content-Type: application/octet-stream'] },
      ],
      'OrcaSlicer/2.3.1',
    );
    expect(res.status).toBe(201);
    expect(res.body.result).toMatchObject({ item: { path: name, root: 'gcodes' }, print_started: false, print_queued: true });
    expect(await queued(res.body.result.printfleet.job.id)).toMatchObject({ fileName: name, queue: { targetPrinterId: 'mk3-a' } });

    // Without print, then Orca's fallback `/printer/print/start` with the path it was given.
    const again = await curlPost(
      '/server/files/upload',
      makerKey,
      [
        { name: 'root', value: 'gcodes' },
        { name: 'print', value: 'false' },
        { name: 'file', value: gcode('slic3r-1.3.0-ring-fwretract.gcode'), filename: 'ring.gcode', extraHeaders: ['Content-Type: application/octet-stream'] },
      ],
      'OrcaSlicer/2.3.1',
    );
    expect(again.body.result).toMatchObject({ item: { path: 'ring.gcode' }, print_started: false, print_queued: false });
    const fileId = again.body.result.printfleet.fileId;
    expect(await jobsOf(fileId)).toBe(0);
    const body = Buffer.from(JSON.stringify({ filename: 'ring.gcode' }));
    const start = await rawRequest(
      h.base,
      `POST /printer/print/start HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: OrcaSlicer/2.3.1\r\nAccept: */*\r\nX-Api-Key: ${makerKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(start).toMatchObject({ status: 200, body: { result: 'ok' } });
    expect(await jobsOf(fileId)).toBe(1);
    expect((await curlGet('/server/info', null, 'OrcaSlicer/2.3.1')).status).toBe(401);
  });
  // ---- OctoPrint's `path`: the folder the file is put in ----

  it('puts PrusaSlicer’s upload in the folder of `path`, 2 MiB with Expect: 100-continue, and answers with it', async () => {
    const name = 'simplify3d-4.0.1-benchy-dual.gcode';
    const res = await curlPost('/api/files/local', makerKey, prusaParts(name, gcode(name), true, 'prints/PLA Teile'));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${h.base}/api/files/local/prints/PLA%20Teile/${name}`);
    expect(res.body).toMatchObject({
      done: true,
      files: { local: { name, path: `prints/PLA Teile/${name}`, origin: 'local', refs: { resource: res.headers.location } } },
      effectivePrint: true,
      printfleet: { folder: 'prints/PLA Teile', duplicate: false },
    });
    const file = await fileInLibrary(res.body.printfleet.fileId);
    expect(file).toMatchObject({ name, folder: 'prints/PLA Teile', size: gcode(name).length, uploadedBy: 'mia' });
    const listed = (await admin.get(`/api/files?folder=${encodeURIComponent('prints/PLA Teile')}`)).body;
    expect(listed.items.map((f: any) => f.id)).toEqual([file.id]);
    expect(await queued(res.body.printfleet.job.id)).toMatchObject({ fileName: name });

    // The same content again, to another folder: the file already in the library, where it is.
    const again = await curlPost('/api/files/local', makerKey, prusaParts(name, gcode(name), false, 'elsewhere'));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      files: { local: { path: `prints/PLA Teile/${name}` } },
      printfleet: { fileId: file.id, folder: 'prints/PLA Teile', duplicate: true },
    });
  });

  it('takes the folder as PrusaSlicer on Windows sends it (backslashes), and a trailing slash', async () => {
    const name = 'prusaslicer-2.7.4-screw-arcs-png.gcode';
    const res = await curlPost('/api/files/local', makerKey, prusaParts(name, gcode(name), false, 'prints\\petg\\'));
    expect(res.status).toBe(201);
    expect(res.body.files.local.path).toBe(`prints/petg/${name}`);
    expect((await fileInLibrary(res.body.printfleet.fileId)).folder).toBe('prints/petg');
    // An empty path (the dialog's file name alone) is the library's root, as before.
    const root = await curlPost('/api/files/local', makerKey, prusaParts('root.gcode', Buffer.from('G1 X3 Y3\n'), false, ''));
    expect(root.body.files.local.path).toBe('root.gcode');
    expect((await fileInLibrary(root.body.printfleet.fileId)).folder).toBeNull();
  });

  it('refuses a `path` that is not a plain relative folder with 400, before anything is stored', async () => {
    const before = (await admin.get('/api/files')).body.total;
    const bad = [
      '../outside',
      'prints/../../etc',
      '/etc/printfleet',
      '\\\\server\\share',
      'C:\\Users\\anna',
      'prints//pla',
      '.hidden',
      'prints/./pla',
      'prints/<script>',
      'pla\u0007bell',
      'a%2Fb',
      ' prints',
      'x'.repeat(201),
      Array.from({ length: 9 }, (_, i) => `l${i}`).join('/'),
    ];
    for (const [i, path] of bad.entries()) {
      const res = await curlPost('/api/files/local', makerKey, prusaParts(`bad-${i}.gcode`, Buffer.from(`G1 X${i}\n`), true, path));
      expect([path, res.status, res.body.error?.code]).toEqual([path, 400, 'INVALID_INPUT']);
      expect(res.body.error.message).toMatch(/^path /);
    }
    // No file part at all: refused, not relayed to wait for a file that never comes.
    const noFile = await curlPost('/api/files/local', makerKey, prusaParts('x.gcode', Buffer.alloc(0), true, 'prints').slice(0, 2));
    expect(noFile).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    // A big one is answered at once too (the rest of its body is not stored).
    const big = await curlPost('/api/files/local', makerKey, prusaParts('big.gcode', gcode('prusaslicer-2.1.1-part-nothumb.gcode'), true, '../x'));
    expect(big.status).toBe(400);
    expect((await admin.get('/api/files')).body.total).toBe(before);
  });

  it('takes Cura’s upload into a folder, and its select + print on the Location with the folder', async () => {
    const name = 'cube.gcode';
    const content = gcode('curaengine-4.13-cube-ender3.gcode');
    const res = await curaUpload('/api/files/local', makerKey, [
      { name: 'path', value: 'cura/ender' },
      { name: 'file', value: content, filename: name },
      { name: 'select', value: 'true' },
      { name: 'print', value: 'false' },
    ]);
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${h.base}/api/files/local/cura/ender/${name}`);
    expect(res.body).toMatchObject({ files: { local: { name, path: `cura/ender/${name}` } }, effectivePrint: false });
    const fileId = res.body.printfleet.fileId;
    expect((await fileInLibrary(fileId)).folder).toBe('cura/ender');

    // Another file of the same name at the root: the folder in the Location tells them apart.
    const other = await curaUpload('/api/files/local', makerKey, [
      { name: 'path', value: '' },
      { name: 'file', value: gcode('cura-2.3.1-puzzle.gcode'), filename: name },
      { name: 'select', value: 'false' },
      { name: 'print', value: 'false' },
    ]);
    expect(other.headers.location).toBe(`${h.base}/api/files/local/${name}`);

    const endPoint = res.headers.location!.split('api/')[1];
    expect((await curaPostJson(`/api/${endPoint}`, makerKey, { command: 'select', print: true })).status).toBe(204);
    expect(await jobsOf(fileId)).toBe(1);
    expect(await jobsOf(other.body.printfleet.fileId)).toBe(0);
    expect((await curaPostJson('/api/files/local/cura/missing/cube.gcode', makerKey, { command: 'select', print: true })).status).toBe(404);
    expect((await curaPostJson('/api/files/local/cura/../cube.gcode', makerKey, { command: 'select' }))).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
  });
});
