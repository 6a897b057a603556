import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JobLogEntry } from '../../../../../contracts/api';
import { CurriculumContentService, TaskInput } from '../../../curriculum/curriculum-content.service';
import { GenerationContexts, ItemWork } from '../../../curriculum/generation-contexts';
import { CourseVersionsService, ReplacedBy } from '../../../curriculum/versions/course-versions.service';
import { COUNT_LIMITS, DEFAULT_COUNTS, TAG } from '../../../generation/generation.constants';
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
import { DraftKind, RegenerationDrafts } from './regeneration-drafts';
import { REGEN_LOG } from './regeneration-log';
import { RegenerationParams, regenerationParams } from './regeneration-params';

/** What a generator returns: the step writes its items and records the rest. */
type Generated = GenerationResult<unknown>;

/** A step's input: the generator's request and the title its log lines name. */
interface RegenInput<R> {
  request: R;
  title: string;
}

type RegenWork<R> = StepWork<RegenInput<R>>;

/** One entry per step kind — the two phases differ only in data (docs/extending.md). */
interface RegenPhaseSpec<R> {
  kind: 'regenerate_lessons' | 'regenerate_tasks';
  status: 'generating_lessons' | 'generating_tasks';
  step: 'lessons' | 'tasks';
  /** What the step stages, and under which parent (the item itself). */
  draft: DraftKind;
  noun: 'project' | 'lesson';
  missing(job: JobRow, p: RegenerationParams): Promise<StepItem[]>;
  load(job: JobRow, p: RegenerationParams, itemId: string): Promise<RegenWork<R> | null>;
  generate(request: R, signal: AbortSignal, tags: Record<string, string>): Promise<Generated>;
  started(title: string): JobLogEntry;
  done(n: number, title: string, details: Record<string, unknown>): JobLogEntry;
}

/** A count within the generator's limits: the part's current size, or the default for an empty one. */
const keepCount = (existing: number, fallback: number, limits: { min: number; max: number }): number =>
  existing > 0 ? Math.min(Math.max(existing, limits.min), limits.max) : fallback;

/**
 * Varies the offline sample provider's output per job (it writes deterministically from its context, so without it a
 * regeneration would write the same text again); real models ignore it.
 */
const seedOf = (jobId: string): number => createHash('sha256').update(jobId).digest().readUInt32BE(0);

/**
 * `course_regeneration` (docs/regeneration.md): the lessons of one project (phase 1, then the tasks of those new
 * lessons in phase 2), or the tasks of one lesson (phase 2 only). Steps stage what they write in
 * `regeneration_drafts`; nothing in the course changes until `finalize` swaps the staged part in — in the engine's
 * completing transaction, keeping the replaced part as a version. The course's status never moves: it stays readable
 * (and published) while a part regenerates.
 */
@RegisterJobType()
@Injectable()
export class CourseRegenerationJobType implements JobTypeDefinition {
  readonly name = JOB_TYPES.courseRegeneration;
  readonly phases: PhaseDefinition[];

  constructor(
    private readonly db: DataSource,
    private readonly drafts: RegenerationDrafts,
    private readonly contexts: GenerationContexts,
    private readonly content: CurriculumContentService,
    private readonly versions: CourseVersionsService,
    lessons: LessonGenerator,
    tasks: TaskGenerator,
  ) {
    this.phases = [
      this.phase<LessonsRequest>({
        kind: 'regenerate_lessons',
        status: 'generating_lessons',
        step: 'lessons',
        draft: 'lesson',
        noun: 'project',
        missing: (job, p) => this.projectMissing(job, p),
        load: (job, p, id) => this.loadProject(job, p, id),
        generate: (r, s, t) => lessons.generate(r, s, t),
        started: REGEN_LOG.regeneratingLessons,
        done: REGEN_LOG.generatedLessons,
      }),
      {
        ...this.phase<TasksRequest>({
          kind: 'regenerate_tasks',
          status: 'generating_tasks',
          step: 'tasks',
          draft: 'task',
          noun: 'lesson',
          missing: (job, p) => this.lessonsMissing(job, p),
          load: (job, p, id) => this.loadLesson(job, p, id),
          generate: (r, s, t) => tasks.generate(r, s, t),
          started: REGEN_LOG.regeneratingTasks,
          done: REGEN_LOG.generatedTasks,
        }),
        begin: (job: JobRow) => this.beginTasks(job),
      },
    ];
  }

  async start(job: JobRow): Promise<PhaseOpening> {
    const p = regenerationParams(job);
    const logs = [job.retry_count === 0 ? REGEN_LOG.start(p) : REGEN_LOG.resume(job.retry_count, p)];
    if (p.instructions) logs.push(REGEN_LOG.instructions(p.instructions));
    if (p.target === 'lesson_tasks') return { logs, items_total: 0, items_completed: 0 };
    const staged = await this.drafts.has(job.id, 'lesson', p.item_id);
    return { logs, items_total: 1, items_completed: staged ? 1 : 0 };
  }

  /** The staged part replaces the course's (the old one kept as a version), then the staging rows go. */
  async finalize(m: EntityManager, job: JobRow): Promise<JobLogEntry[]> {
    const p = regenerationParams(job);
    let versionId: string | null;
    let details: Record<string, unknown>;
    if (p.target === 'project_lessons') {
      const lessons = await this.drafts.lessons(job.id, p.item_id, m);
      const tasks = await this.drafts.tasks(
        job.id,
        lessons.map((l) => l.id),
        m,
      );
      const replacement = lessons.map(({ id, title, summary, content, estimated_minutes }) => ({
        id,
        title,
        summary,
        content,
        estimated_minutes,
        tasks: tasks.filter((t) => t.parent_id === id).map(taskInput),
      }));
      if (replacement.length === 0 || replacement.some((l) => l.tasks.length === 0))
        throw new Error('The staged lessons are incomplete; the job cannot replace the project’s lessons');
      versionId = await this.versions.replaceProjectLessons(
        m,
        job.course_id,
        p.item_id,
        replacement,
        this.by(job, lessons[0]),
      );
      details = { lessons: replacement.length, tasks: tasks.length };
    } else {
      const tasks = await this.drafts.tasks(job.id, [p.item_id], m);
      if (tasks.length === 0) throw new Error('No staged tasks; the job cannot replace the lesson’s tasks');
      versionId = await this.versions.replaceLessonTasks(
        m,
        job.course_id,
        p.item_id,
        tasks.map(taskInput),
        this.by(job, tasks[0]),
      );
      details = { tasks: tasks.length };
    }
    await this.drafts.deleteForJob(m, job.id);
    return [versionId ? REGEN_LOG.replaced(p, { ...details, version_id: versionId }) : REGEN_LOG.gone(p)];
  }

  /** A cancelled job's staged part goes; a failed job's stays, so a retry resumes from it. */
  async release(m: EntityManager, job: JobRow): Promise<void> {
    if (job.status === 'cancelled') await this.drafts.deleteForJob(m, job.id);
  }

  private by(job: JobRow, first: { model: string | null; prompt_id: string | null }): ReplacedBy {
    return { cause: 'regenerated', job_id: job.id, model: first.model, prompt_id: first.prompt_id };
  }

  // --- phase 1: the project's lessons (project_lessons only) ---

  private async projectMissing(job: JobRow, p: RegenerationParams): Promise<StepItem[]> {
    if (p.target !== 'project_lessons' || (await this.drafts.has(job.id, 'lesson', p.item_id))) return [];
    // A project that left the course still gets its step: its `load` then refuses it and the job fails, readably.
    const work = await this.contexts.lessons(this.db, p.item_id, job.course_id);
    return [projectItem(p, work)];
  }

  private async loadProject(
    job: JobRow,
    p: RegenerationParams,
    itemId: string,
  ): Promise<RegenWork<LessonsRequest> | null> {
    if (p.target !== 'project_lessons' || itemId !== p.item_id) return null;
    const work = await this.contexts.lessons(this.db, itemId, job.course_id);
    if (!work) return null;
    return {
      item: projectItem(p, work),
      done: await this.drafts.has(job.id, 'lesson', itemId),
      input: {
        title: work.title,
        request: {
          ...work.request,
          // The lessons being replaced are not "lessons this project already has": the new ones take their place.
          existing_lessons: [],
          lesson_count: keepCount(
            work.existing,
            DEFAULT_COUNTS.lessonsPerProject,
            COUNT_LIMITS.lessonsPerProject,
          ),
          ...guidance(job, p),
        },
      },
    };
  }

  // --- phase 2: the tasks of the new lessons (project_lessons) or of the one lesson (lesson_tasks) ---

  private async lessonsMissing(job: JobRow, p: RegenerationParams): Promise<StepItem[]> {
    if (p.target === 'project_lessons') {
      const project = await this.contexts.lessons(this.db, p.item_id, job.course_id);
      const staged = await this.drafts.lessonsWithoutTasks(job.id, p.item_id);
      return staged.map((l) => ({
        item_id: l.id,
        item_title: l.title,
        parent_item_id: p.item_id,
        project_position: project?.project_position ?? 0,
        lesson_position: l.position,
      }));
    }
    if (await this.drafts.has(job.id, 'task', p.item_id)) return [];
    const work = await this.contexts.tasks(this.db, p.item_id, job.course_id);
    return [lessonItem(p, work)];
  }

  private async loadLesson(
    job: JobRow,
    p: RegenerationParams,
    itemId: string,
  ): Promise<RegenWork<TasksRequest> | null> {
    const done = await this.drafts.has(job.id, 'task', itemId);
    const rest = guidance(job, p);
    if (p.target === 'lesson_tasks') {
      if (itemId !== p.item_id) return null;
      const work = await this.contexts.tasks(this.db, itemId, job.course_id);
      if (!work) return null;
      const task_count = keepCount(work.existing, DEFAULT_COUNTS.tasksPerLesson, COUNT_LIMITS.tasksPerLesson);
      return {
        item: lessonItem(p, work),
        done,
        input: { title: work.title, request: { ...work.request, existing_tasks: [], task_count, ...rest } },
      };
    }
    // A new lesson: staged by this job under its project; its siblings are the project's other new lessons.
    const [project, staged] = await Promise.all([
      this.contexts.lessons(this.db, p.item_id, job.course_id),
      this.drafts.lessons(job.id, p.item_id),
    ]);
    const lesson = staged.find((l) => l.id === itemId);
    if (!project || !lesson) return null;
    return {
      item: {
        item_id: itemId,
        item_title: lesson.title,
        parent_item_id: p.item_id,
        project_position: project.project_position,
        lesson_position: lesson.position,
      },
      done,
      input: {
        title: lesson.title,
        request: {
          course: project.request.course,
          project: { title: project.request.project.title, description: project.request.project.description },
          lesson: { title: lesson.title, summary: lesson.summary },
          sibling_lessons: staged.filter((l) => l.id !== itemId).map((l) => l.title),
          lesson_index: staged.findIndex((l) => l.id === itemId),
          existing_tasks: [],
          ...rest,
        },
      },
    };
  }

  private async beginTasks(job: JobRow): Promise<PhaseOpening> {
    const p = regenerationParams(job);
    if (p.target === 'lesson_tasks') {
      const staged = await this.drafts.has(job.id, 'task', p.item_id);
      return { logs: [], items_total: 1, items_completed: staged ? 1 : 0 };
    }
    const lessons = await this.drafts.lessons(job.id, p.item_id);
    const missing = await this.drafts.lessonsWithoutTasks(job.id, p.item_id);
    return {
      logs: [REGEN_LOG.startingTasks(lessons.length)],
      items_total: lessons.length,
      items_completed: lessons.length - missing.length,
    };
  }

  private phase<R>(spec: RegenPhaseSpec<R>): PhaseDefinition<RegenInput<R>, Generated> {
    const what = (title: string): string => `${spec.step} of "${title}"`;
    return {
      kind: spec.kind,
      status: spec.status,
      step: spec.step,
      findMissing: (job) => spec.missing(job, regenerationParams(job)),
      load: (job, itemId) => spec.load(job, regenerationParams(job), itemId),
      runStep: async (ctx: StepContext<RegenInput<R>>): Promise<StepOutput<Generated>> => {
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
        const staged = await this.drafts.stage(m, ctx.job.id, spec.draft, ctx.item_id, r.items as never[], {
          model: r.model,
          prompt_id: r.prompt_id,
        });
        if (!staged) return 'skipped';
        await this.content.recordUsage(m, {
          job_id: ctx.job.id,
          course_id: ctx.job.course_id,
          stage: spec.step,
          model: r.model,
          prompt_tokens: r.usage.prompt_tokens,
          completion_tokens: r.usage.completion_tokens,
          duration_ms: r.duration_ms,
          cost_usd: r.cost_usd,
          cached_tokens: r.usage.cached_prompt_tokens ?? 0,
          user_id: ctx.job.user_id,
          job_type: ctx.job.job_type,
        });
        return 'written';
      },
      messages: {
        started: (work) => spec.started(work.input.title),
        done: (work, result) =>
          spec.done(result.value.items.length, work.input.title, {
            model: result.value.model,
            ...result.value.usage,
          }),
        what,
        outOfScope: (itemId) =>
          `the ${spec.noun} ${itemId} is not part of what this job regenerates (or no longer in its course)`,
      },
    };
  }
}

/** The editor's instructions and the sample provider's seed, for either generator's request. */
const guidance = (job: JobRow, p: RegenerationParams): { instructions?: string; seed: number } => ({
  ...(p.instructions ? { instructions: p.instructions } : {}),
  seed: seedOf(job.id),
});

/** A staged task as the curriculum writes it (without its staging fields). */
const taskInput = ({ title, instructions, kind, estimated_minutes }: TaskInput): TaskInput => ({
  title,
  instructions,
  kind,
  estimated_minutes,
});

const projectItem = (p: RegenerationParams, work: ItemWork<unknown> | null): StepItem => ({
  item_id: p.item_id,
  item_title: work?.title ?? p.item_title,
  parent_item_id: null,
  project_position: work?.project_position ?? 0,
  lesson_position: null,
});

const lessonItem = (p: RegenerationParams, work: ItemWork<unknown> | null): StepItem => ({
  item_id: p.item_id,
  item_title: work?.title ?? p.item_title,
  parent_item_id: work?.parent_item_id ?? null,
  project_position: work?.project_position ?? 0,
  lesson_position: work?.lesson_position ?? null,
});
