import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { JobServiceClient } from '../src/jobs/job-service-client';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { parsePrometheusText, sampleValue, type Sample } from './support/prometheus-text';

const CUBE = resolve(__dirname, '../../../../shared/gcode/cura-3.6.0-calibration-cube.gcode');

/**
 * Job counts and queue length on `/metrics`, from the REAL job-service (real SQLite, real
 * internal HTTP) behind the gateway. Its clock is the only thing a test moves: "5 s later" is
 * `Date.now` answering 5 s later, never a sleep.
 */
describe('GET /metrics: jobs and queue from the job-service', () => {
  let h: Harness;
  let admin: ApiClient;
  let agent: FakeAgent;
  let fileId: string;
  let clock: number;
  let jobServiceCalls: string[];

  const scrape = async (): Promise<Sample[]> => {
    const res = await admin.get('/metrics');
    expect(res.status).toBe(200);
    return parsePrometheusText(res.body as string);
  };
  const later = (ms: number) => void (clock += ms);
  const queueJob = async (body: Record<string, unknown>) => (await admin.post('/api/jobs', { fileId, ...body })).body.jobs[0].id as string;

  beforeAll(async () => {
    h = await startGateway({}, { jobService: {} });
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    const upload = await admin.upload('cube.gcode', readFileSync(CUBE));
    expect(upload.status).toBe(201);
    fileId = upload.body.file.id;

    clock = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    const client = h.app.get(JobServiceClient);
    const json = client.json.bind(client);
    jobServiceCalls = [];
    jest.spyOn(client, 'json').mockImplementation((method, path, ...rest) => {
      if (path === '/stats' || path === '/queue') jobServiceCalls.push(`${method} ${path}`); // the metrics' reads
      return json(method, path, ...rest);
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await h?.close();
  });

  it('counts ended jobs by outcome, per printer, and the queue', async () => {
    // One job printed to the end on mk3-a, as the agent reports it.
    await agent.online();
    await agent.state('mk3-a', 'ready');
    const printed = await queueJob({ printerId: 'mk3-a' });
    const start = await agent.nextStart('mk3-a', printed);
    await agent.acceptStart('mk3-a', start);
    await h.jobs!.waitForJob(printed, (j) => j.state === 'printing');
    await agent.event({ type: 'job.finished', printerId: 'mk3-a', jobId: printed, durationS: 1200, ts: new Date().toISOString() });
    await agent.state('mk3-a', 'finished', { job: { id: printed, progress: 100 } });
    await h.jobs!.waitForJob(printed, (j) => j.state === 'finished');
    // Three held in the fleet queue, one of them cancelled before it reached a printer.
    const held = [await queueJob({ held: true }), await queueJob({ held: true }), await queueJob({ held: true })];
    expect((await admin.post(`/api/jobs/${held[0]}/cancel`, { reason: 'wrong colour' })).status).toBe(200);

    const samples = await scrape();
    expect(sampleValue(samples, 'printfleet_job_service_up')).toBe(1);
    expect(sampleValue(samples, 'printfleet_queue_length')).toBe(2);
    expect(sampleValue(samples, 'printfleet_jobs_ended_total', { outcome: 'finished' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_jobs_ended_total', { outcome: 'cancelled' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_jobs_ended_total', { outcome: 'failed' })).toBe(0);
    expect(sampleValue(samples, 'printfleet_jobs_ended_total', { outcome: 'interrupted' })).toBe(0);
    expect(sampleValue(samples, 'printfleet_printer_jobs_ended_total', { printer: 'mk3-a', outcome: 'finished' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_printer_jobs_ended_total', { printer: 'mk3-a', outcome: 'cancelled' })).toBe(0);
    const body = (await admin.get('/metrics')).body as string;
    expect(body).toContain('# TYPE printfleet_jobs_ended_total counter');
    expect(body).toContain('# TYPE printfleet_queue_length gauge');
  });

  it('asks the job-service at most once per 5 s, however often Prometheus scrapes', async () => {
    later(5000);
    jobServiceCalls.length = 0;
    await Promise.all([scrape(), scrape(), scrape()]); // concurrent scrapes share one read
    await scrape();
    expect(jobServiceCalls.sort()).toEqual(['GET /queue', 'GET /stats']);

    await queueJob({ held: true });
    later(4999);
    expect(sampleValue(await scrape(), 'printfleet_queue_length')).toBe(2); // still the cached read
    expect(jobServiceCalls).toHaveLength(2);
    later(1);
    expect(sampleValue(await scrape(), 'printfleet_queue_length')).toBe(3);
    expect(jobServiceCalls).toHaveLength(4);
  });

  it('keeps the last values and says printfleet_job_service_up 0 while the job-service fails, then recovers', async () => {
    const url = h.settings.jobService.url;
    h.settings.jobService.url = 'http://127.0.0.1:9'; // nothing listens there
    try {
      later(5000);
      let samples = await scrape();
      expect(sampleValue(samples, 'printfleet_job_service_up')).toBe(0);
      expect(sampleValue(samples, 'printfleet_queue_length')).toBe(3);
      expect(sampleValue(samples, 'printfleet_jobs_ended_total', { outcome: 'finished' })).toBe(1);
      // A failing job-service is not retried at every scrape either.
      const calls = jobServiceCalls.length;
      samples = await scrape();
      expect(sampleValue(samples, 'printfleet_job_service_up')).toBe(0);
      expect(jobServiceCalls).toHaveLength(calls);
    } finally {
      h.settings.jobService.url = url;
    }
    later(5000);
    expect(sampleValue(await scrape(), 'printfleet_job_service_up')).toBe(1);
  });
});
