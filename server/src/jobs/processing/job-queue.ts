import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import {
  CourseGenerationPayload,
  courseQueueJobId,
  JOB_TYPES,
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
    @InjectQueue(QUEUES.jobs) readonly jobs: Queue<CourseGenerationPayload>,
    @InjectQueue(QUEUES.steps) readonly steps: Queue<StepPayload>,
    private readonly config: AppConfig,
  ) {}

  /** Enqueues a course job; a no-op when its queue entry already exists (the id is derived from the row). */
  async addCourseJob(payload: CourseGenerationPayload): Promise<void> {
    await this.jobs.add(JOB_TYPES.courseGeneration, payload, {
      jobId: courseQueueJobId(payload.job_id, payload.retry),
      // The orchestrator only reads PostgreSQL and adds steps; its retries cover a brief outage.
      attempts: COURSE_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    });
  }

  /** Adds the steps of one phase as children of the course job, which then waits for them. */
  async addSteps(parent: Job<CourseGenerationPayload>, kind: StepKind, itemIds: string[]): Promise<void> {
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
   * MODEL_CONCURRENCY: the cluster-wide cap on steps (model calls) running at once, BullMQ's global concurrency
   * of the steps queue (stored in Redis, so it binds every worker process however many there are). Every process
   * that runs workers applies it at start-up; 0 removes the cap. Set it the same on every worker process: the one
   * started last wins.
   */
  async applyModelConcurrency(): Promise<void> {
    const cap = this.config.MODEL_CONCURRENCY;
    if (cap > 0) await this.steps.setGlobalConcurrency(cap);
    else await this.steps.removeGlobalConcurrency();
  }

  /** Removes a course job and its waiting steps (running ones are locked; they stop themselves). */
  async removeCourseJob(jobId: string, retry: number): Promise<void> {
    try {
      await this.jobs.remove(courseQueueJobId(jobId, retry), { removeChildren: true });
    } catch (err) {
      // A locked (running) entry cannot be removed; it will find the job terminal and stop.
      this.logger.debug(`Could not remove queue entry of job ${jobId}: ${(err as Error).message}`);
    }
  }

  async removeSteps(payloads: StepPayload[]): Promise<void> {
    await Promise.all(payloads.map((p) => this.steps.remove(stepQueueJobId(p)).catch(() => 0)));
  }
}
