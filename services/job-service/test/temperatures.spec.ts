import { printerTelemetryTopic, type PrinterTelemetry } from '@printfleet/contracts';
import { startTestBroker, createTempDir, type TestBroker } from '@printfleet/testing';
import { TemperatureRecorder } from '../src/temperatures/temperature-recorder.service';
import { FakeAgent } from './fake-agent';
import { startJobService, type RunningJobService } from './harness';

interface Samples {
  items: { ts: string; jobId: string | null; heaters: PrinterTelemetry['heaters'] }[];
  truncated: boolean;
  sampleIntervalS: number;
}

describe('temperature history', () => {
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

  const at = (base: number, s: number) => new Date(base + s * 1000).toISOString();
  const telemetry = (printerId: string, ts: string, tool: number, job?: string) => {
    const t: PrinterTelemetry = {
      printerId,
      ts,
      heaters: { tool0: { actual: tool, target: 215 }, bed: { actual: 60, target: 60, power: 40 } },
      ...(job ? { job: { id: job, progress: 10, line: 100, elapsedS: 60, remainingS: 600 } } : {}),
    };
    return agent.probe.client.publishAsync(printerTelemetryTopic(printerId), JSON.stringify(t), { qos: 1 });
  };
  /** Resolves once the sample of `printerId` at `ts` is stored (samples are stored in order). */
  const stored = (printerId: string, ts: string) =>
    new Promise<void>((resolve) => {
      const off = svc.app.get(TemperatureRecorder).onStored((p, t) => p === printerId && t === ts && (off(), resolve()));
    });

  it('keeps one sample per printer per 10 s, tagged with the running job, and serves it by range and job', async () => {
    await agent.state('p1', 'printing', { job: { id: 'sd-1', progress: 10 } });
    await agent.event({ type: 'job.started', printerId: 'p1', jobId: 'sd-1', fileId: 'sd-card', fileName: 'x.gcode', ts: new Date().toISOString() });
    await svc.waitForJob('sd-1', (j) => j.state === 'printing');
    await agent.state('p2', 'ready');

    const base = Math.floor(Date.now() / 1000) * 1000 - 3 * 24 * 3600_000;
    const last = stored('p1', at(base, 25));
    const ghost = stored('p2', at(base, 0));
    await telemetry('p1', at(base, 0), 200, 'sd-1');
    await telemetry('p1', at(base, 3), 201, 'sd-1');
    await telemetry('p1', at(base, 9.9), 202, 'sd-1');
    await telemetry('p1', at(base, 10), 203); // no job in the message: the retained state names it
    await telemetry('p1', at(base, 25), 204, 'sd-1');
    await telemetry('p2', at(base, 0), 20, 'not-a-job-we-know');
    await Promise.all([last, ghost]);

    const range = `from=${at(base, -3600)}&to=${at(base, 3600)}`;
    const p1 = await svc.json<Samples>(`/printers/p1/temperatures?${range}`);
    expect(p1.status).toBe(200);
    expect(p1.body.sampleIntervalS).toBe(10);
    expect(p1.body.items.map((s) => [s.ts, s.jobId, s.heaters.tool0!.actual])).toEqual([
      [at(base, 0), 'sd-1', 200],
      [at(base, 10), 'sd-1', 203],
      [at(base, 25), 'sd-1', 204],
    ]);
    expect(p1.body.items[0]!.heaters.bed).toEqual({ actual: 60, target: 60, power: 40 });
    expect((await svc.json<Samples>(`/printers/p2/temperatures?${range}`)).body.items).toEqual([
      expect.objectContaining({ ts: at(base, 0), jobId: null }),
    ]);
    expect((await svc.json<Samples>('/printers/p1/temperatures?jobId=sd-1')).body.items).toHaveLength(3);
    expect((await svc.json<Samples>(`/printers/p1/temperatures?from=${at(base, 5)}&to=${at(base, 25)}`)).body.items.map((s) => s.ts)).toEqual([at(base, 10)]);
    expect((await svc.json<Samples>(`/printers/p1/temperatures?${range}&limit=2`)).body).toMatchObject({ truncated: true, items: [{}, {}] });
    // No range: the last day, which these samples of three days ago are not in.
    expect((await svc.json<Samples>('/printers/p1/temperatures')).body.items).toEqual([]);

    expect(await svc.json('/printers/p1/temperatures?from=yesterday')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    expect(await svc.json('/printers/p1/temperatures?jobId=a%2Fb')).toMatchObject({ status: 400 });
    expect(await svc.json(`/printers/p1/temperatures?from=${at(base, 10)}&to=${at(base, 0)}`)).toMatchObject({ status: 400 });
  });

  it('prunes samples older than the retention period', async () => {
    const now = Date.now();
    const old = new Date(now - 40 * 24 * 3600_000).toISOString();
    const recent = new Date(now - 60_000).toISOString();
    const both = stored('p1', recent);
    await telemetry('p1', old, 180);
    await telemetry('p1', recent, 181);
    await both;
    const all = `from=${new Date(now - 60 * 24 * 3600_000).toISOString()}`;
    expect((await svc.json<Samples>(`/printers/p1/temperatures?${all}`)).body.items).toHaveLength(2);
    expect(await svc.app.get(TemperatureRecorder).prune(now)).toBe(1);
    expect((await svc.json<Samples>(`/printers/p1/temperatures?${all}`)).body.items.map((s) => s.ts)).toEqual([recent]);
  });
});
