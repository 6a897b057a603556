import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { RateLimitedError } from '../common/domain-error';
import type { RedisClient } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';
import { REDIS_CLIENT } from '../redis/redis.constants';

/**
 * For every key: INCR, then PEXPIRE only when the key has no TTL yet (the window starts at the first attempt and is
 * never extended), and return the count and the remaining PTTL. One atomic round trip, and no `EXPIRE … NX`, which
 * needs Redis 7 (the product supports Redis 6.2+).
 */
export const LOGIN_HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out
`;

const COMMAND = 'courseloomLoginHit';
type WithLoginHit = RedisClient & {
  [COMMAND](numKeys: number, ...args: (string | number)[]): Promise<number[]>;
};

/**
 * Fixed-window counters in Redis, one per client IP and one per email: LOGIN_RATE_LIMIT attempts per
 * LOGIN_RATE_WINDOW_SECONDS, shared by every API process. Emails are hashed in the key.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {
    // EVALSHA, falling back to EVAL once when the script is not cached yet (ioredis does this).
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: LOGIN_HIT_SCRIPT });
  }

  /** Counts one attempt; throws RateLimitedError (429) once either counter is over the limit. */
  async hit(ip: string, email: string): Promise<void> {
    await this.count(
      [this.key('ip', ip), this.key('email', email.trim().toLowerCase())],
      'Too many login attempts',
    );
  }

  /**
   * Counts one refused API key from this client address, with the login limit and window (its own counter, so
   * a machine's broken key and a person's typos do not add up); throws RateLimitedError (429) once over.
   */
  async hitApiKeyFailure(ip: string): Promise<void> {
    await this.count([this.key('api-key-ip', ip)], 'Too many refused API keys');
  }

  private async count(keys: string[], what: string): Promise<void> {
    const windowMs = this.config.LOGIN_RATE_WINDOW_SECONDS * 1000;
    const reply = await (this.redis as WithLoginHit)[COMMAND](keys.length, ...keys, windowMs);
    let retryAfterMs = 0;
    for (let i = 0; i < keys.length; i++) {
      const count = Number(reply[i * 2]);
      const pttl = Number(reply[i * 2 + 1]);
      if (count > this.config.LOGIN_RATE_LIMIT)
        retryAfterMs = Math.max(retryAfterMs, pttl > 0 ? pttl : windowMs);
    }
    if (retryAfterMs > 0) {
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      throw new RateLimitedError(`${what}; try again in ${seconds} s`, seconds);
    }
  }

  private key(kind: 'ip' | 'email' | 'api-key-ip', value: string): string {
    const digest = createHash('sha256').update(value).digest('hex').slice(0, 32);
    return redisKey(this.config, 'login-rate', kind, digest);
  }
}
