import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { CurriculumModule } from '../curriculum/curriculum.module';
import { GenerationModule } from '../generation/generation.module';
import { bullConnection } from '../redis/redis-connection';
import { CourseGenerationJobService } from './course-generation-job.service';
import { JobStore } from './job-store';
import { CourseGenerationJobType } from './job-types/course-generation.job-type';
import { JobTypeRegistry } from './job-types/job-type-registry';
import { JobsController } from './jobs.controller';
import { QUEUES } from './jobs.constants';
import { CancelBus } from './processing/cancel-bus';
import { CourseJobOrchestrator } from './processing/course-job-orchestrator';
import { CourseTree } from './processing/course-tree';
import { JobQueue } from './processing/job-queue';
import { JobWorkers } from './processing/job-workers';
import { Reconciler } from './processing/reconciler';
import { StepRunner } from './processing/step-runner';

/**
 * The generation queue: the jobs table, the job service and endpoints, the reconciler, and — in processes that
 * run workers (`worker.ts`, or the API with START_WORKER) — the BullMQ workers.
 */
@Module({})
export class JobsModule {
  static forRoot(options: { workers: boolean }): DynamicModule {
    const workerProviders: Provider[] = options.workers ? [JobWorkers] : [];
    return {
      module: JobsModule,
      imports: [
        DiscoveryModule,
        CurriculumModule,
        GenerationModule,
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            connection: bullConnection(config, 'queue'),
            prefix: config.REDIS_PREFIX,
          }),
        }),
        BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
      ],
      controllers: [JobsController],
      providers: [
        JobStore,
        JobQueue,
        CancelBus,
        CourseTree,
        CourseJobOrchestrator,
        StepRunner,
        JobTypeRegistry,
        CourseGenerationJobType,
        CourseGenerationJobService,
        Reconciler,
        ...workerProviders,
      ],
      exports: [CourseGenerationJobService, JobQueue],
    };
  }
}
