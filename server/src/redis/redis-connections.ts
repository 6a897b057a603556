import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { bullConnection, createRedisConnection, RedisClient, RedisRole } from './redis-connection';

/**
 * Makes the process's Redis connections besides the shared client: BullMQ's (every Queue, Worker and QueueEvents)
 * and pub/sub subscribers. On a cluster BullMQ is handed ioredis Cluster instances it never closes, so they are
 * kept here and closed at shutdown — after every other module's hooks (RedisModule is global), so workers finish
 * their running jobs first.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly owned = new Set<RedisClient>();

  constructor(private readonly config: AppConfig) {}

  /** BullMQ's `connection` option, with the key prefix from redisKeyPrefix(). */
  bull(role: 'worker' | 'queue'): ConnectionOptions {
    const connection = bullConnection(this.config, role);
    if (isClient(connection)) this.owned.add(connection);
    return connection;
  }

  /** A new connection (not connected yet) that its caller closes, e.g. a pub/sub subscriber. */
  create(role: RedisRole): RedisClient {
    return createRedisConnection(this.config, role, { lazyConnect: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.owned].map((c) =>
        c.status === 'wait' ? c.disconnect() : c.quit().catch(() => c.disconnect()),
      ),
    );
    this.owned.clear();
  }
}

function isClient(connection: ConnectionOptions): connection is RedisClient & ConnectionOptions {
  return typeof (connection as { duplicate?: unknown }).duplicate === 'function';
}
