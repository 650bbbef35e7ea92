import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An API key may name one printer: slicers that upload with it and ask to print send the job to
 * that printer instead of the fleet queue. Null (every key made before) keeps the fleet queue.
 */
export class ApiKeyPrinterScope1780000000000 implements MigrationInterface {
  name = 'ApiKeyPrinterScope1780000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN printer_id TEXT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP COLUMN printer_id`);
  }
}
