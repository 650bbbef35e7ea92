import { startTestBroker, createTempDir, type TestBroker } from '@printfleet/testing';
import { FakeAgent } from './fake-agent';
import { squareGcode } from './gcode-fixtures';
import { startJobService, type RunningJobService } from './harness';

const bed = { x: 100, y: 100, z: 100 };

describe('upload → queue → dispatch → print → history', () => {
  let broker: TestBroker;
  let dir: { path: string; remove(): void };
  let svc: RunningJobService;
  let agent: FakeAgent;

  beforeEach(async () => {
    broker = await startTestBroker();
    dir = createTempDir();
    svc = await startJobService(broker, dir.path);
    agent = await FakeAgent.connect(broker, 'pi-1');
  });
  afterEach(async () => {
    await agent.close();
    await svc.stop();
    await broker.close();
    dir.remove();
  });

  const upload = async (text: string, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([text]), name);
    const res = await svc.api('/files', { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as { file: { id: string; sha256: string }; duplicate: boolean } };
  };
  const profile = (id: string, body: object) => svc.json(`/printers/${id}/profile`, { method: 'PUT', body });

  it('prints a fleet-queued file on a matching ready printer and records the outcome', async () => {
    const up = await upload(squareGcode(40), 'cube.gcode');
    expect(up.status).toBe(201);
    await svc.settle();
    const file = await svc.json<{ analysisState: string; bbox: { maxX: number }; analysis: { slicer: string } }>(`/files/${up.body.file.id}`);
    expect(file.body).toMatchObject({ analysisState: 'done', analysis: { slicer: 'PrusaSlicer' } });
    expect(file.body.bbox.maxX).toBeCloseTo(50);

    await profile('mk3-a', { bed });
    await agent.state('mk3-a', 'ready');
    const created = await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId: up.body.file.id } });
    expect(created.status).toBe(201);
    const jobId = created.body.jobs[0]!.id;

    const cmd = await agent.nextStart('mk3-a');
    expect(cmd).toMatchObject({ jobId, file: { id: up.body.file.id, name: 'cube.gcode', sha256: up.body.file.sha256 } });
    // The agent downloads with the signed link alone, and checks the hash.
    const download = await fetch(cmd.file.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(squareGcode(40));
    expect((await fetch(cmd.file.url.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(401);

    await agent.acceptStart('mk3-a', cmd);
    await agent.finish('mk3-a', jobId, 3600);
    await svc.waitForJob(jobId, (j) => j.state === 'finished');
    const job = await svc.json<Record<string, unknown>>(`/jobs/${jobId}`);
    expect(job.body).toMatchObject({ state: 'finished', printerId: 'mk3-a', durationS: 3600, progress: 100, requestedBy: 'alice', queue: null });
    expect(job.body.filamentUsedMm).toBeGreaterThan(0);

    const history = await svc.json<{ total: number; items: { id: string }[] }>('/jobs?printerId=mk3-a&state=finished');
    expect(history.body.items.map((j) => j.id)).toEqual([jobId]);
    const stats = await svc.json<{ printers: { key: string; finished: number; printHours: number; successRate: number }[] }>('/stats');
    expect(stats.body.printers).toEqual([expect.objectContaining({ key: 'mk3-a', finished: 1, printHours: 1, successRate: 1 })]);
    const csv = await (await svc.api('/jobs.csv')).text();
    expect(csv.split('\r\n')[1]).toContain(`${jobId},finished,mk3-a,alice,cube.gcode`);
  });

  it('gives two printers three jobs without putting two on one printer, and never sends a job that does not fit', async () => {
    const small = await upload(squareGcode(30, 'small'), 'small.gcode');
    const big = await upload(squareGcode(150, 'big'), 'big.gcode');
    await svc.settle();
    await profile('small-1', { bed });
    await profile('large-1', { bed: { x: 250, y: 250, z: 250 } });
    const ids: string[] = [];
    for (const fileId of [big.body.file.id, small.body.file.id, small.body.file.id])
      ids.push((await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId } })).body.jobs[0]!.id);
    await agent.state('small-1', 'ready');
    await agent.state('large-1', 'ready');

    const onLarge = await agent.nextStart('large-1');
    const onSmall = await agent.nextStart('small-1');
    expect(onLarge.jobId).toBe(ids[0]);
    expect(onSmall.jobId).toBe(ids[1]);
    await svc.settle();
    expect(agent.startsFor('small-1')).toHaveLength(1);
    expect(agent.startsFor('large-1')).toHaveLength(1);
    const queue = await svc.json<{ items: { id: string; state: string }[] }>('/queue');
    expect(queue.body.items.map((j) => [j.id, j.state])).toEqual([
      [ids[0], 'dispatching'],
      [ids[1], 'dispatching'],
      [ids[2], 'queued'],
    ]);
  });

  it('puts a refused start back in the queue and cancels, holds and reorders waiting jobs', async () => {
    const f = await upload(squareGcode(20), 'part.gcode');
    await svc.settle();
    const make = async () => (await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId: f.body.file.id, printerId: 'p1' } })).body.jobs[0]!.id;
    const [a, b, c] = [await make(), await make(), await make()];
    expect((await svc.json(`/jobs/${b}/hold`, { method: 'POST' })).body).toMatchObject({ state: 'held' });
    expect((await svc.json<{ queue: { id: string }[] }>(`/jobs/${c}/move`, { method: 'POST', body: { position: 0 } })).body.queue.map((j) => j.id)).toEqual([c, a, b]);
    expect((await svc.json(`/jobs/${a}/cancel`, { method: 'POST', body: { reason: 'wrong colour' } })).body).toMatchObject({ state: 'cancelled', reason: 'wrong colour' });
    expect((await svc.json(`/jobs/${a}/cancel`, { method: 'POST' })).status).toBe(409);

    await agent.state('p1', 'ready');
    const first = await agent.nextStart('p1');
    expect(first.jobId).toBe(c);
    await agent.reply('p1', first.commandId, false, 'sha256 mismatch');
    expect(await svc.waitForJob(c, (j) => j.state === 'queued')).toMatchObject({ reason: 'refused by p1: sha256 mismatch' });
    // Not retried on the same printer until its state changes; then it is.
    await agent.state('p1', 'ready');
    const again = await agent.nextStart('p1', (cmd) => cmd.commandId !== first.commandId);
    expect(again.jobId).toBe(c);
  });
});
