import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { QUEUES } from '../jobs/jobs.constants';
import { withLogFields } from '../logging/log-context';
import { webhookDeliveries } from '../metrics/metrics';
import { RedisConnections } from '../redis/redis-connections';
import { redisKeyPrefix } from '../redis/redis-keys';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliveryPayload } from './webhooks.constants';
import { logErrorsThrottled } from '../redis/throttled-error-log';

/** An attempt that did not reach a 2xx; BullMQ retries it with the queue's exponential backoff. */
class DeliveryAttemptFailed extends Error {
  constructor(deliveryId: string) {
    super(`Webhook delivery ${deliveryId} failed; see its delivery log`);
    this.name = 'DeliveryAttemptFailed';
  }
}

/**
 * The webhooks queue's BullMQ worker (worker processes only): a thin processor over WebhookDeliveriesService.
 * A worker killed mid-attempt loses its lock; BullMQ hands the entry to another worker after QUEUE_LOCK_MS, which
 * sends the same message again (same `webhook-id`). docs/webhooks.md, "Exactly one delivery".
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookWorker.name);
  private worker?: Worker<WebhookDeliveryPayload>;

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly connections: RedisConnections,
  ) {}

  onApplicationBootstrap(): void {
    // Every line of a delivery carries its id (docs/queue.md, "Following a job in the logs").
    const run = (job: Job<WebhookDeliveryPayload>): Promise<string> =>
      withLogFields({ delivery_id: String(job.data?.delivery_id) }, () => this.process(job));
    this.worker = new Worker<WebhookDeliveryPayload>(QUEUES.webhooks, run, {
      connection: this.connections.bull('worker'),
      prefix: redisKeyPrefix(this.config),
      concurrency: this.config.WEBHOOK_CONCURRENCY,
      lockDuration: this.config.QUEUE_LOCK_MS,
      stalledInterval: this.config.QUEUE_STALLED_INTERVAL_MS,
      maxStalledCount: this.config.STEP_MAX_STALLED,
    });
    logErrorsThrottled(this.worker, this.logger, `Worker ${QUEUES.webhooks}`);
    // An entry BullMQ failed for good by itself (stalled too often) or on an unexpected error: the log says so.
    this.worker.on('failed', (job, err) => {
      if (!job || err.name === DeliveryAttemptFailed.name) return;
      const record = async (): Promise<void> => {
        if ((await job.getState()) === 'failed')
          await this.deliveries.abandon(job.data.delivery_id, `Gave up: ${err.message}`);
      };
      record().catch((e: Error) => this.logger.warn(`Could not record a failed delivery: ${e.message}`));
    });
    this.logger.log(`Webhook deliveries started: ${QUEUES.webhooks} ×${this.config.WEBHOOK_CONCURRENCY}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job<WebhookDeliveryPayload>): Promise<string> {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.deliveries.attempt(job.data.delivery_id, last);
    webhookDeliveries.inc({ outcome });
    if (outcome === 'retry' || outcome === 'failed') throw new DeliveryAttemptFailed(job.data.delivery_id);
    return outcome;
  }
}
