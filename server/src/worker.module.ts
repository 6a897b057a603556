import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** A worker process: the core and the queue processors; HTTP only for /metrics and /health/* on METRICS_PORT. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config),
        JobsModule.forRoot({ workers: true }),
        WebhooksModule.forRoot({ workers: true, http: false }),
        HealthModule.forRoot({ api: false, runsWorkers: true }),
        MetricsModule.forRoot({ http: false }),
      ],
    };
  }
}
