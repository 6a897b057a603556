import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { CourseStatusService } from '../../curriculum/course-status.service';
import { CurriculumContentService } from '../../curriculum/curriculum-content.service';
import { TAG } from '../../generation/generation.constants';
import { GenerationContexts, ItemWork } from '../../curriculum/generation-contexts';
import { LessonGenerator, LessonsRequest } from '../../generation/generators/lesson.generator';
import { TaskGenerator, TasksRequest } from '../../generation/generators/task.generator';
import { LlmError } from '../../generation/llm-error';
import { JobStore } from '../job-store';
import { error as errorEntry, LOG } from '../job-log';
import { STATUS_OF_STEP, StepPayload } from '../jobs.constants';
import { CancelBus } from './cancel-bus';
import { JobQueue } from './job-queue';
import { isInfrastructureError, reasonOf, stepBackoffDelay } from './step-errors';

export type StepOutcome = 'written' | 'skipped';

/** Thrown inside a step's write transaction to roll it back when there is nothing to write. */
const NOTHING_WRITTEN = new Error('nothing to write');

/** Where an infrastructure hiccup puts a step back, without spending an attempt. */
const INFRA_RETRY_DELAY_MS = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What is wrong with a step's payload (anyone who can add a job to the queue can craft one), or null. */
export function stepPayloadProblem(p: Partial<StepPayload> | null | undefined): string | null {
  if (!p || typeof p !== 'object') return 'the payload is not an object';
  if (typeof p.kind !== 'string' || !Object.hasOwn(STATUS_OF_STEP, p.kind))
    return `kind must be one of ${Object.keys(STATUS_OF_STEP).join(', ')}`;
  if (typeof p.job_id !== 'string' || !UUID.test(p.job_id)) return 'job_id must be a job id (uuid)';
  if (typeof p.item_id !== 'string' || !UUID.test(p.item_id)) return 'item_id must be an item id (uuid)';
  if (!Number.isInteger(p.retry) || (p.retry as number) < 0) return 'retry must be a whole number ≥ 0';
  return null;
}

/**
 * One step = one model call: the lessons of one project or the tasks of one lesson. It writes nothing unless the
 * job is still in that phase (checked under a row lock in the same transaction as the write), skips items that
 * already have content (a re-delivered step never duplicates), and is aborted when the job is cancelled.
 *
 * It trusts nothing in its payload but the job id: the item is looked up within the job's own course, and an item
 * outside it fails the job with a readable error instead of being written (docs/queue.md, "Steps trust nothing").
 */
@Injectable()
export class StepRunner {
  private readonly logger = new Logger(StepRunner.name);

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly contexts: GenerationContexts,
    private readonly content: CurriculumContentService,
    private readonly lessons: LessonGenerator,
    private readonly tasks: TaskGenerator,
    private readonly cancels: CancelBus,
    private readonly queue: JobQueue,
    private readonly courseStatus: CourseStatusService,
  ) {}

  async run(job: Job<StepPayload>, token: string | undefined): Promise<StepOutcome> {
    const p = job.data;
    const problem = stepPayloadProblem(p);
    if (problem) {
      const message = `Refused a malformed step: ${problem}`;
      this.logger.warn({ msg: 'Refused a malformed step', step: job.id, problem });
      await job.log(message).catch(() => undefined); // shown in Bull Board; there is no job row to fail
      throw new UnrecoverableError(message);
    }
    const status = STATUS_OF_STEP[p.kind];
    const what = p.kind === 'lessons' ? 'project' : 'lesson';
    // Registered before the last status check: a cancel published after it aborts this call.
    const abort = this.cancels.register(p.job_id);
    let work: ItemWork<LessonsRequest> | ItemWork<TasksRequest> | null = null;
    try {
      // Three round trips before the model call: the job's course (the step's scope), the item's context within
      // that course, then the job's status check together with its "Generating …" log line (one statement).
      const scope = await this.store.stepCourse(p.job_id, status, p.retry);
      if (!scope) return 'skipped'; // no such job, cancelled, failed, another phase, or a step of an older run
      work =
        p.kind === 'lessons'
          ? await this.contexts.lessons(this.db, p.item_id, scope)
          : await this.contexts.tasks(this.db, p.item_id, scope);
      if (!work) return await this.refuse(job, `the ${what} ${p.item_id} is not part of this job's course`);
      if (work.existing > 0) return 'skipped';
      const started =
        p.kind === 'lessons'
          ? LOG.generatingLessons(work.index, work.total, work.title)
          : LOG.generatingTasks(work.index, work.total, work.title);
      const courseId = await this.store.startStep(p.job_id, status, p.retry, started, work.title);
      if (!courseId) return 'skipped'; // deleted, cancelled, failed, or a step of an older run

      const tags = {
        [TAG.course]: courseId,
        [TAG.job]: p.job_id,
        [TAG.step]: `${p.kind}:${p.item_id}`,
      };
      const result =
        p.kind === 'lessons'
          ? await this.lessons.generate((work as ItemWork<LessonsRequest>).request, abort.signal, tags)
          : await this.tasks.generate((work as ItemWork<TasksRequest>).request, abort.signal, tags);

      const usage = {
        job_id: p.job_id,
        course_id: courseId,
        stage: p.kind,
        model: result.model,
        prompt_tokens: result.usage.prompt_tokens,
        completion_tokens: result.usage.completion_tokens,
        duration_ms: result.duration_ms,
      };
      const title = work.title;
      const details = {
        [`${what}_index`]: work.index,
        [`${what}_total`]: work.total,
        model: result.model,
        ...result.usage,
      };
      const done =
        p.kind === 'lessons'
          ? LOG.generatedLessons(result.items.length, title, details)
          : LOG.generatedTasks(result.items.length, title, details);
      try {
        await this.db.transaction(async (m) => {
          // The progress update comes first: it locks the job row and checks its status in one statement
          // (cancelled or failed meanwhile: nothing is written). If the items turn out to be there already,
          // the transaction is rolled back, progress included.
          if (!(await this.store.recordStepDone(m, p.job_id, status, result.usage, done)))
            throw NOTHING_WRITTEN;
          const out =
            p.kind === 'lessons'
              ? await this.content.writeLessons(p.item_id, result.items as never, { manager: m, usage })
              : await this.content.writeTasks(p.item_id, result.items as never, { manager: m, usage });
          if (!out.written) throw NOTHING_WRITTEN;
        });
      } catch (err) {
        if (err === NOTHING_WRITTEN) return 'skipped';
        throw err;
      }
      return 'written';
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err; // refused: nothing to retry
      await this.onError(job, token, work?.title ?? p.item_id, err);
      throw err; // unreachable: onError always throws
    } finally {
      abort.release();
    }
  }

  /** Decides what a failure means: put back (infrastructure), retry (attempts left), or fail the job. */
  private async onError(
    job: Job<StepPayload>,
    token: string | undefined,
    title: string,
    err: unknown,
  ): Promise<never> {
    const p = job.data;
    if (err instanceof LlmError && err.kind === 'aborted')
      throw new UnrecoverableError('The job was cancelled');
    if (isInfrastructureError(err) && token) {
      this.logger.warn(`Step ${job.id} hit an infrastructure error (${reasonOf(err)}); putting it back`);
      await job.moveToDelayed(Date.now() + INFRA_RETRY_DELAY_MS, token);
      throw new DelayedError();
    }
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const what = p.kind === 'lessons' ? `lessons of "${title}"` : `tasks of "${title}"`;
    const reason = reasonOf(err);
    const permanent = err instanceof LlmError && err.kind === 'permanent';
    if (permanent || attempt >= attempts) {
      await this.failJob(p, what, attempt, reason);
      throw new UnrecoverableError(reason);
    }
    const delay = stepBackoffDelay(attempt, this.config.STEP_BACKOFF_MS, err);
    await this.store.appendLogs(
      p.job_id,
      [STATUS_OF_STEP[p.kind]],
      [LOG.retrying(what, attempt, attempts, reason, delay)],
    );
    throw err;
  }

  /**
   * A step that must not run (its item is outside the job's course): the job fails with the reason in its log and
   * its error message, and the step fails without a retry. Nothing is written.
   */
  private async refuse(job: Job<StepPayload>, reason: string): Promise<never> {
    const p = job.data;
    const message = `Refused a ${p.kind} step: ${reason}`;
    this.logger.error({ msg: 'Refused a step outside its job', step: job.id, job_id: p.job_id, reason });
    await job.log(message).catch(() => undefined); // Bull Board's view of the step
    const failed = await this.store.transition(
      p.job_id,
      [STATUS_OF_STEP[p.kind]],
      'failed',
      { failed_step: p.kind, error_message: message, completed_at: 'now' },
      [errorEntry(message, { step: job.id, item_id: p.item_id })],
    );
    if (failed) {
      await this.courseStatus.markDraft(failed.course_id);
      await this.queue.removeCourseJob(p.job_id, p.retry);
    }
    throw new UnrecoverableError(message);
  }

  /** The job fails at this step: the row first (compare-and-set), then its other waiting steps are dropped. */
  private async failJob(p: StepPayload, what: string, attempts: number, reason: string): Promise<void> {
    const failed = await this.store.transition(
      p.job_id,
      [STATUS_OF_STEP[p.kind]],
      'failed',
      {
        failed_step: p.kind,
        error_message: `Could not generate the ${what}: ${reason}`,
        completed_at: 'now',
      },
      [LOG.failed(what, attempts, reason)],
    );
    if (!failed) return;
    await this.courseStatus.markDraft(failed.course_id);
    await this.queue.removeCourseJob(p.job_id, p.retry);
  }
}
