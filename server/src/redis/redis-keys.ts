import type { AppConfig } from '../config/app-config';

/**
 * The prefix of every Redis key, pub/sub channel and BullMQ queue of the installation: REDIS_PREFIX in braces,
 * `{courseloom}`. Redis Cluster hashes only the part in braces, so every key lands in one hash slot — which BullMQ
 * needs (its scripts touch many keys of a queue, and a course job's keys and its steps' at once) and so do our
 * multi-key scripts (the login limiter). Always tagged, on one server too, so one code path runs everywhere
 * (docs/queue.md, "Redis").
 */
export function redisKeyPrefix(config: Pick<AppConfig, 'REDIS_PREFIX'>): string {
  return `{${config.REDIS_PREFIX}}`;
}

/** One key or channel under the prefix: `redisKey(config, 'reconciler-lock')` → `{courseloom}:reconciler-lock`. */
export function redisKey(config: Pick<AppConfig, 'REDIS_PREFIX'>, ...parts: string[]): string {
  return [redisKeyPrefix(config), ...parts].join(':');
}
