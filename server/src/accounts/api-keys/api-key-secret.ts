import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The shape of an API key (docs/accounts-and-curriculum.md#api-keys): `clk_<prefix>_<secret>`, where the prefix
 * (12 hex characters) is shown in the console and finds the key's row, and the secret is 32 random bytes.
 * Only the SHA-256 of the whole key is stored: a key is a long random secret, so a fast hash is as good as a
 * slow one there (a slow one is for passwords people choose), and it keeps every request cheap.
 */
export const API_KEY_MARKER = 'clk_';
const KEY_PATTERN = /^clk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  key: string;
  prefix: string;
  hash: Buffer;
}

export function generateApiKey(): NewApiKey {
  const prefix = `${API_KEY_MARKER}${randomBytes(6).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** The visible prefix (`clk_` and 12 hex characters) of a well-formed key; null for anything else. */
export function apiKeyPrefix(key: string): string | null {
  const match = KEY_PATTERN.exec(key);
  return match ? `${API_KEY_MARKER}${match[1]}` : null;
}

/** Whether a presented key hashes to the stored hash, in time independent of where they differ. */
export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const hash = hashApiKey(key);
  return storedHash.length === hash.length && timingSafeEqual(hash, storedHash);
}

/** The bearer credential of a request when it is an API key (`Authorization: Bearer clk_…`); never a cookie. */
export function bearerApiKey(headers: { authorization?: string }): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match && match[1].startsWith(API_KEY_MARKER) ? match[1] : null;
}
