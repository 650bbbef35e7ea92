import { existsSync, readdirSync, statSync, watch, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { printerEventsTopic } from '@printfleet/contracts';
import { isTerminal } from '@printfleet/scheduling';
import { startTestBroker, createTempDir, type TestBroker } from '@printfleet/testing';
import { backupDatabase } from '../src/database/backup';
import { RetentionService } from '../src/files/retention.service';
import { FakeAgent } from './fake-agent';
import { squareGcode } from './gcode-fixtures';
import { startJobService } from './harness';

/** Resolves with the first entry of `dir` that passes `match`, now or when it appears (fs.watch, no polling). */
function whenEntry(dir: string, match: (name: string) => boolean, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = readdirSync(dir).find(match);
      if (!found) return;
      watcher.close();
      clearTimeout(timer);
      resolve(found);
    };
    const watcher = watch(dir, check);
    const timer = setTimeout(() => (watcher.close(), reject(new Error(`nothing matching appeared in ${dir}`))), timeoutMs);
    check();
  });
}

/** Every regular file under `root`, relative to it. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p.slice(root.length + 1));
    }
  };
  walk(root);
  return out.sort();
}

describe('restarts', () => {
  let broker: TestBroker;
  let dir: { path: string; remove(): void };

  beforeEach(async () => {
    broker = await startTestBroker();
    dir = createTempDir();
  });
  afterEach(async () => {
    await broker.close();
    dir.remove();
  });

  it('recovers a print that finished while the service was down, without sending it twice', async () => {
    const agent = await FakeAgent.connect(broker, 'pi-1');
    let svc = await startJobService(broker, dir.path);
    const up = await svc.api('/files', { method: 'POST', body: squareGcode(20), headers: { 'x-file-name': 'a.gcode' } });
    const fileId = ((await up.json()) as { file: { id: string } }).file.id;
    await svc.settle();
    await agent.state('p1', 'ready');
    const created = await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId } });
    const jobId = created.body.jobs[0]!.id;
    const cmd = await agent.nextStart('p1');
    await agent.acceptStart('p1', cmd);
    await svc.waitForJob(jobId, (j) => j.state === 'printing');
    await svc.stop();

    // While the service is down: the print ends; only the retained state remembers it.
    await agent.finish('p1', jobId, 1200);
    // A half-written upload left by a crash.
    writeFileSync(join(dir.path, 'files', '.tmp', 'crashed.part'), 'G1 X1');

    svc = await startJobService(broker, dir.path);
    const job = await svc.waitForJob(jobId, (j) => j.state === 'finished');
    expect(job).toMatchObject({ printerId: 'p1', progress: 100 });
    expect(existsSync(join(dir.path, 'files', '.tmp', 'crashed.part'))).toBe(false);
    await svc.settle();
    expect(agent.startsFor('p1')).toHaveLength(1);
    const history = await svc.json<{ total: number }>('/jobs');
    expect(history.body.total).toBe(1);

    // The database can be copied while the service runs.
    const target = join(dir.path, 'backup', 'copy.sqlite');
    await backupDatabase(dir.path, target);
    expect(existsSync(target)).toBe(true);
    await expect(backupDatabase(dir.path, target)).rejects.toThrow('already exists');

    // Retention deletes the long-unprinted file but keeps the job that printed it.
    svc.settings.retentionDays = 30;
    const deleted = await svc.app.get(RetentionService).runOnce(Date.now() + 31 * 24 * 3600_000);
    expect(deleted).toEqual([fileId]);
    expect((await svc.json(`/jobs/${jobId}`)).body).toMatchObject({ fileId: null, fileName: 'a.gcode', state: 'finished' });
    expect((await svc.api(`/files/${fileId}`)).status).toBe(404);
    await svc.stop();
    await agent.close();
  });

  it('records the outcome an agent reported while the service was down from the event itself', async () => {
    const agent = await FakeAgent.connect(broker, 'pi-1');
    let svc = await startJobService(broker, dir.path);
    const up = await svc.api('/files', { method: 'POST', body: squareGcode(20), headers: { 'x-file-name': 'a.gcode' } });
    const file = ((await up.json()) as { file: { id: string; filamentMm: number | null } }).file;
    await svc.settle();
    await agent.state('p1', 'ready');
    const jobId = (await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId: file.id } })).body.jobs[0]!.id;
    await agent.acceptStart('p1', await agent.nextStart('p1'));
    await svc.waitForJob(jobId, (j) => j.state === 'printing');
    await svc.stop();

    // While the service is down the print ends and the bed is cleared at once: the retained state
    // is `ready` and no longer names the job. Only the event, queued by the broker in the
    // service's persistent session, tells how it ended.
    await agent.event({ type: 'job.finished', printerId: 'p1', jobId, durationS: 1234, ts: new Date().toISOString() });
    await agent.state('p1', 'ready');

    // The service boots slowly: the broker has delivered the queued event (and mqtt.js has
    // acknowledged it) before the module, its database or its listener exist.
    const delivered = new Promise<void>((resolve) =>
      broker.broker.aedes.on('ack', (packet, client) => {
        if (client.id === 'printfleet-job-service' && packet && 'topic' in packet && packet.topic === printerEventsTopic('p1')) resolve();
      }),
    );
    svc = await startJobService(broker, dir.path, {}, () => delivered);
    const job = await svc.waitForJob(jobId, (j) => isTerminal(j.state));
    await svc.settle();
    expect(await svc.json(`/jobs/${jobId}`)).toMatchObject({ body: { state: 'finished', durationS: 1234, reason: null, progress: 100 } });
    expect(job.state).toBe('finished');
    expect(agent.startsFor('p1')).toHaveLength(1);
    expect((await svc.json<{ total: number }>('/jobs')).body.total).toBe(1);
    await svc.stop();
    await agent.close();
  });

  it("corrects an outcome it had to infer when the agent's own event arrives after the state", async () => {
    const agent = await FakeAgent.connect(broker, 'pi-1');
    const svc = await startJobService(broker, dir.path);
    await agent.state('p1', 'printing', { job: { id: 'sd-1', progress: 50 } });
    await agent.event({ type: 'job.started', printerId: 'p1', jobId: 'sd-1', fileId: 'sd-card', fileName: 'x.gcode', ts: new Date().toISOString() });
    await svc.waitForJob('sd-1', (j) => j.state === 'printing');
    await agent.state('p1', 'ready');
    expect(await svc.waitForJob('sd-1', (j) => isTerminal(j.state))).toMatchObject({ state: 'failed', reason: expect.stringMatching(/outcome not reported/) });
    await agent.event({ type: 'job.finished', printerId: 'p1', jobId: 'sd-1', durationS: 99, ts: new Date().toISOString() });
    expect(await svc.waitForJob('sd-1', (j) => j.state !== 'failed')).toMatchObject({ state: 'finished', reason: null, durationS: 99 });
    await svc.stop();
    await agent.close();
  });

  it('stores nothing of an upload cut by a restart; the client gets an error and a retry succeeds', async () => {
    let svc = await startJobService(broker, dir.path);
    const tmp = join(dir.path, 'files', '.tmp');
    const content = squareGcode(30, 'cut', 20);
    const upload = new Promise<number>((resolve, reject) => {
      const req = request(`${svc.baseUrl}/files`, { method: 'POST', headers: { authorization: `Bearer ${svc.token}`, 'x-file-name': 'cut.gcode' } });
      req.on('response', (res) => (res.resume(), resolve(res.statusCode!)));
      req.on('error', reject);
      // Half the file now; the rest never comes: the service stops mid-upload.
      req.write(content.slice(0, content.length / 2));
    });
    upload.catch(() => undefined);
    await whenEntry(tmp, (n) => n.endsWith('.part'));
    await svc.stop();
    await expect(upload).rejects.toThrow();

    svc = await startJobService(broker, dir.path);
    expect(filesUnder(join(dir.path, 'files'))).toEqual([]);
    expect((await svc.json<{ total: number }>('/files')).body.total).toBe(0);
    const retry = await svc.api('/files', { method: 'POST', body: content, headers: { 'x-file-name': 'cut.gcode' } });
    expect(retry.status).toBe(201);
    const { file } = (await retry.json()) as { file: { id: string; sha256: string; size: number } };
    expect(file.size).toBe(Buffer.byteLength(content));
    expect(filesUnder(join(dir.path, 'files'))).toEqual([`${file.sha256.slice(0, 2)}/${file.sha256.slice(2)}`]);
    await svc.settle();
    expect((await svc.json(`/files/${file.id}`)).body).toMatchObject({ analysisState: 'done' });
    await svc.stop();
  });

  it('records a job an agent reports that the service never queued', async () => {
    const agent = await FakeAgent.connect(broker, 'pi-2');
    const svc = await startJobService(broker, dir.path);
    await agent.state('p2', 'printing', { job: { id: 'manual-1', progress: 5 } });
    await agent.event({ type: 'job.started', printerId: 'p2', jobId: 'manual-1', fileId: 'sd-card', fileName: 'from-sd.gcode', ts: new Date().toISOString() });
    expect(await svc.waitForJob('manual-1', (j) => j.state === 'printing')).toMatchObject({ requestedBy: 'agent', fileName: 'from-sd.gcode', printerId: 'p2' });
    await svc.stop();
    await agent.close();
  });
});
