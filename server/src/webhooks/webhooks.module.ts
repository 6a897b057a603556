import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { QUEUES } from '../jobs/jobs.constants';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookQueue } from './webhook-queue';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookWorker } from './webhook-worker';
import { WebhooksController } from './webhooks.controller';

/**
 * Signed webhooks (docs/webhooks.md): the owners' endpoints, and — in processes that run workers — the outbox's
 * dispatcher and the deliveries' worker. Events come from database triggers, so no other module calls this one.
 * The BullMQ connection is JobsModule's root configuration (global), which every process imports.
 */
@Module({})
export class WebhooksModule {
  static forRoot(options: { workers: boolean; http: boolean }): DynamicModule {
    const workerProviders: Provider[] = options.workers ? [WebhookDispatcher, WebhookWorker] : [];
    return {
      module: WebhooksModule,
      imports: [BullModule.registerQueue({ name: QUEUES.webhooks })],
      controllers: options.http ? [WebhooksController] : [],
      providers: [
        WebhookSecrets,
        WebhookEndpointsService,
        WebhookDeliveriesService,
        WebhookQueue,
        ...workerProviders,
      ],
    };
  }
}
