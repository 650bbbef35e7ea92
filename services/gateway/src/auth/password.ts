import { generatePassword, hashPassword, verifyPassword } from '@printfleet/mqtt-accounts';

/**
 * Passwords are hashed with scrypt (memory-hard, in node:crypto: no native add-on on a Pi), with
 * the same parameters as the MQTT accounts (~32 MiB, ~50 ms on a Pi 4 per check).
 */
export type PasswordHash = Awaited<ReturnType<typeof hashPassword>>;
export { generatePassword, hashPassword, verifyPassword };

export const MIN_PASSWORD_LENGTH = 12;

let dummy: Promise<PasswordHash> | null = null;
/**
 * A hash to check against when the user name is unknown, so a login for a missing user costs
 * the same scrypt work as one for a real user: timing does not reveal which names exist.
 */
export function dummyHash(): Promise<PasswordHash> {
  dummy ??= hashPassword(generatePassword());
  return dummy;
}
