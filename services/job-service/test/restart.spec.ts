import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestBroker, createTempDir, type TestBroker } from '@printfleet/testing';
import { backupDatabase } from '../src/database/backup';
import { RetentionService } from '../src/files/retention.service';
import { FakeAgent } from './fake-agent';
import { squareGcode } from './gcode-fixtures';
import { startJobService } from './harness';

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
