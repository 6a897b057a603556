import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { RateLimitedError } from '../common/domain-error';
import { REDIS_CLIENT } from '../redis/redis.constants';

/**
 * Fixed-window counters in Redis, one per client IP and one per email: LOGIN_RATE_LIMIT attempts per
 * LOGIN_RATE_WINDOW_SECONDS, shared by every API process. Emails are hashed in the key.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Counts one attempt; throws RateLimitedError (429) once either counter is over the limit. */
  async hit(ip: string, email: string): Promise<void> {
    const window = this.config.LOGIN_RATE_WINDOW_SECONDS;
    const keys = [this.key('ip', ip), this.key('email', email.trim().toLowerCase())];
    const multi = this.redis.multi();
    for (const key of keys) multi.incr(key).expire(key, window, 'NX').pttl(key);
    const replies = (await multi.exec()) ?? [];
    let retryAfterMs = 0;
    for (let i = 0; i < keys.length; i++) {
      const count = Number(replies[i * 3]?.[1]);
      const pttl = Number(replies[i * 3 + 2]?.[1]);
      if (count > this.config.LOGIN_RATE_LIMIT)
        retryAfterMs = Math.max(retryAfterMs, pttl > 0 ? pttl : window * 1000);
    }
    if (retryAfterMs > 0) {
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      throw new RateLimitedError(`Too many login attempts; try again in ${seconds} s`, seconds);
    }
  }

  private key(kind: 'ip' | 'email', value: string): string {
    const digest = createHash('sha256').update(value).digest('hex').slice(0, 32);
    return `${this.config.REDIS_PREFIX}:login-rate:${kind}:${digest}`;
  }
}
