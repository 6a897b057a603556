import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { createRedisConnection, RedisClient, redisServers } from './redis-connection';
import { RedisConnections } from './redis-connections';
import { logErrorsThrottled } from './throttled-error-log';
import { REDIS_CLIENT } from './redis.constants';
import { assertNoEviction } from './redis-eviction-check';
import { connectRedis } from './redis-startup';
import { assertRedisVersion } from './redis-version-check';

/**
 * The shared fail-fast client (REDIS_CLIENT) and the factory of BullMQ's connections (RedisConnections), on one
 * Redis server or a Redis Cluster (docs/queue.md, "Redis"). Global, so its shutdown hooks run after every other
 * module's: workers finish with their connections still open.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RedisClient =>
        createRedisConnection(config, 'client', { lazyConnect: true }),
    },
    RedisConnections,
  ],
  exports: [REDIS_CLIENT, RedisConnections],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisModule.name);

  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient) {}

  async onModuleInit(): Promise<void> {
    await connectRedis(this.client);
    logErrorsThrottled(this.client, this.logger, 'Redis connection error');
    // Every server that holds keys: one, or each master of a cluster.
    for (const server of redisServers(this.client)) {
      await assertRedisVersion(server);
      await assertNoEviction(server);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
