import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { CurriculumModule } from '../curriculum/curriculum.module';
import { GenerationModule } from '../generation/generation.module';
import { ACTIVE_COURSE_JOBS } from '../curriculum/versions/active-course-jobs';
import { MODEL_CALL_GATEWAY } from '../model-budget/model-call-gateway';
import { ModelBudgetModule } from '../model-budget/model-budget.module';
import { JobStoreActiveCourseJobs } from './active-course-jobs.provider';
import { RedisConnections } from '../redis/redis-connections';
import { redisKeyPrefix } from '../redis/redis-keys';
import { CourseGenerationJobService } from './course-generation-job.service';
import { BulkJobsService } from './bulk-jobs.service';
import { CancelBus } from './engine/cancel-bus';
import { JobFailure } from './engine/job-failure';
import { JobQueue } from './engine/job-queue';
import { JobRunner } from './engine/job-runner';
import { JobStore } from './engine/job-store';
import { JobTypeRegistry } from './engine/job-type-registry';
import { JobWorkers } from './engine/job-workers';
import { JobOrchestrator } from './engine/orchestrator';
import { Reconciler } from './engine/reconciler';
import { StepRunner } from './engine/step-runner';
import { StepStore } from './engine/step-store';
import { JobsController } from './jobs.controller';
import { QUEUES } from './jobs.constants';
import { ModelCallProcessor } from './processing/model-call-processor';
import { QueuedModelCalls } from './processing/queued-model-calls';
import { JobProducer } from './job-producer';
import { JobResumeService } from './job-resume.service';
import { GenerationEstimator } from './estimates/generation-estimator';
import { CourseGenerationJobType } from './types/course-generation/course-generation.job-type';
import { CourseRegenerationJobType } from './types/course-regeneration/course-regeneration.job-type';
import { RegenerationDrafts } from './types/course-regeneration/regeneration-drafts';
import { RegenerationJobService } from './types/course-regeneration/regeneration-job.service';

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
        ModelBudgetModule,
        BullModule.forRootAsync({
          inject: [AppConfig, RedisConnections],
          useFactory: (config: AppConfig, connections: RedisConnections) => ({
            connection: connections.bull('queue'),
            prefix: redisKeyPrefix(config),
          }),
        }),
        // The webhooks queue is the webhooks module's: registered twice it was two queues and two connections.
        BullModule.registerQueue({ name: QUEUES.jobs }, { name: QUEUES.steps }),
      ],
      controllers: [JobsController],
      providers: [
        // The engine (docs/extending.md) …
        JobStore,
        StepStore,
        JobQueue,
        JobFailure,
        CancelBus,
        JobOrchestrator,
        JobRunner,
        StepRunner,
        JobTypeRegistry,
        // … and its job types (any module may add one: a `@RegisterJobType()` provider).
        CourseGenerationJobType,
        CourseRegenerationJobType,
        RegenerationDrafts,
        JobProducer,
        BulkJobsService,
        CourseGenerationJobService,
        RegenerationJobService,
        JobResumeService,
        GenerationEstimator,
        Reconciler,
        QueuedModelCalls,
        { provide: MODEL_CALL_GATEWAY, useExisting: QueuedModelCalls },
        // The curriculum asks through it whether a course has an active job (restoring a version).
        { provide: ACTIVE_COURSE_JOBS, useClass: JobStoreActiveCourseJobs },
        ...workerProviders,
      ],
      exports: [CourseGenerationJobService, JobQueue, JobStore, MODEL_CALL_GATEWAY, ACTIVE_COURSE_JOBS],
    };
  }
}
