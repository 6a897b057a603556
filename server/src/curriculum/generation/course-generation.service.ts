import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type {
  ApproveOutlineResponse,
  GenerateLessonsResponse,
  GenerateOutlinesResponse,
  GenerateTasksResponse,
} from '../../../../contracts/api';
import { AuthUser } from '../../accounts/auth/auth-user';
import { ConflictError, NotFoundError } from '../../common/domain-error';
import { GenerationInfoService } from '../../generation/generation-info.service';
import { TAG } from '../../generation/generation.constants';
import { LessonGenerator } from '../../generation/generators/lesson.generator';
import { DEFAULT_LANGUAGE, OutlineGenerator } from '../../generation/generators/outline.generator';
import { TaskGenerator } from '../../generation/generators/task.generator';
import { assertNotGenerating, lockCourseOf } from '../course-lock';
import { CourseQueryService } from '../course-query.service';
import { CourseTreeWriter } from '../course-tree-writer';
import { CurriculumContentService } from '../curriculum-content.service';
import type { ApproveOutlineDto, GenerateOutlinesDto } from './dto/generation.dto';
import { GenerationContexts } from '../generation-contexts';
import { OutlineUsageStore } from './outline-usage.store';

/** Model calls the manual path makes at once (one per project or lesson). */
export const MANUAL_CONCURRENCY = 4;

/**
 * Runs `work` over `items`, at most `limit` at a time. On the first failure no new item starts; the ones running
 * finish (their writes stand), then that failure is thrown.
 */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}

/**
 * Stage 1 (outline proposals, approval into a draft course) and the manual, step-by-step path (lessons, then
 * tasks, written synchronously through the same generators and the same idempotent writes as the queue's steps).
 */
@Injectable()
export class CourseGenerationService {
  constructor(
    private readonly db: DataSource,
    private readonly outlines: OutlineGenerator,
    private readonly lessons: LessonGenerator,
    private readonly tasks: TaskGenerator,
    private readonly info: GenerationInfoService,
    private readonly writer: CourseTreeWriter,
    private readonly content: CurriculumContentService,
    private readonly queries: CourseQueryService,
    private readonly contexts: GenerationContexts,
    private readonly pendingUsage: OutlineUsageStore,
  ) {}

  async proposeOutlines(
    user: AuthUser,
    req: GenerateOutlinesDto,
    signal?: AbortSignal,
  ): Promise<GenerateOutlinesResponse> {
    const generationId = randomUUID();
    const result = await this.outlines.propose(req, signal, { [TAG.step]: 'outline' });
    await this.pendingUsage.put(generationId, {
      organization_id: user.organization_id,
      model: result.model,
      ...result.usage,
      duration_ms: result.duration_ms,
    });
    return { outlines: result.items, provider: this.info.provider, generation_id: generationId };
  }

  /** A draft course with the outline's projects and no lessons; the outline call's usage is recorded on it. */
  async approveOutline(user: AuthUser, req: ApproveOutlineDto): Promise<ApproveOutlineResponse> {
    const usage = req.generation_id
      ? await this.pendingUsage.take(req.generation_id, user.organization_id)
      : null;
    try {
      const courseId = await this.db.transaction(async (m) => {
        const id = await this.writer.createCourse(m, user.organization_id, user.id, {
          title: req.outline.title,
          description: req.outline.description,
          topic: req.topic,
          audience: req.audience ?? '',
          level: req.level ?? null,
          language: req.language ?? DEFAULT_LANGUAGE,
          projects: req.outline.projects.map((p) => ({
            title: p.title,
            description: p.description,
            objectives: p.objectives,
            lessons: [],
          })),
        });
        if (usage) {
          await this.content.recordUsage(m, {
            course_id: id,
            job_id: null,
            stage: 'outline',
            model: usage.model,
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            duration_ms: usage.duration_ms,
          });
        }
        return id;
      });
      return { course_id: courseId };
    } catch (err) {
      if (usage && req.generation_id) await this.pendingUsage.restore(req.generation_id, usage);
      throw err;
    }
  }

  /** Lessons for every project of the course that has none, or for `projectId` only. */
  async writeLessons(
    user: AuthUser,
    courseId: string,
    opts: { project_id?: string; lesson_count?: number },
    signal?: AbortSignal,
  ): Promise<GenerateLessonsResponse> {
    const org = user.organization_id;
    await this.checkCourse(courseId, org);
    let targets: string[];
    if (opts.project_id) {
      const [project] = await this.db.query<{ lessons: number }[]>(
        `SELECT (SELECT count(*)::int FROM lessons l WHERE l.project_id = p.id) AS lessons
           FROM course_projects p WHERE p.id = $1 AND p.course_id = $2`,
        [opts.project_id, courseId],
      );
      if (!project) throw new NotFoundError('Project');
      if (project.lessons > 0) throw new ConflictError('The project already has lessons');
      targets = [opts.project_id];
    } else {
      const rows = await this.db.query<{ id: string }[]>(
        `SELECT p.id FROM course_projects p
          WHERE p.course_id = $1 AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.project_id = p.id)
          ORDER BY p.position`,
        [courseId],
      );
      targets = rows.map((r) => r.id);
    }

    const written = new Set<string>();
    await eachLimited(targets, MANUAL_CONCURRENCY, async (projectId) => {
      const request = (await this.contexts.lessons(this.db, projectId, courseId))?.request;
      if (!request) return; // deleted meanwhile
      const result = await this.lessons.generate({ ...request, lesson_count: opts.lesson_count }, signal, {
        [TAG.course]: courseId,
        [TAG.step]: `lessons:${projectId}`,
      });
      const out = await this.writeUnlessGenerating(courseId, org, (m) =>
        this.content.writeLessons(projectId, result.items, {
          manager: m,
          usage: {
            course_id: courseId,
            job_id: null,
            stage: 'lessons',
            model: result.model,
            ...result.usage,
            duration_ms: result.duration_ms,
          },
        }),
      );
      if (out.written) written.add(projectId);
    });
    const tree = await this.queries.tree(courseId);
    return { projects: tree.filter((p) => written.has(p.id)) };
  }

  /** Tasks for every lesson of the course that has none, or for `lessonId` only. */
  async writeTasks(
    user: AuthUser,
    courseId: string,
    opts: { lesson_id?: string; task_count?: number },
    signal?: AbortSignal,
  ): Promise<GenerateTasksResponse> {
    const org = user.organization_id;
    await this.checkCourse(courseId, org);
    let targets: string[];
    if (opts.lesson_id) {
      const [lesson] = await this.db.query<{ tasks: number }[]>(
        `SELECT (SELECT count(*)::int FROM tasks t WHERE t.lesson_id = l.id) AS tasks
           FROM lessons l JOIN course_projects p ON p.id = l.project_id
          WHERE l.id = $1 AND p.course_id = $2`,
        [opts.lesson_id, courseId],
      );
      if (!lesson) throw new NotFoundError('Lesson');
      if (lesson.tasks > 0) throw new ConflictError('The lesson already has tasks');
      targets = [opts.lesson_id];
    } else {
      const rows = await this.db.query<{ id: string }[]>(
        `SELECT l.id FROM lessons l JOIN course_projects p ON p.id = l.project_id
          WHERE p.course_id = $1 AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.lesson_id = l.id)
          ORDER BY p.position, l.position`,
        [courseId],
      );
      targets = rows.map((r) => r.id);
    }

    const written = new Set<string>();
    await eachLimited(targets, MANUAL_CONCURRENCY, async (lessonId) => {
      const request = (await this.contexts.tasks(this.db, lessonId, courseId))?.request;
      if (!request) return;
      const result = await this.tasks.generate({ ...request, task_count: opts.task_count }, signal, {
        [TAG.course]: courseId,
        [TAG.step]: `tasks:${lessonId}`,
      });
      const out = await this.writeUnlessGenerating(courseId, org, (m) =>
        this.content.writeTasks(lessonId, result.items, {
          manager: m,
          usage: {
            course_id: courseId,
            job_id: null,
            stage: 'tasks',
            model: result.model,
            ...result.usage,
            duration_ms: result.duration_ms,
          },
        }),
      );
      if (out.written) written.add(lessonId);
    });
    const tree = await this.queries.tree(courseId);
    return { lessons: tree.flatMap((p) => p.lessons).filter((l) => written.has(l.id)) };
  }

  /** 404 for a course that is missing or another organization's; 409 while a queued job generates it. */
  private async checkCourse(courseId: string, organizationId: string): Promise<void> {
    await this.db.transaction(async (m) =>
      assertNotGenerating(await lockCourseOf(m, 'course', courseId, organizationId)),
    );
  }

  /** The write, in one transaction that first locks the course and re-checks that no job has started meanwhile. */
  private writeUnlessGenerating<T>(
    courseId: string,
    organizationId: string,
    write: (m: EntityManager) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (m) => {
      assertNotGenerating(await lockCourseOf(m, 'course', courseId, organizationId));
      return write(m);
    });
  }
}
