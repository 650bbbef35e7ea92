import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, URL-safe: session tokens, CSRF tokens, API key secrets. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/**
 * Tokens are stored as sha256: they are 256-bit random, so a fast hash is as strong as a slow
 * one here, and looking one up costs nothing per request.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
