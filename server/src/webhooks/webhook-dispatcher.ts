import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { RedisClient } from '../redis/redis-connection';
import { redisKey } from '../redis/redis-keys';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookQueue } from './webhook-queue';
import { RepeatedWarnings } from '../redis/throttled-error-log';

/** Events taken per round trip; a round continues until the outbox is empty. */
const BATCH = 200;
/** The sweep for deliveries whose queue entry was lost runs every this many dispatch intervals. */
const SWEEP_EVERY = 60;
/** Deliveries re-added per sweep at most. */
const SWEEP_BATCH = 500;

/**
 * The outbox's dispatcher (worker processes only): every WEBHOOK_DISPATCH_INTERVAL_MS, one process at a time (a
 * Redis lock, like the reconciler), it turns each undispatched webhook_events row into one delivery row and one
 * queue entry per subscribed endpoint, then marks the event dispatched. A process dying anywhere in between leaves
 * the event undispatched; the next round redoes it and adds nothing twice — the delivery rows are unique per
 * (event, endpoint) and their queue ids derive from that pair. docs/webhooks.md, "Exactly one delivery".
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  /** It runs every second: while Redis or PostgreSQL is down, one warning per 10 s. */
  private readonly warnings = new RepeatedWarnings(this.logger);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private busy = false;
  private lastSweep = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly queue: WebhookQueue,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  onApplicationBootstrap(): void {
    const tick = (): void => {
      if (this.busy) return;
      this.busy = true;
      this.running = this.dispatch()
        .then(() => undefined)
        .catch((err: Error) => this.warnings.warn(`Webhook dispatch failed: ${err.message}`))
        .finally(() => (this.busy = false));
    };
    tick();
    this.timer = setInterval(tick, this.config.WEBHOOK_DISPATCH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Deliveries left without a queue entry (Redis flushed or failed over) get it back, under their deterministic id:
   * re-adding one whose entry exists changes nothing. docs/webhooks.md, "Exactly one delivery".
   */
  private async sweep(): Promise<void> {
    const every = SWEEP_EVERY * this.config.WEBHOOK_DISPATCH_INTERVAL_MS;
    if (Date.now() - this.lastSweep < every) return;
    this.lastSweep = Date.now();
    await this.queue.add(await this.deliveries.stale(every, SWEEP_BATCH));
  }

  /** Returns how many events were dispatched. */
  async dispatch(): Promise<number> {
    const lockKey = redisKey(this.config, 'webhook-dispatcher-lock');
    const ttl = Math.max(this.config.WEBHOOK_DISPATCH_INTERVAL_MS, 5000);
    if ((await this.redis.set(lockKey, String(process.pid), 'PX', ttl, 'NX')) !== 'OK') return 0;
    let dispatched = 0;
    try {
      for (;;) {
        const events: { id: string }[] = await this.db.query(
          `SELECT id FROM webhook_events WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT $1`,
          [BATCH],
        );
        if (events.length === 0) break;
        const ids = events.map((e) => e.id);
        await this.queue.add(await this.deliveries.createForEvents(ids));
        await this.db.query(`UPDATE webhook_events SET dispatched_at = now() WHERE id = ANY($1)`, [ids]);
        dispatched += ids.length;
        await this.redis.pexpire(lockKey, ttl); // still ours: a long backlog keeps the lock while it drains
      }
      await this.sweep();
    } finally {
      if ((await this.redis.get(lockKey)) === String(process.pid)) await this.redis.del(lockKey);
    }
    return dispatched;
  }
}
