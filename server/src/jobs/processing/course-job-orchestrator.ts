import { Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { CoursePublishService } from '../../curriculum/course-publish.service';
import { CourseStatusService } from '../../curriculum/course-status.service';
import { JobStore, JobRow } from '../job-store';
import { LOG } from '../job-log';
import { StepStore } from '../step-store';
import { CourseGenerationPayload, StepKind } from '../jobs.constants';
import { CourseTree } from './course-tree';
import { JobQueue } from './job-queue';

export type AdvanceResult = 'waiting-for-steps' | 'done';

/**
 * The course job. Each time it runs it reads the job and the course from PostgreSQL and does what is next:
 * start, fan out the lessons of every project that has none as parallel steps, then the tasks of every lesson
 * that has none, then finalize. Because every decision comes from PostgreSQL, running it again — after a
 * crash, a lost queue, or a retry — resumes exactly where the work stands and never redoes a written item.
 */
@Injectable()
export class CourseJobOrchestrator {
  private readonly logger = new Logger(CourseJobOrchestrator.name);

  constructor(
    private readonly db: DataSource,
    private readonly store: JobStore,
    private readonly steps: StepStore,
    private readonly tree: CourseTree,
    private readonly queue: JobQueue,
    private readonly courseStatus: CourseStatusService,
    private readonly publisher: CoursePublishService,
  ) {}

  async advance(job: Job<CourseGenerationPayload>, token: string | undefined): Promise<AdvanceResult> {
    // A few rounds at most: each round moves the job one phase on, or leaves it waiting for its steps.
    for (let round = 0; round < 6; round++) {
      const row = await this.store.find(job.data.job_id);
      if (!row || row.retry_count !== job.data.retry) return 'done'; // deleted, or an entry of an older run
      switch (row.status) {
        case 'pending':
          await this.start(row);
          continue;
        case 'generating_lessons':
          if (await this.fanOut(job, token, 'lessons', row)) return 'waiting-for-steps';
          await this.startTasks(row);
          continue;
        case 'generating_tasks':
          if (await this.fanOut(job, token, 'tasks', row)) return 'waiting-for-steps';
          await this.store.transition(
            row.id,
            ['generating_tasks'],
            'finalizing',
            { current_step: 'finalizing', current_item: null },
            [],
          );
          continue;
        case 'finalizing':
          await this.finalize(row);
          return 'done';
        default:
          return 'done'; // completed, failed or cancelled: nothing to do
      }
    }
    throw new Error(`Course job ${job.data.job_id} did not settle; it will be retried`);
  }

  private async start(row: JobRow): Promise<void> {
    const [title, counts] = await Promise.all([
      this.tree.title(row.course_id),
      this.tree.counts(row.course_id),
    ]);
    const resumeAt = counts.projects_with_lessons < counts.projects ? 'lessons' : 'tasks';
    await this.store.transition(
      row.id,
      ['pending'],
      'generating_lessons',
      {
        started_at: 'keep-or-now',
        current_step: 'lessons',
        current_item: null,
        items_total: counts.projects,
        items_completed: counts.projects_with_lessons,
      },
      [
        row.retry_count === 0 ? LOG.start() : LOG.resume(row.retry_count, resumeAt),
        LOG.course(title),
        LOG.projectsToProcess(counts.projects),
      ],
    );
  }

  /** Adds a step for every item still missing content; true when the course job now waits for them. */
  private async fanOut(
    job: Job<CourseGenerationPayload>,
    token: string | undefined,
    kind: StepKind,
    row: JobRow,
  ): Promise<boolean> {
    const missing =
      kind === 'lessons'
        ? await this.tree.projectsWithoutLessons(row.course_id)
        : await this.tree.lessonsWithoutTasks(row.course_id);
    if (missing.length === 0) return false;
    // The steps' rows first (`queued`, in course order; a re-run of the fan-out keeps the existing ones), so the
    // steps API shows the whole phase at once (docs/queue.md, "Steps").
    await this.steps.insertQueued(
      row.id,
      row.retry_count,
      kind,
      missing.map((m) => ({
        item_id: m.id,
        item_title: m.title,
        parent_item_id: m.parent_id,
        project_position: m.project_position,
        lesson_position: m.lesson_position,
      })),
    );
    await this.queue.addSteps(
      job,
      kind,
      missing.map((m) => m.id),
    );
    if (!token) throw new Error('A course job needs its lock token to wait for its steps');
    // False when every step already finished (between the add and now): then look at PostgreSQL again.
    return job.moveToWaitingChildren(token);
  }

  private async startTasks(row: JobRow): Promise<void> {
    const counts = await this.tree.counts(row.course_id);
    await this.store.transition(
      row.id,
      ['generating_lessons'],
      'generating_tasks',
      {
        current_step: 'tasks',
        current_item: null,
        items_total: counts.lessons,
        items_completed: counts.lessons_with_tasks,
      },
      [LOG.startingTasks(counts.lessons)],
    );
  }

  /** Writes the summary, publishes or marks the course ready, and completes the job — in one transaction. */
  private async finalize(row: JobRow): Promise<void> {
    const counts = await this.tree.counts(row.course_id);
    await this.db.transaction(async (m) => {
      if (!(await this.store.lockIfStatus(m, row.id, 'finalizing'))) return;
      const logs = [LOG.complete(), LOG.summary(counts.projects, counts.lessons, counts.tasks)];
      if (row.auto_publish) {
        await this.publisher.publishGenerated(row.course_id, m);
        logs.push(LOG.published());
      } else {
        await this.courseStatus.markReady(row.course_id, m);
        logs.push(LOG.ready());
      }
      await this.store.transition(
        row.id,
        ['finalizing'],
        'completed',
        { completed_at: 'now', current_item: null, items_completed: row.items_total },
        logs,
        m,
      );
    });
    this.logger.log(
      `Job ${row.id} completed: ${counts.projects} projects, ${counts.lessons} lessons, ${counts.tasks} tasks`,
    );
  }
}
