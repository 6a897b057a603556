import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type {
  JobDetailResponse,
  JobListResponse,
  JobStatus,
  JobStepsResponse,
  QueueCourseResponse,
  SuccessResponse,
} from '../../../contracts/api';
import type { AuthUser } from '../accounts/auth';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-error';
import { CourseGenerationItems } from '../curriculum/course-generation-items.service';
import type { JobFilterQuery, JobListStatus } from './dto/job.dto';
import { CancelBus } from './engine/cancel-bus';
import { LOG } from './engine/job-log';
import { JobQueue } from './engine/job-queue';
import { JobListFilter, JobStore } from './engine/job-store';
import { JobTypeRegistry } from './engine/job-type-registry';
import { StepStore } from './engine/step-store';
import { isUniqueViolation, JobProducer } from './job-producer';
import { ACTIVE_STATUSES, JOB_TYPES, RUNNING_STATUSES, STEP_OF_STATUS } from './jobs.constants';

/** `2026-11-01`: a date without a time (a `to` of that form includes the whole day, UTC). */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const STATUSES_OF: Record<JobListStatus, JobStatus[]> = {
  active: ACTIVE_STATUSES,
  running: RUNNING_STATUSES,
  pending: ['pending'],
  generating_lessons: ['generating_lessons'],
  generating_tasks: ['generating_tasks'],
  finalizing: ['finalizing'],
  completed: ['completed'],
  failed: ['failed'],
  cancelled: ['cancelled'],
  paused: ['paused'],
};

/**
 * The plan's CourseGenerationJobService: create_job, get_job_status, get_user_jobs, cancel_job, retry_job and
 * add_log. process_job is the workers' part (the engine's JobOrchestrator and StepRunner, run by BullMQ, with the
 * `course_generation` job type). Cancel and retry work for a job of any type (docs/extending.md).
 */
@Injectable()
export class CourseGenerationJobService {
  constructor(
    private readonly db: DataSource,
    private readonly producer: JobProducer,
    private readonly store: JobStore,
    private readonly steps: StepStore,
    private readonly queue: JobQueue,
    private readonly cancels: CancelBus,
    private readonly items: CourseGenerationItems,
    private readonly registry: JobTypeRegistry,
  ) {}

  /** create_job: one transaction writes the job and marks the course `generating` (its claim); then it is enqueued. */
  async createJob(
    user: AuthUser,
    courseId: string,
    autoPublish: boolean,
    maxCostUsd?: number,
  ): Promise<QueueCourseResponse> {
    const job = await this.producer.create(async (m) => {
      const course = await this.items.lockForGeneration(m, courseId, user.organization_id);
      if (!course) throw new NotFoundError('Course');
      await this.producer.refuseIfActive(m, courseId);
      if (course.projects === 0) {
        throw new ConflictError('The course has no approved outline (no projects) to generate from');
      }
      if (course.status === 'published' || course.status === 'archived') {
        throw new ConflictError(`The course is ${course.status}; unpublish it before generating again`);
      }
      return {
        course_id: courseId,
        user_id: user.id,
        organization_id: user.organization_id,
        auto_publish: autoPublish,
        job_type: JOB_TYPES.courseGeneration,
      };
    }, maxCostUsd);
    return { success: true, job_id: job.id };
  }

  /** get_job_status: the job and a page of its log — the first, or the one after `logsAfter` (docs/queue.md). */
  async getJobStatus(user: AuthUser, jobId: string, logsAfter?: string): Promise<JobDetailResponse> {
    const job = await this.store.viewOne(jobId, user.organization_id);
    if (!job) throw new NotFoundError('Job');
    const page = await this.store.logPage(jobId, logsAfter ?? null);
    return { job, logs: page.logs, logs_cursor: page.cursor, logs_more: page.more };
  }

  /** The steps of one run of the job (the current one by default), in course order. */
  async getJobSteps(user: AuthUser, jobId: string, run?: number): Promise<JobStepsResponse> {
    const row = await this.ownedRow(user, jobId);
    return { steps: await this.steps.list(jobId, run ?? row.retry_count) };
  }

  /**
   * get_user_jobs: the current user's jobs, or the organization's with `scope=organization`; newest first, filtered
   * by status, job type, a part of the course title and a creation date range (docs/queue.md, "Listing jobs").
   */
  async getUserJobs(
    user: AuthUser,
    query: JobFilterQuery & { status?: JobListStatus; page?: number; page_size?: number },
  ): Promise<JobListResponse> {
    const page = query.page ?? 1;
    const page_size = query.page_size ?? 20;
    const { jobs, total } = await this.store.list({
      ...this.listFilter(user, query),
      statuses: query.status ? STATUSES_OF[query.status] : undefined,
      page,
      page_size,
    });
    return { jobs, total, page, page_size };
  }

  /** The store's filter from the API's: the scope, and `to` as an exclusive bound (a date covers its whole day). */
  listFilter(user: AuthUser, query: JobFilterQuery): Omit<JobListFilter, 'page' | 'page_size' | 'statuses'> {
    const from = query.from ? new Date(query.from) : undefined;
    let before: Date | undefined;
    if (query.to) {
      before = new Date(query.to);
      before = DATE_ONLY.test(query.to)
        ? new Date(before.getTime() + 86_400_000)
        : new Date(before.getTime() + 1); // created_at <= to (millisecond precision, as the API shows times)
    }
    if (from && before && from.getTime() >= before.getTime()) {
      throw new InvalidInputError('from must not be after to');
    }
    if (query.job_type && !this.registry.find(query.job_type)) {
      throw new InvalidInputError(`job_type must be one of: ${this.registry.names().join(', ')}`);
    }
    return {
      organization_id: user.organization_id,
      user_id: query.scope === 'organization' ? undefined : user.id,
      course_id: query.course_id,
      search: query.search || undefined,
      job_type: query.job_type,
      from,
      before,
    };
  }

  /** cancel_job: the row is `cancelled` first; then running model calls are aborted and waiting steps removed. */
  async cancelJob(user: AuthUser, jobId: string): Promise<SuccessResponse> {
    const cancelled = await this.db.transaction(async (m) => {
      // Read on the transaction's own connection: a second one per request deadlocks the pool under many cancels.
      const row = await this.ownedRow(user, jobId, m);
      const done = await this.store.transition(
        jobId,
        ACTIVE_STATUSES,
        'cancelled',
        { completed_at: 'now', current_item: null },
        [LOG.cancelled(user.email)],
        m,
      );
      if (!done) {
        // Name the status that refused it (a concurrent cancel may have changed it since `row` was read).
        const now = (await this.store.find(jobId, m))?.status ?? row.status;
        throw new ConflictError(`The job is ${now}; only pending, running or paused jobs can be cancelled`);
      }
      await this.registry.get(done.job_type).release?.(m, done);
      return done;
    });
    // Waiting steps leave the queue before the running ones are aborted: an aborted step's worker takes the next
    // waiting one at once, which would take a slot of the model budget only to find the job cancelled.
    await this.queue.removeJob(jobId, cancelled.retry_count);
    await this.cancels.broadcast(jobId);
    return { success: true };
  }

  /** retry: a failed (or cancelled) job resumes at the step that failed; written items are kept. */
  async retryJob(user: AuthUser, jobId: string): Promise<SuccessResponse> {
    const retried = await this.db
      .transaction(async (m) => {
        // Read under the row lock: the run number and the step named in the log are the ones being retried (two
        // concurrent retries: the second waits, then finds the job pending and answers 409).
        const row = await this.store.lock(m, jobId);
        if (!row || row.organization_id !== user.organization_id) throw new NotFoundError('Job');
        const next = await this.store.transition(
          jobId,
          ['failed', 'cancelled'],
          'pending',
          {
            retry_count: 'increment',
            error_message: null,
            failed_step: null,
            completed_at: null,
            current_item: null,
          },
          [
            LOG.retryRequested(
              user.email,
              row.retry_count + 1,
              row.failed_step ?? STEP_OF_STATUS[row.status] ?? null,
            ),
          ],
          m,
        );
        if (!next) {
          throw new ConflictError(`The job is ${row.status}; only failed or cancelled jobs can be retried`);
        }
        await this.registry.get(next.job_type).claim?.(m, next);
        return next;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ConflictError('The course has another active generation job');
        throw err;
      });
    await this.producer.enqueue(retried.job_type, jobId, retried.retry_count);
    return { success: true };
  }

  /** add_log: appends one entry while the job is not finished. */
  async addLog(
    jobId: string,
    level: 'info' | 'warning' | 'error' | 'success',
    message: string,
  ): Promise<boolean> {
    return this.store.appendLogs(jobId, ACTIVE_STATUSES, [
      { timestamp: new Date().toISOString(), level, message },
    ]);
  }

  private async ownedRow(user: AuthUser, jobId: string, m?: EntityManager) {
    const row = await this.store.find(jobId, m);
    if (!row || row.organization_id !== user.organization_id) throw new NotFoundError('Job');
    return row;
  }
}
