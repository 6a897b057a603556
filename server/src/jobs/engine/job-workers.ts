import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { withLogFields } from '../../logging/log-context';
import { RedisConnections } from '../../redis/redis-connections';
import { redisKeyPrefix } from '../../redis/redis-keys';
import {
  JobPayload,
  MODEL_CALL_JOB,
  ModelCallPayload,
  QUEUES,
  StepPayload,
  StepsQueuePayload,
} from '../jobs.constants';
import { CancelBus } from './cancel-bus';
import { JobFailure } from './job-failure';
import { jobLogFields, modelCallLogFields, stepLogFields } from './job-log-fields';
import { JobQueue, STEP_BACKOFF_TYPE } from './job-queue';
import { JobRunner } from './job-runner';
import { ModelCallProcessor } from '../processing/model-call-processor';
import { stepBackoffDelay } from './step-errors';
import { StepRunner } from './step-runner';
import { logErrorsThrottled } from '../../redis/throttled-error-log';

/**
 * The BullMQ workers of one process (the worker process, or the API with START_WORKER). Processors stay thin:
 * the `jobs` queue runs JobRunner for every job type; the steps queue runs StepRunner for steps and ModelCallProcessor for
 * the synchronous endpoints' model calls, so one budget (MODEL_CONCURRENCY, MODEL_CALLS_PER_MINUTE) covers both
 * (docs/queue.md, "One model budget"). On shutdown the workers stop taking
 * work and let running jobs finish (bounded by SHUTDOWN_GRACE_MS in the entrypoint).
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobWorkers.name);
  private workers: Worker[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly steps: StepRunner,
    private readonly cancels: CancelBus,
    private readonly queue: JobQueue,
    private readonly modelCalls: ModelCallProcessor,
    private readonly failures: JobFailure,
    private readonly connections: RedisConnections,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.cancels.listen();
    await this.queue.applyModelConcurrency();
    const common = {
      prefix: redisKeyPrefix(this.config),
      lockDuration: this.config.QUEUE_LOCK_MS,
      stalledInterval: this.config.QUEUE_STALLED_INTERVAL_MS,
      // A killed worker's entry comes back; one that keeps killing workers fails (then see onFailed).
      maxStalledCount: this.config.STEP_MAX_STALLED,
    };
    const jobs = new Worker<JobPayload>(
      QUEUES.jobs,
      // Every line a job causes carries its job id, type and course; a step's, its step too (docs/queue.md,
      // "Following a job in the logs").
      (job: Job<JobPayload>, token?: string) =>
        withLogFields(jobLogFields(job), () => this.runner.process(job, token)),
      { ...common, connection: this.connections.bull('worker'), concurrency: this.config.COURSE_CONCURRENCY },
    );
    const steps = new Worker<StepsQueuePayload>(
      QUEUES.steps,
      (job: Job<StepsQueuePayload>, token?: string) =>
        job.name === MODEL_CALL_JOB
          ? withLogFields(modelCallLogFields(job as Job<ModelCallPayload>), () =>
              this.modelCalls.run(job as Job<ModelCallPayload>),
            )
          : withLogFields(stepLogFields(job as Job<StepPayload>), () =>
              this.steps.run(job as Job<StepPayload>, token),
            ),
      {
        ...common,
        connection: this.connections.bull('worker'),
        concurrency: this.config.STEP_CONCURRENCY,
        limiter:
          this.config.MODEL_CALLS_PER_MINUTE > 0
            ? { max: this.config.MODEL_CALLS_PER_MINUTE, duration: 60_000 }
            : undefined,
        settings: {
          backoffStrategy: (attemptsMade: number, type?: string, err?: Error) =>
            type === STEP_BACKOFF_TYPE
              ? stepBackoffDelay(attemptsMade, this.config.STEP_BACKOFF_MS, err)
              : 1000,
        },
      },
    );
    for (const w of [jobs, steps]) logErrorsThrottled(w, this.logger, `Worker ${w.name}`);
    jobs.on('failed', (job) => {
      if (job)
        withLogFields(jobLogFields(job), () => this.onFailed(job, (j) => this.failures.courseJobFailed(j)));
    });
    steps.on('failed', (job) => {
      if (job && job.name !== MODEL_CALL_JOB)
        withLogFields(stepLogFields(job as Job<StepPayload>), () =>
          this.onFailed(job as Job<StepPayload>, (j) => this.failures.stepFailed(j)),
        );
    });
    this.workers = [jobs, steps];
    this.logger.log(
      `Workers started: ${QUEUES.jobs} ×${this.config.COURSE_CONCURRENCY}, ${QUEUES.steps} ×${this.config.STEP_CONCURRENCY}` +
        (this.config.MODEL_CALLS_PER_MINUTE
          ? `, ≤${this.config.MODEL_CALLS_PER_MINUTE} model calls/min`
          : '') +
        (this.config.MODEL_CONCURRENCY
          ? `, ≤${this.config.MODEL_CONCURRENCY} model calls at once (cluster)`
          : ''),
    );
  }

  /**
   * Every entry that ends `failed` — whether our code failed it or BullMQ did by itself (a stall, a lost lock:
   * failures our code never sees) — reaches PostgreSQL: the job fails unless it already ended (docs/queue.md, "What
   * fails a job"). The event fires in the process whose worker moved the entry, which is alive; if it dies before
   * this runs, the reconciler does it.
   */
  private onFailed<T>(job: Job<T> | undefined, fail: (job: Job<T>) => Promise<boolean>): void {
    if (!job) return;
    const run = async (): Promise<void> => {
      if ((await job.getState()) !== 'failed') return; // an attempt failed; BullMQ retries it
      await fail(job);
    };
    run().catch((err: Error) =>
      this.logger.warn(`Could not record the failure of ${job.id}: ${err.message}; the reconciler will`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    // close() stops fetching and waits for the running jobs to finish.
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
