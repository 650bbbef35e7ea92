import { createHmac, randomUUID } from 'node:crypto';
import type { JobChange } from '@printfleet/contracts';

export const WEBHOOK_EVENT_TYPES = ['job.finished', 'job.failed', 'job.cancelled', 'printer.error', 'queue.empty'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body of every delivery (docs/integrations.md "Webhooks"). */
export interface WebhookEvent {
  /** One id per event; each retry of it carries the same (`X-Printfleet-Delivery`). */
  id: string;
  type: WebhookEventType;
  ts: string;
  data:
    | { job: JobChange }
    | { printer: { printerId: string; agentId: string; displayName?: string; state: string; reason?: string; since: string } }
    | { queue: { length: number } };
}

export const webhookEvent = (type: WebhookEventType, data: WebhookEvent['data'], now: Date): WebhookEvent => ({
  id: randomUUID(),
  type,
  ts: now.toISOString(),
  data,
});

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the shared secret. */
export const signature = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
