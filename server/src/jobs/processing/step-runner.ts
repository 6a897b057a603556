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
import { LOG } from '../job-log';
import { STATUS_OF_STEP, StepPayload } from '../jobs.constants';
import { CancelBus } from './cancel-bus';
import { JobQueue } from './job-queue';
import { isInfrastructureError, reasonOf, stepBackoffDelay } from './step-errors';

export type StepOutcome = 'written' | 'skipped';

/** Thrown inside a step's write transaction to roll it back when there is nothing to write. */
const NOTHING_WRITTEN = new Error('nothing to write');

/** Where an infrastructure hiccup puts a step back, without spending an attempt. */
const INFRA_RETRY_DELAY_MS = 1000;

/**
 * One step = one model call: the lessons of one project or the tasks of one lesson. It writes nothing unless the
 * job is still in that phase (checked under a row lock in the same transaction as the write), skips items that
 * already have content (a re-delivered step never duplicates), and is aborted when the job is cancelled.
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
    const status = STATUS_OF_STEP[p.kind];
    // Registered before the last status check: a cancel published after it aborts this call.
    const abort = this.cancels.register(p.job_id);
    let work: ItemWork<LessonsRequest> | ItemWork<TasksRequest> | null = null;
    try {
      // Two round trips before the model call: the step's context (one query), then the job's status check
      // together with its "Generating …" log line (one statement).
      work =
        p.kind === 'lessons'
          ? await this.contexts.lessons(this.db, p.item_id)
          : await this.contexts.tasks(this.db, p.item_id);
      if (!work || work.existing > 0) return 'skipped';
      const what = p.kind === 'lessons' ? 'project' : 'lesson';
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
