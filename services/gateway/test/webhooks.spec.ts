/* eslint-disable @typescript-eslint/no-explicit-any -- deliveries are read loosely; the assertions check the shapes */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';

const SECRET = 'a-webhook-secret-for-tests';
const MINICUBE = 'prusaslicer-2.8.1-minicube-qoi.gcode';

interface Delivery {
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  /** What the receiver answered. */
  status: number;
}

/** A webhook receiver on loopback: answers 500 to the first `failures` deliveries of each event, then 200. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  private readonly waiters: { check: (d: Delivery) => boolean; resolve: (d: Delivery) => void }[] = [];
  private server!: Server;
  url = '';

  constructor(private readonly failures = 0) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(raw);
        const earlier = this.deliveries.filter((d) => d.body.id === body.id).length;
        const status = earlier < this.failures ? 500 : 200;
        const d: Delivery = { headers: req.headers, raw, body, status };
        this.deliveries.push(d);
        res.writeHead(status).end();
        for (const w of [...this.waiters])
          if (w.check(d)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(d);
          }
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Resolves with the first delivery (past or coming) that passes `check`. */
  waitFor(check: (d: Delivery) => boolean): Promise<Delivery> {
    const seen = this.deliveries.find(check);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** What a receiver should do: recompute the HMAC of the raw body and compare in constant time. */
function signatureValid(d: Delivery): boolean {
  const sent = String(d.headers['x-printfleet-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', SECRET).update(d.raw).digest('hex')}`;
  return sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

/**
 * Webhooks from the gateway against the REAL job-service and a fake agent on a real broker:
 * a job printed to the end, a job cancelled, a printer in error, the queue running empty. One
 * receiver checks every signature; another fails twice and gets the same delivery a third time.
 */
describe('webhooks', () => {
  let h: Harness;
  let good: Receiver;
  let flaky: Receiver;
  let admin: ApiClient;
  let agent: FakeAgent;
  let fileId: string;

  beforeAll(async () => {
    good = await new Receiver().start();
    flaky = await new Receiver(2).start();
    h = await startGateway(
      {},
      {
        jobService: {},
        integrations: { webhooks: { urls: [good.url, flaky.url], secret: SECRET, maxAttempts: 4, backoffMs: 10, timeoutMs: 5000 } },
      },
    );
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    agent = new FakeAgent(h.agent);
    await h.agent.subscribe(TOPIC_PATTERNS.printerCommandsOf('mk3-a'));
    const up = await admin.upload(MINICUBE, readFileSync(resolve(__dirname, '../../../../shared/gcode', MINICUBE)));
    fileId = up.body.file.id;
    await h.jobs!.settle();
  });

  afterAll(async () => {
    await h?.close();
    await Promise.all([good?.close(), flaky?.close()]);
  });

  it('announces the queue running empty and a job finished, signed', async () => {
    await agent.online();
    await agent.state('mk3-a', 'ready');
    const jobId = (await admin.post('/api/jobs', { fileId, printerId: 'mk3-a' })).body.jobs[0].id;
    const start = await agent.nextStart('mk3-a', jobId);
    await agent.acceptStart('mk3-a', start);

    const empty = await good.waitFor((d) => d.body.type === 'queue.empty');
    expect(empty.body).toMatchObject({ id: expect.any(String), ts: expect.any(String), data: { queue: { length: 0 } } });
    expect(signatureValid(empty)).toBe(true);

    await agent.event({ type: 'job.finished', printerId: 'mk3-a', jobId, durationS: 600, ts: new Date().toISOString() });
    await agent.state('mk3-a', 'finished', { job: { id: jobId, progress: 100, fileName: MINICUBE } });
    const finished = await good.waitFor((d) => d.body.type === 'job.finished');
    expect(finished.headers).toMatchObject({ 'content-type': 'application/json', 'x-printfleet-event': 'job.finished' });
    expect(finished.body.data.job).toMatchObject({ jobId, state: 'finished', printerId: 'mk3-a', fileId, fileName: MINICUBE });
    expect(signatureValid(finished)).toBe(true);
    expect(signatureValid({ ...finished, raw: finished.raw.replace('finished', 'failed') })).toBe(false);
  });

  it('retries a failing receiver with the same delivery until it answers 2xx', async () => {
    // The flaky receiver answers 500 twice to each event: each comes a third time.
    const first = await flaky.waitFor((d) => d.body.type === 'queue.empty');
    const retried = await flaky.waitFor((d) => d.body.id === first.body.id && d.status === 200);
    const attempts = flaky.deliveries.filter((d) => d.body.id === first.body.id);
    expect(attempts.map((d) => [d.headers['x-printfleet-attempt'], d.status])).toEqual([
      ['1', 500],
      ['2', 500],
      ['3', 200],
    ]);
    expect(retried.raw).toBe(first.raw);
    expect(signatureValid(retried)).toBe(true);
    // The other events too, and the healthy receiver got each event once.
    await flaky.waitFor((d) => d.body.type === 'job.finished' && d.status === 200);
    expect(good.deliveries.filter((d) => d.body.type === 'queue.empty')).toHaveLength(1);
  });

  it('announces a cancelled job once, and a printer entering error', async () => {
    const jobId = (await admin.post('/api/jobs', { fileId, held: true })).body.jobs[0].id;
    expect((await admin.post(`/api/jobs/${jobId}/cancel`, { reason: 'wrong colour' })).status).toBe(200);
    const cancelled = await good.waitFor((d) => d.body.type === 'job.cancelled');
    expect(cancelled.body.data.job).toMatchObject({ jobId, state: 'cancelled' });

    await agent.state('mk3-b', 'error', { reason: 'thermal runaway on the hot end' });
    const error = await good.waitFor((d) => d.body.type === 'printer.error');
    expect(error.body.data.printer).toMatchObject({ printerId: 'mk3-b', agentId: 'pi-1', state: 'error', reason: 'thermal runaway on the hot end' });
    expect(signatureValid(error)).toBe(true);
    expect(good.deliveries.filter((d) => d.body.type === 'job.cancelled')).toHaveLength(1);
  });
});
