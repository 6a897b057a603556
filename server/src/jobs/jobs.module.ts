import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { CurriculumModule } from '../curriculum/curriculum.module';
import { GenerationModule } from '../generation/generation.module';
import { MODEL_CALL_GATEWAY } from '../model-budget/model-call-gateway';
import { bullConnection } from '../redis/redis-connection';
import { CourseGenerationJobService } from './course-generation-job.service';
import { JobStore } from './job-store';
import { StepStore } from './step-store';
import { CourseGenerationJobType } from './job-types/course-generation.job-type';
import { JobTypeRegistry } from './job-types/job-type-registry';
import { JobsController } from './jobs.controller';
import { QUEUES } from './jobs.constants';
import { CancelBus } from './processing/cancel-bus';
import { CourseJobOrchestrator } from './processing/course-job-orchestrator';
import { CourseTree } from './processing/course-tree';
import { JobFailure } from './processing/job-failure';
import { JobQueue } from './processing/job-queue';
import { JobWorkers } from './processing/job-workers';
import { ModelCallProcessor } from './processing/model-call-processor';
import { QueuedModelCalls } from './processing/queued-model-calls';
import { Reconciler } from './processing/reconciler';
import { StepRunner } from './processing/step-runner';

/**
 * The generation queue: the jobs table, the job service and endpoints, the reconciler, and — in processes that
 * run workers (`worker.ts`, or the API with START_WORKER) — the BullMQ workers.
 *
 * It also provides MODEL_CALL_GATEWAY, the port through which the synchronous endpoints make their model calls
 * under the queue's budget (docs/queue.md); the curriculum looks it up by token without importing this module.
 * (Not a global module: that would move its start-up and shutdown hooks relative to the Redis and database ones.)
 */
@Module({})
export class JobsModule {
  static forRoot(options: { workers: boolean }): DynamicModule {
    const workerProviders: Provider[] = options.workers ? [JobWorkers, ModelCallProcessor] : [];
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
        StepStore,
        JobQueue,
        JobFailure,
        CancelBus,
        CourseTree,
        CourseJobOrchestrator,
        StepRunner,
        JobTypeRegistry,
        CourseGenerationJobType,
        CourseGenerationJobService,
        Reconciler,
        QueuedModelCalls,
        { provide: MODEL_CALL_GATEWAY, useExisting: QueuedModelCalls },
        ...workerProviders,
      ],
      exports: [CourseGenerationJobService, JobQueue, MODEL_CALL_GATEWAY],
    };
  }
}
