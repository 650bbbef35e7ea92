import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook deliveries not yet done, so that a restart of the gateway (an update, a crash) does not
 * drop them: one row per event and receiver URL, written before the first attempt, deleted once
 * the receiver answered 2xx or the delivery was given up. `body` is the exact JSON sent (the
 * signature is computed from it at each attempt); `attempts` is how many attempts were started;
 * `next_attempt_at` when the next one is due. Timestamps are ISO 8601 UTC text.
 */
export class WebhookDeliveries1795800000000 implements MigrationInterface {
  name = 'WebhookDeliveries1795800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_deliveries (
      delivery_id TEXT NOT NULL,
      url TEXT NOT NULL,
      event_type TEXT NOT NULL,
      body TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (delivery_id, url)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
  }
}
