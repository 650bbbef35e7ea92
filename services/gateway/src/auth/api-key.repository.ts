import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import type { Role } from '../users/roles';

export interface ApiKeyInfo {
  id: string;
  userId: string;
  userName: string;
  label: string;
  /** The printer a slicer's "print" goes to with this key; null: the fleet queue. */
  printerId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface Row {
  id: string;
  user_id: string;
  user_name: string;
  role: Role;
  label: string;
  printer_id: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const toInfo = (r: Row): ApiKeyInfo => ({
  id: r.id,
  userId: r.user_id,
  userName: r.user_name,
  label: r.label,
  printerId: r.printer_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const SELECT = `SELECT k.id, k.user_id, u.name AS user_name, u.role, k.label, k.printer_id, k.created_at, k.last_used_at, k.revoked_at
                  FROM api_keys k JOIN users u ON u.id = k.user_id`;

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly db: Database) {}

  async insert(k: {
    id: string;
    userId: string;
    label: string;
    keyHash: string;
    createdAt: string;
    printerId?: string | null;
  }): Promise<void> {
    await this.db.run(
      `INSERT INTO api_keys (id, user_id, label, key_hash, created_at, printer_id) VALUES (?, ?, ?, ?, ?, ?)`,
      [k.id, k.userId, k.label, k.keyHash, k.createdAt, k.printerId ?? null],
    );
  }

  /** A key that is not revoked, with its owner's current role. */
  async findActive(keyHash: string): Promise<(ApiKeyInfo & { role: Role }) | null> {
    const [r] = await this.db.query<Row>(`${SELECT} WHERE k.key_hash = ? AND k.revoked_at IS NULL`, [
      keyHash,
    ]);
    return r ? { ...toInfo(r), role: r.role } : null;
  }

  async list(userId?: string): Promise<ApiKeyInfo[]> {
    const rows = userId
      ? await this.db.query<Row>(`${SELECT} WHERE k.user_id = ? ORDER BY k.created_at`, [userId])
      : await this.db.query<Row>(`${SELECT} ORDER BY u.name, k.created_at`);
    return rows.map(toInfo);
  }

  async find(id: string): Promise<ApiKeyInfo | null> {
    const [r] = await this.db.query<Row>(`${SELECT} WHERE k.id = ?`, [id]);
    return r ? toInfo(r) : null;
  }

  async touch(id: string, nowIso: string): Promise<void> {
    await this.db.run(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`, [nowIso, id]);
  }

  async revoke(id: string, nowIso: string): Promise<boolean> {
    return (
      (await this.db.run(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, [
        nowIso,
        id,
      ])) > 0
    );
  }
}
