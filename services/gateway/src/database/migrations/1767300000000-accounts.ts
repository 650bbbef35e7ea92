import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, login sessions and API keys. Timestamps are ISO 8601 UTC text. Secrets are never
 * stored: passwords as scrypt hashes (JSON), session tokens and API keys as sha256 (they are
 * 32 random bytes, so a fast hash is enough; a slow one would cost every request).
 */
export class Accounts1767300000000 implements MigrationInterface {
  name = 'Accounts1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'maker', 'viewer')),
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`);
    await q.query(`CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      csrf_token TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`);
    await q.query(`CREATE INDEX idx_sessions_user ON sessions (user_id)`);
    await q.query(`CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      label TEXT NOT NULL,
      key_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      last_used_at TEXT,
      revoked_at TEXT
    )`);
    await q.query(`CREATE INDEX idx_api_keys_user ON api_keys (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE users`);
  }
}
