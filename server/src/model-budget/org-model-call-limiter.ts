import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { RateLimitedError } from '../common/domain-error';
import type { RedisClient } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { OrgBudgets } from './org-budgets';

const WINDOW_MS = 60_000;

/**
 * Takes ARGV[1] calls of the organization's window unless that passes the limit ARGV[2]. A window opens with the
 * first call (id ARGV[4], lasting ARGV[3] ms). Returns {1, pttl, window id} when taken, {0, pttl, ''} when not.
 */
const TAKE = `
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local n = tonumber(ARGV[1])
if used + n > tonumber(ARGV[2]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) end
  return {0, ttl, ''}
end
if used == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'window', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
redis.call('HINCRBY', KEYS[1], 'used', n)
return {1, redis.call('PTTL', KEYS[1]), redis.call('HGET', KEYS[1], 'window')}
`;

/** Gives back ARGV[1] calls, only to the window ARGV[2] they were taken from (a later window is left alone). */
const GIVE_BACK = `
if redis.call('HGET', KEYS[1], 'window') ~= ARGV[2] then return 0 end
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
local n = math.min(tonumber(ARGV[1]), used)
redis.call('HINCRBY', KEYS[1], 'used', -n)
return n
`;

/** Calls taken from an organization's window; `giveBack` returns the ones that were not made. */
export interface ModelCallReservation {
  giveBack(unused: number): Promise<void>;
}

const NOTHING_TAKEN: ModelCallReservation = { giveBack: async () => undefined };

/**
 * ORG_SYNC_MODEL_CALLS_PER_MINUTE: model calls one organization may make through the synchronous endpoints per
 * minute — a fixed window per organization in Redis (it opens with the window's first call and lasts a minute),
 * shared by every API process. A request
 * takes all its calls at once (atomically, in one Lua script), so it is refused whole (429 with Retry-After =
 * the rest of the minute) rather than stopped half-way; calls it did not make are given back. docs/generation.md.
 */
@Injectable()
export class OrgModelCallLimiter {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly budgets: OrgBudgets,
  ) {}

  /** The limit (0 = none). */
  get perMinute(): number {
    return this.config.ORG_SYNC_MODEL_CALLS_PER_MINUTE;
  }

  /**
   * Takes `calls` model calls of the organization's current minute; RateLimitedError (429) when they do not fit,
   * PaymentRequiredError (402) when its monthly budget is used up.
   */
  async take(organizationId: string, calls: number): Promise<ModelCallReservation> {
    // Every synchronous model call passes here first: a used-up monthly budget answers 402 (docs/costs.md).
    await this.budgets.assertRoom(organizationId);
    const limit = this.perMinute;
    if (limit <= 0 || calls <= 0) return NOTHING_TAKEN;
    const key = redisKey(this.config, 'model-calls', 'org', organizationId);
    const [taken, ttlMs, window] = (await this.redis.eval(
      TAKE,
      1,
      key,
      calls,
      limit,
      WINDOW_MS,
      randomUUID(),
    )) as [number, number, string];
    if (taken !== 1) {
      const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
      throw new RateLimitedError(
        `Your organization may make ${limit} model calls per minute through these endpoints and this request ` +
          `needs ${calls}; try again in ${seconds} s, or queue the course`,
        seconds,
      );
    }
    return {
      giveBack: async (unused: number) => {
        if (unused > 0) await this.redis.eval(GIVE_BACK, 1, key, unused, window);
      },
    };
  }
}
