import { decodePayload, JOB_STATE_NAMES, jobChangedTopic, jobChangeSchema, type JobChange } from '@printfleet/contracts';
import { JOB_STATES } from '@printfleet/scheduling';
import { MqttProbe, startTestBroker, createTempDir, type TestBroker } from '@printfleet/testing';
import { FakeAgent } from './fake-agent';
import { squareGcode } from './gcode-fixtures';
import { startJobService, type RunningJobService } from './harness';

describe('job change notifications', () => {
  let broker: TestBroker;
  let dir: { path: string; remove(): void };
  let svc: RunningJobService;
  let agent: FakeAgent;
  let gateway: MqttProbe;

  beforeEach(async () => {
    broker = await startTestBroker();
    dir = createTempDir();
    svc = await startJobService(broker, dir.path);
    agent = await FakeAgent.connect(broker, 'pi-1');
    gateway = await MqttProbe.connect(broker.url, await broker.account('gateway'));
    expect(await gateway.subscribe(jobChangedTopic())).toEqual([1]);
  });
  afterEach(async () => {
    await gateway.close();
    await agent.close();
    await svc.stop();
    await broker.close();
    dir.remove();
  });

  /** Every change of `jobId` received so far, each checked against the contract. */
  const changesOf = (jobId: string): JobChange[] =>
    gateway
      .received(jobChangedTopic())
      .map((m) => {
        const decoded = decodePayload(jobChangeSchema, m.payload);
        if (!decoded.ok) throw new Error(`invalid job change: ${decoded.error}`);
        return decoded.value;
      })
      .filter((c) => c.jobId === jobId);
  const change = (jobId: string, state: JobChange['state']) =>
    gateway.waitFor(jobChangedTopic(), (m) => m.json<JobChange>().jobId === jobId && m.json<JobChange>().state === state);

  it('uses the job states of the scheduling lib', () => {
    expect([...JOB_STATE_NAMES]).toEqual([...JOB_STATES]);
  });

  it('announces every step of a job, after the commit, on the internal topic', async () => {
    const up = await svc.api('/files', { method: 'POST', body: squareGcode(20), headers: { 'x-file-name': 'cube.gcode' } });
    const fileId = ((await up.json()) as { file: { id: string } }).file.id;
    await svc.settle();
    const jobId = (await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId } })).body.jobs[0]!.id;
    const queued = await change(jobId, 'queued');
    expect(queued.retain).toBe(false);
    expect(queued.json()).toMatchObject({ jobId, state: 'queued', fileId, fileName: 'cube.gcode' });
    expect(queued.json()).not.toHaveProperty('printerId');

    await agent.state('p1', 'ready');
    const cmd = await agent.nextStart('p1');
    await agent.acceptStart('p1', cmd);
    await agent.event({ type: 'job.progress', printerId: 'p1', jobId, progress: 50, line: 10, ts: new Date().toISOString() });
    await gateway.waitFor(jobChangedTopic(), (m) => m.json<JobChange>().jobId === jobId && m.json<JobChange>().progress === 50);
    await agent.finish('p1', jobId, 60);
    const finished = await change(jobId, 'finished');
    expect(finished.json()).toMatchObject({ jobId, state: 'finished', printerId: 'p1', fileId, progress: 100, reason: null });
    // Published in the order of the changes: each shows the record as it then was (or newer).
    const order = changesOf(jobId).map((c) => JOB_STATES.indexOf(c.state));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(changesOf(jobId).map((c) => c.state)).toEqual(expect.arrayContaining(['queued', 'printing', 'finished']));
    expect(changesOf(jobId).find((c) => c.progress === 50)).toMatchObject({ state: 'printing', printerId: 'p1' });

    // A queue operation is announced too, with its reason.
    const second = (await svc.json<{ jobs: { id: string }[] }>('/jobs', { method: 'POST', body: { fileId, held: true } })).body.jobs[0]!.id;
    await svc.json(`/jobs/${second}/cancel`, { method: 'POST', body: { reason: 'not today' } });
    expect((await change(second, 'cancelled')).json()).toMatchObject({ state: 'cancelled', reason: 'not today' });
    expect(changesOf(second).map((c) => c.state)).toEqual(['held', 'cancelled']);
  });
});
