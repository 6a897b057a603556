import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

/**
 * The one Redis connection config. `worker`: what BullMQ workers need (they block on Redis and must never give up
 * a command). `queue`: producers, which wait briefly through a reconnect (the reconciler covers longer outages).
 * `client`: fails fast, for health checks, locks and rate limits.
 */
export function redisConnectionOptions(config: AppConfig, role: 'worker' | 'queue' | 'client'): RedisOptions {
  const url = new URL(config.REDIS_URL);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const base: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 5000,
    // Reconnect forever with a capped delay: Redis restarting must not kill a worker.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  if (role === 'worker') return { ...base, maxRetriesPerRequest: null, enableReadyCheck: false };
  if (role === 'queue') return { ...base, maxRetriesPerRequest: 2 };
  return { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
}

/** The same options typed for BullMQ, which declares its own (structurally compatible) RedisOptions. */
export function bullConnection(config: AppConfig, role: 'worker' | 'queue'): ConnectionOptions {
  return redisConnectionOptions(config, role) as ConnectionOptions;
}
