import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JobLogEntry } from '../../../../../contracts/api';
import { CourseGenerationItems, PendingItem } from '../../../curriculum/course-generation-items.service';
import { CoursePublishService } from '../../../curriculum/course-publish.service';
import { CourseStatusService } from '../../../curriculum/course-status.service';
import { CurriculumContentService } from '../../../curriculum/curriculum-content.service';
import { GenerationContexts, ItemWork } from '../../../curriculum/generation-contexts';
import { QualityGateService } from '../../../curriculum/quality/quality-gate.service';
import { TAG } from '../../../generation/generation.constants';
import type { GenerationResult } from '../../../generation/generators/generation-result';
import { LessonGenerator, LessonsRequest } from '../../../generation/generators/lesson.generator';
import { TaskGenerator, TasksRequest } from '../../../generation/generators/task.generator';
import type { JobRow } from '../../engine/job-store';
import {
  JobTypeDefinition,
  PhaseDefinition,
  PhaseOpening,
  RegisterJobType,
  StepContext,
  StepOutput,
  StepWork,
} from '../../engine/job-type';
import type { StepItem } from '../../engine/step-store';
import { JOB_TYPES } from '../../jobs.constants';
import { COURSE_LOG } from './course-log';
import { qualityGateLogs } from './quality-log';

/** What a generator returns: the step writes its items and records the rest. */
type Generated = GenerationResult<unknown>;

/** The generator's input and the item's place in the course ("project 2/5"). */
type CourseWork<R> = StepWork<ItemWork<R>>;

/** One entry per step kind — the two phases differ only in data (docs/extending.md). */
interface CoursePhaseSpec<R> {
  kind: 'lessons' | 'tasks';
  noun: 'project' | 'lesson';
  missing(courseId: string): Promise<PendingItem[]>;
  load(q: DataSource, itemId: string, courseId: string): Promise<ItemWork<R> | null>;
  generate(request: R, signal: AbortSignal, tags: Record<string, string>): Promise<Generated>;
  write(
    itemId: string,
    items: never,
    opts: Parameters<CurriculumContentService['writeLessons']>[2],
  ): Promise<{ written: boolean }>;
  started(index: number, total: number, title: string): JobLogEntry;
  done(n: number, title: string, details: Record<string, unknown>): JobLogEntry;
}

const toStepItem = (m: PendingItem): StepItem => ({
  item_id: m.id,
  item_title: m.title,
  parent_item_id: m.parent_id,
  project_position: m.project_position,
  lesson_position: m.lesson_position,
});

/**
 * `course_generation`: the lessons of every project without lessons (phase 1, `generating_lessons`), then the tasks
 * of every lesson without tasks (phase 2, `generating_tasks`), each one model call; then the summary and the course
 * published or marked ready. Everything about the job row, steps, retries and cancel is the engine's.
 */
@RegisterJobType()
@Injectable()
export class CourseGenerationJobType implements JobTypeDefinition {
  readonly name = JOB_TYPES.courseGeneration;
  readonly phases: PhaseDefinition[];

  constructor(
    private readonly db: DataSource,
    private readonly items: CourseGenerationItems,
    private readonly contexts: GenerationContexts,
    private readonly content: CurriculumContentService,
    private readonly courseStatus: CourseStatusService,
    private readonly publisher: CoursePublishService,
    private readonly quality: QualityGateService,
    lessons: LessonGenerator,
    tasks: TaskGenerator,
  ) {
    this.phases = [
      this.phase<LessonsRequest>('generating_lessons', {
        kind: 'lessons',
        noun: 'project',
        missing: (c) => this.items.projectsWithoutLessons(c),
        load: (q, id, c) => this.contexts.lessons(q, id, c),
        generate: (r, s, t) => lessons.generate(r, s, t),
        write: (id, items, opts) => this.content.writeLessons(id, items, opts),
        started: COURSE_LOG.generatingLessons,
        done: COURSE_LOG.generatedLessons,
      }),
      {
        ...this.phase<TasksRequest>('generating_tasks', {
          kind: 'tasks',
          noun: 'lesson',
          missing: (c) => this.items.lessonsWithoutTasks(c),
          load: (q, id, c) => this.contexts.tasks(q, id, c),
          generate: (r, s, t) => tasks.generate(r, s, t),
          write: (id, items, opts) => this.content.writeTasks(id, items, opts),
          started: COURSE_LOG.generatingTasks,
          done: COURSE_LOG.generatedTasks,
        }),
        begin: async (job: JobRow): Promise<PhaseOpening> => {
          const counts = await this.items.counts(job.course_id);
          return {
            logs: [COURSE_LOG.startingTasks(counts.lessons)],
            items_total: counts.lessons,
            items_completed: counts.lessons_with_tasks,
          };
        },
      },
    ];
  }

  async start(job: JobRow): Promise<PhaseOpening> {
    const [title, counts] = await Promise.all([
      this.items.title(job.course_id),
      this.items.counts(job.course_id),
    ]);
    const resumeAt = counts.projects_with_lessons < counts.projects ? 'lessons' : 'tasks';
    return {
      logs: [
        job.retry_count === 0 ? COURSE_LOG.start() : COURSE_LOG.resume(job.retry_count, resumeAt),
        COURSE_LOG.course(title),
        COURSE_LOG.projectsToProcess(counts.projects),
      ],
      items_total: counts.projects,
      items_completed: counts.projects_with_lessons,
    };
  }

  /**
   * The summary, and the course published (auto-publish, when the quality gate passes), held for review (the gate
   * failed: the job still completes, with warnings) or ready for review (docs/generation.md, "Quality gate").
   */
  async finalize(m: EntityManager, job: JobRow): Promise<JobLogEntry[]> {
    const counts = await this.items.counts(job.course_id, m);
    const logs = [COURSE_LOG.complete(), COURSE_LOG.summary(counts.projects, counts.lessons, counts.tasks)];
    if (job.auto_publish) {
      const report = await this.quality.review(m, job.course_id);
      if (!report.passed) return [...logs, ...qualityGateLogs(report)];
      await this.publisher.publishGenerated(job.course_id, m);
      // The gate's line goes first: the log ends with the summary and "Course published", as before the gate.
      logs.unshift(...qualityGateLogs(report));
      logs.push(COURSE_LOG.published());
    } else {
      await this.courseStatus.markReady(job.course_id, m);
      logs.push(COURSE_LOG.ready());
    }
    return logs;
  }

  async claim(m: EntityManager, job: JobRow): Promise<void> {
    await this.courseStatus.markGenerating(job.course_id, m);
  }

  async release(m: EntityManager, job: JobRow): Promise<void> {
    await this.courseStatus.markDraft(job.course_id, m);
  }

  private phase<R>(
    status: 'generating_lessons' | 'generating_tasks',
    spec: CoursePhaseSpec<R>,
  ): PhaseDefinition<ItemWork<R>, Generated> {
    const what = (title: string): string => `${spec.kind} of "${title}"`;
    return {
      kind: spec.kind,
      status,
      step: spec.kind,
      findMissing: async (job) => (await spec.missing(job.course_id)).map(toStepItem),
      load: async (job, itemId): Promise<CourseWork<R> | null> => {
        const work = await spec.load(this.db, itemId, job.course_id);
        if (!work) return null;
        return {
          done: work.existing > 0,
          input: work,
          item: {
            item_id: itemId,
            item_title: work.title,
            parent_item_id: work.parent_item_id,
            project_position: work.project_position,
            lesson_position: work.lesson_position,
          },
        };
      },
      runStep: async (ctx: StepContext<ItemWork<R>>): Promise<StepOutput<Generated>> => {
        const tags = {
          [TAG.course]: ctx.job.course_id,
          [TAG.job]: ctx.job.id,
          [TAG.step]: `${spec.kind}:${ctx.item_id}`,
        };
        const result = await spec.generate(ctx.work.input.request, ctx.signal, tags);
        return {
          value: result,
          model: result.model,
          prompt_id: result.prompt_id,
          usage: result.usage,
          duration_ms: result.duration_ms,
          cost_usd: result.cost_usd,
        };
      },
      writeResult: async (m, ctx, result) => {
        const r = result.value;
        const usage = {
          job_id: ctx.job.id,
          course_id: ctx.job.course_id,
          stage: spec.kind,
          model: r.model,
          prompt_tokens: r.usage.prompt_tokens,
          completion_tokens: r.usage.completion_tokens,
          duration_ms: r.duration_ms,
          cost_usd: r.cost_usd,
          cached_tokens: r.usage.cached_prompt_tokens ?? 0,
          user_id: ctx.job.user_id,
          job_type: ctx.job.job_type,
        };
        const out = await spec.write(ctx.item_id, r.items as never, { manager: m, usage });
        return out.written ? 'written' : 'skipped';
      },
      messages: {
        started: (work) => spec.started(work.input.index, work.input.total, work.input.title),
        done: (work, result) =>
          spec.done(result.value.items.length, work.input.title, {
            [`${spec.noun}_index`]: work.input.index,
            [`${spec.noun}_total`]: work.input.total,
            model: result.value.model,
            ...result.value.usage,
          }),
        what,
        outOfScope: (itemId) => `the ${spec.noun} ${itemId} is not part of this job's course`,
      },
    };
  }
}
