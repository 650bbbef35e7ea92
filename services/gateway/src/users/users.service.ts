import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ID_PATTERN } from '@printfleet/contracts';
import { CLOCK, type Clock } from '../clock';
import { GatewayError, invalidInput, notFound } from '../errors/gateway-error';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../auth/password';
import { SessionRepository } from '../auth/session.repository';
import { isRole, ROLES, type Role } from './roles';
import { UserRepository } from './user.repository';
import type { User } from './user.types';

export const USER_NAME_RULE =
  'a user name is 1-64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit';

/** People and their roles; used by the HTTP API, the first-admin bootstrap and the CLI. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates a user; without a password one is generated and returned (shown once). */
  async add(
    name: string,
    role: unknown,
    password?: string,
  ): Promise<{ user: User; generatedPassword?: string }> {
    if (!ID_PATTERN.test(name)) throw invalidInput(USER_NAME_RULE);
    if (!isRole(role)) throw invalidInput(`role must be one of: ${ROLES.join(', ')}`);
    if (password !== undefined) checkPassword(password);
    if (await this.users.findByName(name))
      throw new GatewayError('CONFLICT', `a user named ${name} already exists`);
    const secret = password ?? generatePassword();
    const user: User = { id: randomUUID(), name, role, createdAt: new Date(this.clock.now()).toISOString() };
    await this.users.insert({ ...user, passwordHash: await hashPassword(secret) });
    return password === undefined ? { user, generatedPassword: secret } : { user };
  }

  list(): Promise<User[]> {
    return this.users.list();
  }

  async byName(name: string): Promise<User> {
    const user = await this.users.findByName(name);
    if (!user) throw notFound('user', name);
    const { passwordHash: _hash, ...rest } = user;
    return rest;
  }

  /** A new password ends every session of that user: a stolen cookie dies with the old password. */
  async setPassword(name: string, password: string): Promise<void> {
    checkPassword(password);
    const user = await this.byName(name);
    await this.users.setPassword(user.id, await hashPassword(password));
    await this.sessions.removeForUser(user.id);
  }

  async setRole(name: string, role: unknown): Promise<User> {
    if (!isRole(role)) throw invalidInput(`role must be one of: ${ROLES.join(', ')}`);
    const user = await this.byName(name);
    if (user.role === 'admin' && role !== 'admin') await this.keepOneAdmin();
    await this.users.setRole(user.id, role);
    return { ...user, role };
  }

  async remove(name: string): Promise<void> {
    const user = await this.byName(name);
    if (user.role === 'admin') await this.keepOneAdmin();
    await this.users.remove(user.id);
  }

  /**
   * The first start creates `admin` with PRINTFLEET_ADMIN_PASSWORD, or a generated password
   * returned to be printed once. Does nothing once an admin exists.
   */
  async ensureFirstAdmin(
    password: string | undefined,
  ): Promise<{ name: string; generatedPassword?: string } | null> {
    // "No admin" rather than "no user": `printfleet user add` may have run before the first start.
    if ((await this.users.list()).some((u) => u.role === 'admin')) return null;
    const { user, generatedPassword } = await this.add('admin', 'admin', password);
    return { name: user.name, generatedPassword };
  }

  private async keepOneAdmin(): Promise<void> {
    const admins = (await this.users.list()).filter((u) => u.role === 'admin');
    if (admins.length <= 1)
      throw new GatewayError('CONFLICT', 'this is the last admin: make another user admin first');
  }
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw invalidInput(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw invalidInput('a password has at most 1024 characters');
}

export type { Role };
