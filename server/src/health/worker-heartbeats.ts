import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { RedisClient } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';
import { REDIS_CLIENT } from '../redis/redis.constants';

/** How often a process running workers says it is alive, and how long the API counts it as seen. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
export const WORKER_SEEN_WITHIN_MS = 60_000;

/**
 * Worker liveness for the API's readiness (docs/queue.md, "Metrics and health"): every process that runs queue
 * workers adds itself to one sorted set, scored by the time it last beat; the API counts the members seen within
 * WORKER_SEEN_WITHIN_MS. Entries of processes gone for an hour are pruned when read.
 */
@Injectable()
export class WorkerHeartbeats {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  get key(): string {
    return redisKey(this.config, 'workers', 'heartbeat');
  }

  async beat(member: string): Promise<void> {
    await this.redis.zadd(this.key, Date.now(), member);
  }

  async forget(member: string): Promise<void> {
    await this.redis.zrem(this.key, member);
  }

  /** Worker processes seen within WORKER_SEEN_WITHIN_MS. */
  async seen(now = Date.now()): Promise<number> {
    const [, count] = await Promise.all([
      this.redis.zremrangebyscore(this.key, '-inf', now - 3600_000),
      this.redis.zcount(this.key, now - WORKER_SEEN_WITHIN_MS, '+inf'),
    ]);
    return count;
  }
}

/** The beat of this process (one that runs queue workers): at start-up, every HEARTBEAT_INTERVAL_MS, and gone on shutdown. */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  private readonly member = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;

  constructor(private readonly heartbeats: WorkerHeartbeats) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.heartbeats.forget(this.member).catch(() => undefined); // Redis may be gone already
  }

  private async beat(): Promise<void> {
    try {
      await this.heartbeats.beat(this.member);
    } catch (err) {
      // Redis is down: the queue is stopped anyway, and the next beat says it again once it is back.
      this.logger.debug(`Heartbeat not written: ${(err as Error).message}`);
    }
  }
}
