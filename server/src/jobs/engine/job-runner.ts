import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, WaitingChildrenError } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobPayload, RUNNING_STATUSES, STEP_OF_STATUS } from '../jobs.constants';
import { COURSE_JOB_ATTEMPTS } from './job-queue';
import { LOG } from './job-log';
import { JobStore } from './job-store';
import { JobOrchestrator } from './orchestrator';
import { isInfrastructureError, reasonOf } from './step-errors';

/** Where PostgreSQL or Redis trouble puts a job's entry back, without spending one of its attempts. */
export const COURSE_JOB_INFRA_RETRY_MS = 1000;

/**
 * Runs a `jobs` queue entry of any job type (the entry's name is the type): the orchestrator fans out its steps and
 * the entry waits for them (BullMQ waiting-children). Infrastructure trouble puts it back; its own last attempt
 * failing fails the job where it stands.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly db: DataSource,
    private readonly orchestrator: JobOrchestrator,
    private readonly store: JobStore,
  ) {}

  async process(job: Job<JobPayload>, token: string | undefined): Promise<string> {
    try {
      const result = await this.orchestrator.advance(job, token);
      if (result === 'waiting-for-steps') throw new WaitingChildrenError();
      return result;
    } catch (err) {
      if (err instanceof WaitingChildrenError) throw err;
      // PostgreSQL or Redis trouble is not the job's fault: put it back like a step, attempts untouched
      // (docs/queue.md, "What fails a job"). The orchestrator resumes from PostgreSQL when it runs again.
      if (isInfrastructureError(err) && token) {
        this.logger.warn(
          `Course job ${job.id} hit an infrastructure error (${reasonOf(err)}); putting it back`,
        );
        await job.moveToDelayed(Date.now() + COURSE_JOB_INFRA_RETRY_MS, token);
        throw new DelayedError();
      }
      // The orchestrator's own last attempt failed (not a step's): the job fails where it stands.
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await this.fail(job.data, err);
      throw err;
    }
  }

  private async fail(payload: JobPayload, err: unknown): Promise<void> {
    await this.db.transaction(async (m) => {
      const row = await this.store.lockRun(m, payload.job_id, payload.retry);
      if (!row) return; // deleted, or an entry of an older run
      const step = STEP_OF_STATUS[row.status] ?? 'lessons';
      await this.store.failJobAndRelease(
        m,
        row.id,
        ['pending', ...RUNNING_STATUSES],
        { failed_step: step, error_message: `The ${step} step failed: ${reasonOf(err)}` },
        [LOG.failed(`the ${step} step`, COURSE_JOB_ATTEMPTS, reasonOf(err))],
      );
    });
  }
}
