import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Job, JobState, Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { logErrorsThrottled } from '../../redis/throttled-error-log';
import { currentLogFields } from '../../logging/log-context';
import type { ModelCall } from '../../model-budget/model-call-gateway';
import {
  courseQueueJobId,
  JobPayload,
  MODEL_CALL_JOB,
  ModelCallPayload,
  QUEUES,
  StepKind,
  StepPayload,
  stepQueueJobId,
} from '../jobs.constants';

export const STEP_BACKOFF_TYPE = 'step';
/** Tries of a course job's own work (reading PostgreSQL, adding steps) before the job fails where it stands. */
export const COURSE_JOB_ATTEMPTS = 5;

/** The one producer: every job the product enqueues is added here, with its attempts, backoff and retention. */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger(JobQueue.name);

  constructor(
    @InjectQueue(QUEUES.jobs) readonly jobs: Queue<JobPayload>,
    @InjectQueue(QUEUES.steps) readonly steps: Queue<StepPayload>,
    /** The same steps queue, for the synchronous endpoints' model calls (docs/queue.md, "One model budget"). */
    @InjectQueue(QUEUES.steps) private readonly modelCalls: Queue<ModelCallPayload>,
    private readonly config: AppConfig,
  ) {
    // The steps queue is one object under both names; a listener each on the two queues.
    logErrorsThrottled(jobs, this.logger, `Queue ${QUEUES.jobs}`);
    logErrorsThrottled(steps, this.logger, `Queue ${QUEUES.steps}`);
  }

  /**
   * Enqueues a job of type `jobType` (the entry's name); a no-op when its queue entry already exists (the id is
   * derived from the row).
   */
  async addJob(jobType: string, payload: JobPayload): Promise<void> {
    await this.jobs.add(jobType, payload, {
      jobId: courseQueueJobId(payload.job_id, payload.retry),
      // The orchestrator only reads PostgreSQL and adds steps; its retries cover a brief outage.
      attempts: COURSE_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    });
  }

  /** Adds the steps of one phase as children of the job's entry, which then waits for them. */
  async addSteps(parent: Job<JobPayload>, kind: StepKind, itemIds: string[]): Promise<void> {
    await this.steps.addBulk(
      itemIds.map((item_id) => {
        const data: StepPayload = { job_id: parent.data.job_id, retry: parent.data.retry, kind, item_id };
        return {
          name: kind,
          data,
          opts: {
            jobId: stepQueueJobId(data),
            parent: { id: parent.id!, queue: parent.queueQualifiedName },
            failParentOnFailure: true,
            attempts: this.config.STEP_ATTEMPTS,
            backoff: { type: STEP_BACKOFF_TYPE },
            removeOnComplete: { age: 3600, count: 2000 },
            removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
          },
        };
      }),
    );
  }

  /**
   * MODEL_CONCURRENCY: the cluster-wide cap on model calls running at once — steps and the synchronous endpoints'
   * calls alike, all jobs of the steps queue — BullMQ's global concurrency of that queue (stored in Redis, so it
   * binds every worker process however many there are). Every process
   * that runs workers applies it at start-up; 0 removes the cap. Set it the same on every worker process: the one
   * started last wins.
   */
  async applyModelConcurrency(): Promise<void> {
    const cap = this.config.MODEL_CONCURRENCY;
    if (cap > 0) await this.steps.setGlobalConcurrency(cap);
    else await this.steps.removeGlobalConcurrency();
  }

  /**
   * A synchronous endpoint's model call, as a job of the steps queue: it then takes a slot of the same budget
   * (MODEL_CONCURRENCY, MODEL_CALLS_PER_MINUTE) as the steps. LIFO puts it ahead of the waiting steps (an admin
   * is waiting for it, while steps are background work). One attempt: the admin is the one who retries.
   */
  async addModelCall(call: ModelCall): Promise<Job<ModelCallPayload>> {
    return this.modelCalls.add(
      MODEL_CALL_JOB,
      { call, req_id: currentLogFields()?.req_id },
      {
        jobId: `model-call_${randomUUID()}`,
        lifo: true,
        attempts: 1,
        removeOnComplete: { age: 300, count: 1000 },
        removeOnFail: { age: 24 * 3600, count: 1000 },
      },
    );
  }

  /** Removes a model call no worker has started: true if removed, false if it is running (or already gone). */
  async withdrawModelCall(id: string): Promise<boolean> {
    return (await this.modelCalls.remove(id)) === 1;
  }

  async modelCallState(id: string): Promise<JobState | 'unknown'> {
    return this.modelCalls.getJobState(id);
  }

  async modelCallReturnValue(id: string): Promise<unknown> {
    return (await this.modelCalls.getJob(id))?.returnvalue;
  }

  /** How long until MODEL_CALLS_PER_MINUTE lets the next model call start (ms); 0 when it is not what holds it. */
  async modelRateLimitTtl(): Promise<number> {
    const perMinute = this.config.MODEL_CALLS_PER_MINUTE;
    return perMinute > 0 ? this.modelCalls.getRateLimitTtl(perMinute) : 0;
  }

  /**
   * Removes a job's entry and every step of it that no worker has started (waiting, delayed), so none of them calls
   * the model or takes a slot of MODEL_CALLS_PER_MINUTE. BullMQ refuses to remove a parent while any child is locked
   * (running — including the step that is failing the job right now): then the unstarted children are removed one
   * by one, and the running ones end by themselves (aborted by the cancel bus, or their write refused by the job's
   * status). docs/queue.md, "What fails a job".
   */
  async removeJob(jobId: string, retry: number): Promise<void> {
    const parent = await this.jobs.getJob(courseQueueJobId(jobId, retry));
    if (!parent) return;
    try {
      await parent.remove({ removeChildren: true });
      return;
    } catch (err) {
      this.logger.debug({
        msg: `Job ${jobId} has a running step or is running itself: ${(err as Error).message}`,
        job_id: jobId,
      });
    }
    try {
      await parent.removeUnprocessedChildren(); // skips locked (running) children
    } catch (err) {
      this.logger.warn({
        msg: `Could not remove the waiting steps of job ${jobId}: ${(err as Error).message}`,
        job_id: jobId,
      });
    }
  }

  async removeSteps(payloads: StepPayload[]): Promise<void> {
    await Promise.all(payloads.map((p) => this.steps.remove(stepQueueJobId(p)).catch(() => 0)));
  }
}
