import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { JobsModule } from './jobs/jobs.module';

/** A worker process: the core and the queue processors, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config), JobsModule.forRoot({ workers: true })],
    };
  }
}
