import { apiKeyMatches, apiKeyPrefix, bearerApiKey, generateApiKey, hashApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('generates clk_ keys whose visible prefix is their beginning and whose hash is SHA-256 of the whole key', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^clk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(apiKeyPrefix(key)).toBe(prefix);
    expect(hash).toEqual(hashApiKey(key));
    expect(hash).toHaveLength(32);
  });

  it('never generates the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });

  it('matches only the exact key', () => {
    const { key, hash } = generateApiKey();
    expect(apiKeyMatches(key, hash)).toBe(true);
    expect(apiKeyMatches(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`, hash)).toBe(false);
    expect(apiKeyMatches(key, Buffer.alloc(16))).toBe(false);
  });

  it('finds no prefix in malformed keys', () => {
    for (const bad of ['clk_', 'clk_123', 'clk_zzzzzzzzzzzz_' + 'a'.repeat(43), 'sk_abc', '']) {
      expect(apiKeyPrefix(bad)).toBeNull();
    }
  });

  it('reads an API key only from a Bearer Authorization header', () => {
    expect(bearerApiKey({ authorization: 'Bearer clk_abc' })).toBe('clk_abc');
    expect(bearerApiKey({ authorization: 'bearer   clk_abc ' })).toBe('clk_abc');
    expect(bearerApiKey({ authorization: 'Bearer eyJhbGciOi.x.y' })).toBeNull();
    expect(bearerApiKey({ authorization: 'Basic clk_abc' })).toBeNull();
    expect(bearerApiKey({})).toBeNull();
  });
});
