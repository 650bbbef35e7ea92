import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import type { Role } from '../users/roles';

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  name: string;
  role: Role;
  csrfToken: string;
  expiresAt: string;
}

interface Row {
  token_hash: string;
  user_id: string;
  name: string;
  role: Role;
  csrf_token: string;
  expires_at: string;
}

@Injectable()
export class SessionRepository {
  constructor(private readonly db: Database) {}

  async insert(s: {
    tokenHash: string;
    userId: string;
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
  }): Promise<void> {
    await this.db.run(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
      [s.tokenHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt],
    );
  }

  /** The live session with its user (a deleted user's sessions are gone by cascade). */
  async find(tokenHash: string, nowIso: string): Promise<SessionRecord | null> {
    const [r] = await this.db.query<Row>(
      `SELECT s.token_hash, s.user_id, u.name, u.role, s.csrf_token, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND s.expires_at > ?`,
      [tokenHash, nowIso],
    );
    return r
      ? {
          tokenHash: r.token_hash,
          userId: r.user_id,
          name: r.name,
          role: r.role,
          csrfToken: r.csrf_token,
          expiresAt: r.expires_at,
        }
      : null;
  }

  async extend(tokenHash: string, expiresAt: string): Promise<void> {
    await this.db.run(`UPDATE sessions SET expires_at = ? WHERE token_hash = ?`, [expiresAt, tokenHash]);
  }

  async remove(tokenHash: string): Promise<void> {
    await this.db.run(`DELETE FROM sessions WHERE token_hash = ?`, [tokenHash]);
  }

  async removeForUser(userId: string): Promise<void> {
    await this.db.run(`DELETE FROM sessions WHERE user_id = ?`, [userId]);
  }

  async removeExpired(nowIso: string): Promise<number> {
    return this.db.run(`DELETE FROM sessions WHERE expires_at <= ?`, [nowIso]);
  }
}
