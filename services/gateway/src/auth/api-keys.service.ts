import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock';
import { forbidden, invalidInput, notFound } from '../errors/gateway-error';
import { UsersService } from '../users/users.service';
import { ApiKeyRepository, type ApiKeyInfo } from './api-key.repository';
import type { Principal } from './principal';
import { hashToken, randomToken } from './tokens';

/** The prefix makes a leaked key easy to recognise (secret scanners, logs). */
export const API_KEY_PREFIX = 'pfk_';

/** API keys for machines: per user, acting with that user's role, revocable, hashed at rest. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly users: UsersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The key itself is returned here only: it cannot be read back later. */
  async create(
    userName: string,
    label = 'api key',
    printerId: string | null = null,
  ): Promise<{ key: string; info: ApiKeyInfo }> {
    if (label.length < 1 || label.length > 100) throw invalidInput('label: 1 to 100 characters');
    const user = await this.users.byName(userName);
    const key = `${API_KEY_PREFIX}${randomToken()}`;
    const id = randomBytes(6).toString('hex');
    const createdAt = this.nowIso();
    await this.keys.insert({ id, userId: user.id, label, keyHash: hashToken(key), createdAt, printerId });
    return {
      key,
      info: { id, userId: user.id, userName: user.name, label, printerId, createdAt, lastUsedAt: null, revokedAt: null },
    };
  }

  /** Admins see every key; others only their own. */
  list(caller: Principal): Promise<ApiKeyInfo[]> {
    return this.keys.list(caller.role === 'admin' ? undefined : caller.userId);
  }

  async revoke(caller: Principal, id: string): Promise<void> {
    const key = await this.keys.find(id);
    if (!key) throw notFound('API key', id);
    if (caller.role !== 'admin' && key.userId !== caller.userId)
      throw forbidden('only admins may revoke the API keys of others');
    await this.keys.revoke(id, this.nowIso());
  }

  async authenticate(key: string): Promise<Principal | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const found = await this.keys.findActive(hashToken(key));
    if (!found) return null;
    await this.keys.touch(found.id, this.nowIso());
    return {
      userId: found.userId,
      name: found.userName,
      role: found.role,
      via: 'api-key',
      ...(found.printerId ? { printerScope: found.printerId } : {}),
    };
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
