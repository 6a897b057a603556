import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { QUEUES } from '../jobs/jobs.constants';
import { logErrorsThrottled } from '../redis/throttled-error-log';
import {
  DeliveryToEnqueue,
  deliveryQueueJobId,
  WEBHOOK_DELIVERY_JOB,
  WebhookDeliveryPayload,
} from './webhooks.constants';

const WEEK_S = 7 * 24 * 3600;

/** The one producer of the webhooks queue: attempts, exponential backoff, retention, deterministic ids. */
@Injectable()
export class WebhookQueue {
  private readonly logger = new Logger(WebhookQueue.name);

  constructor(
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue<WebhookDeliveryPayload>,
    private readonly config: AppConfig,
  ) {
    logErrorsThrottled(queue, this.logger, `Queue ${QUEUES.webhooks}`);
  }

  async add(deliveries: DeliveryToEnqueue[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((d) => ({
        name: WEBHOOK_DELIVERY_JOB,
        data: { delivery_id: d.delivery_id },
        opts: {
          jobId: deliveryQueueJobId(d),
          attempts: this.config.WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.WEBHOOK_BACKOFF_MS },
          // Kept a week, so a re-run of the dispatcher finds the id and adds nothing (the row's status guards after).
          removeOnComplete: { age: WEEK_S, count: 10_000 },
          removeOnFail: { age: WEEK_S, count: 10_000 },
        },
      })),
    );
  }
}
