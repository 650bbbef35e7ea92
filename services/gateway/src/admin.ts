/**
 * Account administration without booting the gateway, for the CLI (`printfleet user add|passwd|rm`,
 * `printfleet apikey create`). Same database, same rules (UsersService, ApiKeysService) as the
 * HTTP API; SQLite's WAL and busy timeout let it run while the gateway is up.
 */
import { ID_RULE, isValidId } from '@printfleet/contracts';
import { ApiKeyRepository } from './auth/api-key.repository';
import { ApiKeysService } from './auth/api-keys.service';
import { generatePassword } from './auth/password';
import { SessionRepository } from './auth/session.repository';
import { systemClock } from './clock';
import { Database } from './database/database';
import { openGatewayDatabase } from './database/gateway-database';
import { GatewayError, invalidInput } from './errors/gateway-error';
import { UserRepository } from './users/user.repository';
import { UsersService } from './users/users.service';

export { GatewayError };
export { ROLES } from './users/roles';

async function withServices<T>(
  dataDir: string,
  work: (users: UsersService, keys: ApiKeysService) => Promise<T>,
): Promise<T> {
  const db = new Database(await openGatewayDatabase(dataDir));
  try {
    const users = new UsersService(new UserRepository(db), new SessionRepository(db), systemClock);
    return await work(users, new ApiKeysService(new ApiKeyRepository(db), users, systemClock));
  } finally {
    await db.onModuleDestroy();
  }
}

/** Adds a user; without a password, returns the generated one (to print once). */
export function addUser(
  dataDir: string,
  name: string,
  role: string,
  password?: string,
): Promise<{ name: string; role: string; generatedPassword?: string }> {
  return withServices(dataDir, async (users) => {
    const { user, generatedPassword } = await users.add(name, role, password);
    return { name: user.name, role: user.role, generatedPassword };
  });
}

/**
 * Creates an API key for a user, optionally scoped to one printer (as `POST /api/apikeys`
 * `printerId`); the key is returned once and stored only as a hash.
 */
export async function createApiKey(
  dataDir: string,
  userName: string,
  label?: string,
  printerId: string | null = null,
): Promise<{ key: string; id: string; user: string; printerId: string | null }> {
  if (printerId !== null && !isValidId(printerId)) throw invalidInput(`printer: ${ID_RULE}`);
  return withServices(dataDir, async (_users, keys) => {
    const { key, info } = await keys.create(userName, label, printerId);
    return { key, id: info.id, user: info.userName, printerId: info.printerId };
  });
}

/**
 * Sets a user's password (as `PATCH /api/users/:name` `password`), ending their sessions;
 * without a password, generates one and returns it (to print once).
 */
export function setPassword(
  dataDir: string,
  name: string,
  password?: string,
): Promise<{ name: string; generatedPassword?: string }> {
  return withServices(dataDir, async (users) => {
    const secret = password ?? generatePassword();
    await users.setPassword(name, secret);
    return password === undefined ? { name, generatedPassword: secret } : { name };
  });
}

/**
 * Removes a user with their sessions and API keys (as `DELETE /api/users/:name`); refuses the
 * last admin.
 */
export function removeUser(dataDir: string, name: string): Promise<void> {
  return withServices(dataDir, (users) => users.remove(name));
}
