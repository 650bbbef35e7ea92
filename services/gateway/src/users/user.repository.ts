import { Injectable } from '@nestjs/common';
import type { PasswordHash } from '../auth/password';
import { Database } from '../database/database';
import type { Role } from './roles';
import type { User, UserWithHash } from './user.types';

interface UserRow {
  id: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
}

const toUser = (r: UserRow): UserWithHash => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  passwordHash: JSON.parse(r.password_hash) as PasswordHash,
});
const withoutHash = ({ passwordHash: _hash, ...user }: UserWithHash): User => user;

@Injectable()
export class UserRepository {
  constructor(private readonly db: Database) {}

  async insert(user: UserWithHash): Promise<void> {
    await this.db.run(
      `INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
      [user.id, user.name, user.role, JSON.stringify(user.passwordHash), user.createdAt],
    );
  }

  /** Names are matched without regard to case: "Ada" and "ada" are one person. */
  async findByName(name: string): Promise<UserWithHash | null> {
    const [row] = await this.db.query<UserRow>(`SELECT * FROM users WHERE name = ?`, [name]);
    return row ? toUser(row) : null;
  }

  async findById(id: string): Promise<User | null> {
    const [row] = await this.db.query<UserRow>(`SELECT * FROM users WHERE id = ?`, [id]);
    return row ? withoutHash(toUser(row)) : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.query<UserRow>(`SELECT * FROM users ORDER BY name`);
    return rows.map((r) => withoutHash(toUser(r)));
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM users`);
    return row?.n ?? 0;
  }

  async setPassword(id: string, hash: PasswordHash): Promise<boolean> {
    return (
      (await this.db.run(`UPDATE users SET password_hash = ? WHERE id = ?`, [JSON.stringify(hash), id])) > 0
    );
  }

  async setRole(id: string, role: Role): Promise<boolean> {
    return (await this.db.run(`UPDATE users SET role = ? WHERE id = ?`, [role, id])) > 0;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.run(`DELETE FROM users WHERE id = ?`, [id])) > 0;
  }
}
