import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { redisConnectionOptions } from './redis-connection';
import { REDIS_CLIENT } from './redis.constants';
import { assertNoEviction } from './redis-eviction-check';
import { assertRedisVersion } from './redis-version-check';

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new Redis({ ...redisConnectionOptions(config, 'client'), lazyConnect: true }),
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisModule.name);
  private lastErrorLog = 0;

  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onModuleInit(): Promise<void> {
    this.client.on('error', (err: Error) => {
      // ioredis emits on every failed reconnect; one line every 10 s is enough.
      if (Date.now() - this.lastErrorLog > 10_000) {
        this.lastErrorLog = Date.now();
        this.logger.warn(`Redis connection error: ${err.message}`);
      }
    });
    await this.client.connect();
    await assertRedisVersion(this.client);
    await assertNoEviction(this.client);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
