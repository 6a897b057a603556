import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { LoginRateLimiter } from '../../server/src/accounts/login-rate-limiter';
import { RateLimitedError } from '../../server/src/common/domain-error';
import { loadConfig } from '../../server/src/config/app-config';
import { redisConnectionOptions } from '../../server/src/redis/redis-connection';
import { redisKey } from '../../server/src/redis/redis-keys';
import { uniqueRedisPrefix } from '../support/test-app';
import { testRedisUrl } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/** Redis ≤ 6.2 has these; `EXPIRE … NX|XX|GT|LT` (7.0) is what broke every login on 6.2. */
const REDIS_6_2_COMMANDS = new Set(['evalsha', 'eval', 'script', 'incr', 'pttl', 'pexpire']);

describe('the login rate limiter against the real Redis', () => {
  const config = loadConfig({
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: uniqueRedisPrefix(),
    LOGIN_RATE_LIMIT: '3',
    LOGIN_RATE_WINDOW_SECONDS: '30',
  });
  let redis: Redis;
  let limiter: LoginRateLimiter;

  beforeAll(async () => {
    redis = new Redis({ ...redisConnectionOptions(config, 'client'), lazyConnect: true });
    await redis.connect();
    limiter = new LoginRateLimiter(redis, config);
  });
  afterAll(async () => {
    const keys = await redis.keys(redisKey(config, '*'));
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const rejected = async (ip: string, email: string): Promise<RateLimitedError | undefined> =>
    limiter.hit(ip, email).then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof RateLimitedError) return err;
        throw err;
      },
    );

  describe('when one address keeps trying', () => {
    it('allows LOGIN_RATE_LIMIT attempts, then 429 with the time left in the window', async () => {
      for (let i = 0; i < 3; i++) expect(await rejected('10.0.0.1', `a${i}@example.test`)).toBeUndefined();
      const error = await rejected('10.0.0.1', 'a9@example.test');
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error!.retryAfterSeconds).toBeGreaterThan(25);
      expect(error!.retryAfterSeconds).toBeLessThanOrEqual(30);
    });
  });

  describe('when one email is tried from many addresses', () => {
    it('counts the email (trimmed, any case) on its own key', async () => {
      for (let i = 0; i < 3; i++) expect(await rejected(`10.0.1.${i}`, ' Ada@Example.test ')).toBeUndefined();
      expect(await rejected('10.0.1.9', 'ada@example.test')).toBeInstanceOf(RateLimitedError);
    });
  });

  /** The limiter's key names: `{<prefix>}:login-rate:ip|email:<first 32 hex of sha256>`. */
  const keyOf = (kind: 'ip' | 'email', value: string): string =>
    redisKey(config, 'login-rate', kind, createHash('sha256').update(value).digest('hex').slice(0, 32));

  it('keeps the key names, and starts the window at the first attempt only', async () => {
    await limiter.hit('10.0.2.1', 'Window@example.test');
    const ipKey = keyOf('ip', '10.0.2.1');
    expect(await redis.get(ipKey)).toBe('1');
    expect(await redis.get(keyOf('email', 'window@example.test'))).toBe('1');
    expect(await redis.pttl(ipKey)).toBeGreaterThan(29_000);
    // A later attempt in the same window does not push its end back.
    await redis.pexpire(ipKey, 5_000);
    await limiter.hit('10.0.2.1', 'window2@example.test');
    expect(await redis.get(ipKey)).toBe('2');
    expect(await redis.pttl(ipKey)).toBeLessThanOrEqual(5_000);
  });

  it('gives a counter left without an expiry one, so it can never lock an address out for good', async () => {
    const ipKey = keyOf('ip', '10.0.3.1');
    await redis.set(ipKey, '7');
    expect(await redis.pttl(ipKey)).toBe(-1);
    expect((await rejected('10.0.3.1', 'persist@example.test'))?.retryAfterSeconds).toBe(30);
    expect(await redis.get(ipKey)).toBe('8');
    expect(await redis.pttl(ipKey)).toBeGreaterThan(29_000);
  });

  it('sends one command per attempt and only commands Redis 6.2 has (no EXPIRE … NX)', async () => {
    const monitor = await redis.monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => a.includes(config.REDIS_PREFIX)) || /^eval/i.test(args[0])) seen.push(args);
    });
    try {
      await limiter.hit('10.0.4.1', 'monitor@example.test');
      await waitFor(() => seen.some((a) => a[0].toLowerCase() === 'pexpire'), { what: 'the script to run' });
    } finally {
      monitor.disconnect();
    }
    const names = seen.map((a) => a[0].toLowerCase());
    expect(names.filter((n) => n === 'evalsha' || n === 'eval')).toHaveLength(1);
    for (const args of seen) {
      expect(REDIS_6_2_COMMANDS.has(args[0].toLowerCase())).toBe(true);
      if (args[0].toLowerCase() === 'pexpire') expect(args).toHaveLength(3);
    }
  });
});
