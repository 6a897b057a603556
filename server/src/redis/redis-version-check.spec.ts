import type { Redis } from 'ioredis';
import {
  assertRedisVersion,
  isVersionBelow,
  parseRedisVersion,
  RedisVersionError,
} from './redis-version-check';

const info = (version?: string): string =>
  `# Server\r\n${version ? `redis_version:${version}\r\n` : ''}redis_mode:standalone\r\n`;
const client = (version?: string): Redis => ({ info: async () => info(version) }) as unknown as Redis;

describe('the Redis version check at start-up', () => {
  it('reads redis_version from INFO server', () => {
    expect(parseRedisVersion(info('7.0.15'))).toBe('7.0.15');
    expect(parseRedisVersion(info())).toBeUndefined();
  });

  it('compares dotted versions numerically', () => {
    expect(isVersionBelow('6.0.16', '6.2.0')).toBe(true);
    expect(isVersionBelow('6.2', '6.2.0')).toBe(false);
    expect(isVersionBelow('6.10.0', '6.2.0')).toBe(false);
    expect(isVersionBelow('7.0.15', '6.2.0')).toBe(false);
  });

  it('accepts 6.2 and newer, and a server that does not say', async () => {
    for (const v of ['6.2.0', '6.2.14', '7.0.15', '7.4.1', undefined])
      await expect(assertRedisVersion(client(v))).resolves.toBeUndefined();
  });

  it('refuses an older Redis with a message naming both versions', async () => {
    await expect(assertRedisVersion(client('6.0.16'))).rejects.toThrow(RedisVersionError);
    await expect(assertRedisVersion(client('5.0.7'))).rejects.toThrow(
      /Redis 5\.0\.7 is too old: Courseloom needs Redis 6\.2\.0 or newer/,
    );
  });
});
