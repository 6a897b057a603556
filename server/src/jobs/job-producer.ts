import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { withLogFields } from '../logging/log-context';
import { OrgBudgets } from '../model-budget/org-budgets';
import { JobQueue } from './engine/job-queue';
import { JobRow, JobStore } from './engine/job-store';
import { JobTypeRegistry } from './engine/job-type-registry';

const ENQUEUE_TIMEOUT_MS = 2000;
const UNIQUE_VIOLATION = '23505';

export const ACTIVE_JOB_MESSAGE = 'This course already has an active generation job';

/** True for PostgreSQL's unique violation (here: the partial index that allows one active job per course). */
export const isUniqueViolation = (err: unknown): boolean =>
  (err as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION;

/**
 * The one producer of jobs of any type (docs/extending.md, "Queueing it"): the row is written and claimed in one
 * transaction, then enqueued after the commit. One active job per course, whatever its type: 409 naming it.
 */
@Injectable()
export class JobProducer {
  private readonly logger = new Logger(JobProducer.name);

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly queue: JobQueue,
    private readonly registry: JobTypeRegistry,
    private readonly budgets: OrgBudgets,
  ) {}

  /**
   * In one transaction: `prepare` checks and locks what the job works on and returns the row to insert; the row is
   * inserted and its type's `claim` runs. Then the job is enqueued.
   *
   * Budgets (docs/costs.md, "Budgets and estimates"): 402 when the organization's monthly budget is used up; the job's
   * cost cap is `max_cost_usd`, else the organization's default job cap.
   */
  async create(
    prepare: (m: EntityManager) => Promise<Parameters<JobStore['insert']>[1]>,
    maxCostUsd?: number,
  ): Promise<JobRow> {
    const job = await this.db
      .transaction(async (m) => {
        const input = await prepare(m);
        await this.budgets.assertRoom(input.organization_id, m);
        const cap = maxCostUsd ?? (await this.budgets.settings(input.organization_id, m)).default_job_cap_usd;
        const row = await this.store.insert(m, { ...input, max_cost_usd: cap });
        await this.registry.get(row.job_type).claim?.(m, row);
        return row;
      })
      .catch((err: unknown) => {
        // Two clients queueing the same course at the same instant: the partial unique index lets one in.
        if (isUniqueViolation(err)) throw new ConflictError(ACTIVE_JOB_MESSAGE);
        throw err;
      });
    // The request's further lines name the job, its type and course (docs/queue.md, "Following a job in the logs").
    return withLogFields({ job_id: job.id, job_type: job.job_type, course_id: job.course_id }, async () => {
      if (this.config.FAULT_INJECTION === 'crash-after-job-commit' && !this.config.isProduction) {
        this.logger.warn(`FAULT_INJECTION: exiting after committing job ${job.id}, before enqueueing it`);
        process.exit(137);
      }
      await this.enqueue(job.job_type, job.id, 0);
      return job;
    });
  }

  /** 409 naming the course's active job (of any type), if it has one — inside the creating transaction. */
  async refuseIfActive(m: EntityManager, courseId: string): Promise<void> {
    const active = await this.store.findActiveForCourse(courseId, m);
    if (active) throw new ConflictError(ACTIVE_JOB_MESSAGE, { job_id: active.id });
  }

  /** Enqueue after the commit; if Redis does not answer, the reconciler enqueues it later (the row is the truth). */
  async enqueue(jobType: string, jobId: string, retry: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.addJob(jobType, { job_id: jobId, retry }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
            ENQUEUE_TIMEOUT_MS,
          );
        }),
      ]);
      this.logger.log({ msg: `Queued job ${jobId}`, job_id: jobId, job_type: jobType });
    } catch (err) {
      this.logger.warn({
        msg: `Job ${jobId} saved but not enqueued (${(err as Error).message}); the reconciler will enqueue it`,
        job_id: jobId,
        job_type: jobType,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
