import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@printfleet/logging';
import { LOGGER } from '@printfleet/service-kit';
import { INTEGRATION_SETTINGS, type IntegrationSettings } from '../integration-settings';
import { signature, type WebhookEvent } from './webhook-event';

/** Deliveries waiting or under way, all receivers together; past this, new events are dropped (logged). */
const MAX_PENDING = 1000;

/**
 * Delivers each event to every configured URL: a JSON POST, signed when a secret is set, retried
 * with doubling waits up to `maxAttempts` when the receiver fails (no answer, not 2xx). Nothing
 * waits for it: `send` returns at once, each receiver is tried on its own, and a slow or dead one
 * holds up neither the others nor the gateway. Order between events is not guaranteed.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleDestroy {
  private readonly log: Logger;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly calls = new Set<AbortController>();
  private pending = 0;
  private closed = false;

  constructor(
    @Inject(INTEGRATION_SETTINGS) private readonly settings: IntegrationSettings,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'webhooks' });
  }

  get enabled(): boolean {
    return this.settings.webhooks.urls.length > 0;
  }

  send(event: WebhookEvent): void {
    const body = JSON.stringify(event);
    for (const url of this.settings.webhooks.urls) {
      if (this.pending >= MAX_PENDING) {
        this.log.warn({ url, event: event.type, id: event.id }, 'webhook dropped: too many deliveries pending');
        continue;
      }
      this.pending++;
      this.attempt(url, event, body, 1);
    }
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.calls) c.abort();
  }

  private attempt(url: string, event: WebhookEvent, body: string, attempt: number): void {
    if (this.closed) return;
    void this.post(url, event, body, attempt).then((failure) => {
      const { maxAttempts, backoffMs } = this.settings.webhooks;
      if (failure === null) return void this.pending--;
      if (attempt >= maxAttempts || this.closed) {
        this.pending--;
        return this.log.warn({ url, event: event.type, id: event.id, attempt, failure }, 'webhook delivery given up');
      }
      const wait = backoffMs * 2 ** (attempt - 1);
      this.log.info({ url, event: event.type, id: event.id, attempt, failure, retryInMs: wait }, 'webhook delivery failed; will retry');
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.attempt(url, event, body, attempt + 1);
      }, wait);
      this.timers.add(timer);
    });
  }

  /** Null when delivered, else why not. */
  private async post(url: string, event: WebhookEvent, body: string, attempt: number): Promise<string | null> {
    const { secret, timeoutMs } = this.settings.webhooks;
    const controller = new AbortController();
    this.calls.add(controller);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'printfleet-webhooks',
          'x-printfleet-event': event.type,
          'x-printfleet-delivery': event.id,
          'x-printfleet-attempt': String(attempt),
          ...(secret ? { 'x-printfleet-signature': signature(secret, body) } : {}),
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (err) {
      return controller.signal.aborted ? `no answer in ${timeoutMs} ms` : (err as Error).message;
    } finally {
      clearTimeout(timer);
      this.calls.delete(controller);
    }
  }
}
