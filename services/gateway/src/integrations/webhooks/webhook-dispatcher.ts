import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { CLOCK, type Clock } from '../../clock';
import { INTEGRATION_SETTINGS, type IntegrationSettings } from '../integration-settings';
import { signature, type WebhookEvent } from './webhook-event';
import { WebhookDeliveryStore, type StoredDelivery } from './webhook-store';

/** Deliveries waiting or under way, all receivers together; past this, new events are dropped (logged). */
const MAX_PENDING = 1000;

type Delivery = Pick<StoredDelivery, 'id' | 'url' | 'type' | 'body' | 'createdAt'>;

const keyOf = (d: Pick<Delivery, 'id' | 'url'>) => `${d.id} ${d.url}`;

/**
 * Delivers each event to every configured URL: a JSON POST, signed when a secret is set, retried
 * with doubling waits up to `maxAttempts` when the receiver fails (no answer, not 2xx). Nothing
 * waits for it: `send` returns at once, each receiver is tried on its own, and a slow or dead one
 * holds up neither the others nor the gateway. Order between events is not guaranteed.
 *
 * Every delivery not yet done is also in the gateway's SQLite (`WebhookDeliveryStore`): written
 * before the first attempt, marked as each attempt starts (so an attempt number is never sent
 * twice, even after a crash mid-attempt) and as it fails (when the next is due), deleted once the
 * receiver answered 2xx or the delivery was given up. At boot the ones the previous run left are
 * resumed at their due time with the same id and body and the next attempt number: a restart
 * between attempts loses nothing, and a delivery that succeeded is not sent again. Delivery is
 * at least once: a receiver that answered just as the gateway died may see that attempt again
 * (with a higher `X-Printfleet-Attempt`); receivers deduplicate on the delivery id.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly log: Logger;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly calls = new Set<AbortController>();
  /** The deliveries this process is working on (waiting or under way). */
  private readonly live = new Set<string>();
  private closed = false;
  private resumed: Promise<void> = Promise.resolve();

  constructor(
    @Inject(INTEGRATION_SETTINGS) private readonly settings: IntegrationSettings,
    private readonly store: WebhookDeliveryStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'webhooks' });
  }

  get enabled(): boolean {
    return this.settings.webhooks.urls.length > 0;
  }

  /** Deliveries waiting or under way in this process. */
  get pending(): number {
    return this.live.size;
  }

  /** Takes up what the previous run left; runs beside the boot (the gateway does not wait for it). */
  onModuleInit(): void {
    // Queued on the database before any event of this run can be written.
    this.resumed = this.resume();
  }

  /** Resolves once the deliveries left by the previous run are scheduled again (or dropped). */
  whenResumed(): Promise<void> {
    return this.resumed;
  }

  send(event: WebhookEvent): void {
    if (this.closed) return;
    const body = JSON.stringify(event);
    const now = this.clock.now();
    for (const url of new Set(this.settings.webhooks.urls)) {
      if (this.live.size >= MAX_PENDING) {
        this.log.warn({ url, event: event.type, id: event.id }, 'webhook dropped: too many deliveries pending');
        continue;
      }
      const d: Delivery = { id: event.id, url, type: event.type, body, createdAt: now };
      this.live.add(keyOf(d));
      // Recorded before the first attempt starts: from here on a restart resumes it.
      void this.persist(d, 'recorded', this.store.insert({ ...d, attempts: 1, nextAttemptAt: now + this.lostAfter(1) })).then(
        () => this.attempt(d, 1),
      );
    }
  }

  onModuleDestroy(): void {
    // In-flight attempts are cut off; their rows stay as they are for the next start.
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.calls) c.abort();
  }

  private async resume(): Promise<void> {
    let rows: StoredDelivery[];
    try {
      rows = await this.store.all();
    } catch (err) {
      return this.log.warn({ err: (err as Error).message }, 'could not read the webhook deliveries left by the last run');
    }
    const { urls, maxAttempts, maxAgeMs } = this.settings.webhooks;
    const now = this.clock.now();
    for (const r of rows) {
      if (this.closed) return;
      if (this.live.has(keyOf(r))) continue;
      const why = !urls.includes(r.url)
        ? 'its URL is no longer in PRINTFLEET_WEBHOOKS'
        : now - r.createdAt > maxAgeMs
          ? `older than ${Math.round(maxAgeMs / 3600_000)} h`
          : r.attempts >= maxAttempts
            ? `its last attempt (${r.attempts} of ${maxAttempts}) was cut off by the stop`
            : this.live.size >= MAX_PENDING
              ? 'too many deliveries pending'
              : null;
      const fields = { url: r.url, event: r.type, id: r.id, attempts: r.attempts, since: new Date(r.createdAt).toISOString() };
      if (why) {
        this.log.warn(fields, `webhook delivery dropped at start: ${why}`);
        void this.persist(r, 'deleted', this.store.remove(r));
        continue;
      }
      this.live.add(keyOf(r));
      // Never longer than that attempt's own wait could be: a Pi without a clock battery may boot
      // with its clock behind until NTP sets it.
      const wait = Math.min(Math.max(0, r.nextAttemptAt - now), this.lostAfter(r.attempts));
      this.log.info({ ...fields, nextAttempt: r.attempts + 1, inMs: wait }, 'webhook delivery resumed after a restart');
      this.later(r, r.attempts + 1, wait);
    }
  }

  private async attempt(d: Delivery, attempt: number): Promise<void> {
    if (this.closed) return;
    if (attempt > 1) await this.persist(d, 'updated', this.store.started(d, attempt, this.clock.now() + this.lostAfter(attempt)));
    if (this.closed) return;
    const failure = await this.post(d, attempt);
    if (failure === null) return this.done(d);
    // Cut off by the stop (or failed as it came): the row says what to do at the next start.
    if (this.closed) return;
    const { maxAttempts } = this.settings.webhooks;
    if (attempt >= maxAttempts) {
      this.log.warn({ url: d.url, event: d.type, id: d.id, attempt, failure }, 'webhook delivery given up');
      return this.done(d);
    }
    const wait = this.backoff(attempt);
    this.log.info({ url: d.url, event: d.type, id: d.id, attempt, failure, retryInMs: wait }, 'webhook delivery failed; will retry');
    void this.persist(d, 'updated', this.store.reschedule(d, this.clock.now() + wait));
    this.later(d, attempt + 1, wait);
  }

  private later(d: Delivery, attempt: number, wait: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(d, attempt);
    }, wait);
    this.timers.add(timer);
  }

  /** Delivered or given up: forgotten here and in the database. */
  private done(d: Delivery): void {
    this.live.delete(keyOf(d));
    void this.persist(d, 'deleted', this.store.remove(d));
  }

  /** Wait after a failed attempt `attempt` before the next. */
  private backoff(attempt: number): number {
    return this.settings.webhooks.backoffMs * 2 ** (attempt - 1);
  }

  /** When the attempt after `attempt` is due if this one's outcome is never heard (the gateway stopped). */
  private lostAfter(attempt: number): number {
    return this.settings.webhooks.timeoutMs + this.backoff(attempt);
  }

  /** A database write that must not stop the delivery: on failure it goes on in memory (logged). */
  private persist(d: Delivery, what: string, write: Promise<void>): Promise<void> {
    return write.catch((err: unknown) =>
      this.log.warn(
        { url: d.url, event: d.type, id: d.id, err: (err as Error).message },
        `webhook delivery could not be ${what} in the database; a restart may lose or repeat it`,
      ),
    );
  }

  /** Null when delivered, else why not. */
  private async post(d: Delivery, attempt: number): Promise<string | null> {
    const { secret, timeoutMs } = this.settings.webhooks;
    const controller = new AbortController();
    this.calls.add(controller);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        body: d.body,
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'printfleet-webhooks',
          'x-printfleet-event': d.type,
          'x-printfleet-delivery': d.id,
          'x-printfleet-attempt': String(attempt),
          ...(secret ? { 'x-printfleet-signature': signature(secret, d.body) } : {}),
        },
      });
      // The status decides; the answer's body is not read, so a stop that comes now cannot turn
      // a delivered event into one sent again.
      void res.body?.cancel().catch(() => undefined);
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (err) {
      return controller.signal.aborted ? `no answer in ${timeoutMs} ms` : (err as Error).message;
    } finally {
      clearTimeout(timer);
      this.calls.delete(controller);
    }
  }
}
