/* eslint-disable @typescript-eslint/no-explicit-any -- deliveries are read loosely; the assertions check the shapes */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { TOPIC_PATTERNS } from '@printfleet/contracts';
import { createTempDir } from '@printfleet/testing';
import { Database } from '../src/database/database';
import { WebhookDispatcher } from '../src/integrations/webhooks/webhook-dispatcher';
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
  /** When it came (ms since the epoch). */
  at: number;
}

/** A webhook receiver on loopback: answers 500 to the first `failures` deliveries of each event, then 200. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  private readonly waiters: { check: (d: Delivery) => boolean; resolve: (d: Delivery) => void }[] = [];
  private server!: Server;
  url = '';

  /** May be changed while running (`Infinity`: fail everything). */
  constructor(public failures = 0) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(raw);
        const earlier = this.deliveries.filter((d) => d.body.id === body.id).length;
        const status = earlier < this.failures ? 500 : 200;
        const d: Delivery = { headers: req.headers, raw, body, status, at: Date.now() };
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
        integrations: { webhooks: { urls: [good.url, flaky.url], secret: SECRET, maxAttempts: 4, backoffMs: 10, timeoutMs: 5000, maxAgeMs: 3600_000 } },
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (or fails the test after `ms`). */
async function eventually(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/**
 * Deliveries outlive the gateway: each run is a whole gateway (real SQLite file in a data dir
 * kept between runs, real broker, a fake agent whose printer enters `error`), stopped as
 * `app.close()` stops it, and started again on the same data dir; the receiver is a real HTTP
 * server on loopback that stays up across the restarts.
 */
describe('webhooks across a gateway restart', () => {
  const BACKOFF = 1500;
  const settings = (urls: string[], backoffMs: number) => ({
    webhooks: { urls, secret: SECRET, maxAttempts: 4, backoffMs, timeoutMs: 1000, maxAgeMs: 3600_000 },
  });
  let receiver: Receiver;
  let dir: { path: string; remove(): void };
  const running: Harness[] = [];

  const start = async (backoffMs = BACKOFF) => {
    const h = await startGateway({ dataDir: dir.path }, { integrations: settings([receiver.url], backoffMs) });
    running.push(h);
    return h;
  };
  const stop = async (h: Harness) => {
    running.splice(running.indexOf(h), 1);
    await h.close();
  };
  const rows = async (h: Harness) =>
    h.app.get(Database).query<{ delivery_id: string; url: string; attempts: number; next_attempt_at: string }>(
      'SELECT delivery_id, url, attempts, next_attempt_at FROM webhook_deliveries',
    );
  const printerError = async (h: Harness, printerId: string) => {
    const agent = new FakeAgent(h.agent);
    await agent.online();
    await agent.state(printerId, 'error', { reason: 'thermal runaway on the hot end' });
  };

  beforeEach(async () => {
    receiver = await new Receiver().start();
    dir = createTempDir('printfleet-webhooks-restart-');
  });

  afterEach(async () => {
    for (const h of running.splice(0)) await h.close();
    await receiver.close();
    dir.remove();
  });

  it('resumes a delivery cut off between attempts with its next attempt, same id and body, and sends it once', async () => {
    receiver.failures = Infinity;
    const first = await start();
    await printerError(first, 'mk3-b');
    const one = await receiver.waitFor((d) => d.body.type === 'printer.error');
    expect([one.headers['x-printfleet-attempt'], one.status]).toEqual(['1', 500]);
    // The gateway recorded the failure and when attempt 2 is due, then stops while it waits.
    await eventually(async () => {
      const [row] = await rows(first);
      return row !== undefined && Date.parse(row.next_attempt_at) <= one.at + BACKOFF + 500;
    });
    expect(await rows(first)).toEqual([expect.objectContaining({ delivery_id: one.body.id, url: receiver.url, attempts: 1 })]);
    await stop(first);
    expect(receiver.deliveries).toHaveLength(1);

    // Started again on the same data dir: the receiver works now.
    receiver.failures = 1;
    const second = await start();
    const two = await receiver.waitFor((d) => d.body.id === one.body.id && d.status === 200);
    expect(two.headers).toMatchObject({
      'x-printfleet-attempt': '2',
      'x-printfleet-delivery': one.body.id,
      'x-printfleet-event': 'printer.error',
    });
    expect(two.raw).toBe(one.raw);
    expect(signatureValid(two)).toBe(true);
    // Not before it was due: the backoff after attempt 1 counts from attempt 1.
    expect(two.at - one.at).toBeGreaterThanOrEqual(BACKOFF - 50);
    // Done: no longer pending, its row deleted.
    await eventually(() => second.app.get(WebhookDispatcher).pending === 0);
    expect(await rows(second)).toEqual([]);

    // A restart after the success sends nothing again.
    await stop(second);
    const third = await start();
    await third.app.get(WebhookDispatcher).whenResumed();
    expect(third.app.get(WebhookDispatcher).pending).toBe(0);
    await sleep(500);
    expect(receiver.deliveries.map((d) => [d.body.id, d.headers['x-printfleet-attempt'], d.status])).toEqual([
      [one.body.id, '1', 500],
      [one.body.id, '2', 200],
    ]);
  });

  it('does not send again what was delivered just before a stop', async () => {
    const first = await start();
    await printerError(first, 'mk3-c');
    const one = await receiver.waitFor((d) => d.body.type === 'printer.error');
    expect(one.status).toBe(200);
    await eventually(() => first.app.get(WebhookDispatcher).pending === 0);
    await stop(first);

    const second = await start();
    await second.app.get(WebhookDispatcher).whenResumed();
    expect(await rows(second)).toEqual([]);
    await sleep(500);
    expect(receiver.deliveries).toHaveLength(1);
  });

  // Stopped as soon as the receiver answered: mostly before the gateway has heard the answer, so
  // the attempt counts as cut off, and the next start goes on with the next number.
  it('goes on numbering attempts across several restarts and gives up after the last one', async () => {
    receiver.failures = Infinity;
    let h = await start(500);
    await printerError(h, 'mk3-d');
    const one = await receiver.waitFor((d) => d.body.type === 'printer.error');
    for (const n of [2, 3, 4]) {
      await stop(h);
      h = await start(500);
      await receiver.waitFor((d) => d.body.id === one.body.id && d.headers['x-printfleet-attempt'] === String(n));
    }
    // Attempt 4 of 4 failed: given up, its row deleted; the next start has nothing to send.
    await eventually(() => h.app.get(WebhookDispatcher).pending === 0);
    expect(await rows(h)).toEqual([]);
    await stop(h);
    h = await start(500);
    await h.app.get(WebhookDispatcher).whenResumed();
    await sleep(300);
    expect(receiver.deliveries.map((d) => d.headers['x-printfleet-attempt'])).toEqual(['1', '2', '3', '4']);
  });

  it('drops at start a delivery older than the limit or for a URL no longer configured, and resumes the rest', async () => {
    const first = await start();
    const db = first.app.get(Database);
    const insert = (id: string, url: string, createdAgoMs: number, attempts: number) => {
      const body = JSON.stringify({ id, type: 'queue.empty', ts: new Date().toISOString(), data: { queue: { length: 0 } } });
      const created = new Date(Date.now() - createdAgoMs).toISOString();
      return db.run(
        `INSERT INTO webhook_deliveries (delivery_id, url, event_type, body, attempts, next_attempt_at, created_at)
         VALUES (?, ?, 'queue.empty', ?, ?, ?, ?)`,
        [id, url, body, attempts, created, created],
      );
    };
    await insert('too-old', receiver.url, 2 * 3600_000, 1);
    await insert('removed-url', 'http://127.0.0.1:9/hook', 1000, 1);
    await insert('all-attempts-made', receiver.url, 1000, 4);
    await insert('still-due', receiver.url, 1000, 2);
    await stop(first);

    const second = await start();
    const resumed = await receiver.waitFor((d) => d.body.id === 'still-due');
    expect(resumed.headers['x-printfleet-attempt']).toBe('3');
    expect(signatureValid(resumed)).toBe(true);
    await eventually(async () => (await rows(second)).length === 0);
    await sleep(300);
    expect(receiver.deliveries.map((d) => d.body.id)).toEqual(['still-due']);
  });
});
