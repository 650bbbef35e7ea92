import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { MqttAccount } from './roles';

/**
 * scrypt is memory-hard and ships with Node, so no native add-on is needed on a Pi.
 * N=2^15, r=8 costs ~32 MiB and ~50 ms on a Pi 4: fine for connects, costly for guessing.
 */
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: MAX_MEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<MqttAccount['hash']> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p);
  return { algo: 'scrypt', ...PARAMS, salt: salt.toString('base64'), key: key.toString('base64') };
}

export async function verifyPassword(password: string, hash: MqttAccount['hash']): Promise<boolean> {
  const expected = Buffer.from(hash.key, 'base64');
  const actual = await derive(password, Buffer.from(hash.salt, 'base64'), hash.N, hash.r, hash.p);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** 24 random bytes, URL-safe: what generated passwords look like. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}
