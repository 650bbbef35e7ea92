import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import type { WebhookEventType } from './webhook-event';

/** One event on its way to one receiver. */
export interface StoredDelivery {
  /** The event's id (`X-Printfleet-Delivery`); with `url`, the row's key. */
  id: string;
  url: string;
  type: WebhookEventType;
  /** The exact JSON body, sent unchanged at every attempt. */
  body: string;
  /** Attempts started so far (the next one is `attempts + 1`). */
  attempts: number;
  /** When the next attempt is due (ms since the epoch). */
  nextAttemptAt: number;
  /** When the event was first handed to the dispatcher (ms since the epoch). */
  createdAt: number;
}

interface Row {
  delivery_id: string;
  url: string;
  event_type: WebhookEventType;
  body: string;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The deliveries not yet done, in the gateway's SQLite (`webhook_deliveries`), so that they
 * outlive a restart: a row is written before the first attempt, updated as attempts start and
 * fail, and deleted when the receiver took the event or the delivery was given up.
 */
@Injectable()
export class WebhookDeliveryStore {
  constructor(private readonly db: Database) {}

  async insert(d: StoredDelivery): Promise<void> {
    await this.db.run(
      `INSERT INTO webhook_deliveries (delivery_id, url, event_type, body, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [d.id, d.url, d.type, d.body, d.attempts, iso(d.nextAttemptAt), iso(d.createdAt)],
    );
  }

  /** Attempt `attempt` starts now; if nothing more is heard of it, the next is due at `nextAttemptAt`. */
  async started(d: Pick<StoredDelivery, 'id' | 'url'>, attempt: number, nextAttemptAt: number): Promise<void> {
    await this.db.run(`UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ? WHERE delivery_id = ? AND url = ?`, [
      attempt,
      iso(nextAttemptAt),
      d.id,
      d.url,
    ]);
  }

  /** The last attempt failed; the next is due at `nextAttemptAt`. */
  async reschedule(d: Pick<StoredDelivery, 'id' | 'url'>, nextAttemptAt: number): Promise<void> {
    await this.db.run(`UPDATE webhook_deliveries SET next_attempt_at = ? WHERE delivery_id = ? AND url = ?`, [
      iso(nextAttemptAt),
      d.id,
      d.url,
    ]);
  }

  async remove(d: Pick<StoredDelivery, 'id' | 'url'>): Promise<void> {
    await this.db.run(`DELETE FROM webhook_deliveries WHERE delivery_id = ? AND url = ?`, [d.id, d.url]);
  }

  /** Every delivery not yet done, oldest first. */
  async all(): Promise<StoredDelivery[]> {
    const rows = await this.db.query<Row>(
      `SELECT delivery_id, url, event_type, body, attempts, next_attempt_at, created_at
         FROM webhook_deliveries ORDER BY created_at, delivery_id, url`,
    );
    return rows.map((r) => ({
      id: r.delivery_id,
      url: r.url,
      type: r.event_type,
      body: r.body,
      attempts: r.attempts,
      nextAttemptAt: Date.parse(r.next_attempt_at),
      createdAt: Date.parse(r.created_at),
    }));
  }
}
