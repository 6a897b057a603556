import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { OwnerBootstrapModule } from './accounts/owner-bootstrap.module';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { CurriculumModule } from './curriculum/curriculum.module';
import { CurriculumGenerationModule } from './curriculum/generation/curriculum-generation.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { SettingsModule } from './settings/settings.module';
import { UsageModule } from './usage/usage.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The API process: HTTP modules on top of the core (config, PostgreSQL, Redis); queue workers too with START_WORKER. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        HealthModule.forRoot({ api: true, runsWorkers: config.START_WORKER }),
        MetricsModule.forRoot({ http: true }),
        AccountsModule,
        OwnerBootstrapModule,
        CurriculumModule,
        CurriculumGenerationModule,
        JobsModule.forRoot({ workers: config.START_WORKER }),
        SettingsModule,
        UsageModule,
        WebhooksModule.forRoot({ workers: config.START_WORKER, http: true }),
      ],
    };
  }
}
