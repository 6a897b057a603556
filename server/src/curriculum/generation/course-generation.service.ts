import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import type {
  ApproveOutlineResponse,
  GenerateLessonsResponse,
  GenerateOutlinesResponse,
  GenerateTasksResponse,
} from '../../../../contracts/api';
import { AuthUser } from '../../accounts/auth/auth-user';
import { ConflictError, NotFoundError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { GenerationInfoService } from '../../generation/generation-info.service';
import { TAG } from '../../generation/generation.constants';
import { DEFAULT_LANGUAGE } from '../../generation/generators/outline.generator';
import { MODEL_CALL_GATEWAY, type ModelCallGateway } from '../../model-budget/model-call-gateway';
import { ModelCallReservation, OrgModelCallLimiter } from '../../model-budget/org-model-call-limiter';
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
 * Every model call goes through MODEL_CALL_GATEWAY, under the cluster's one model budget, after the
 * organization's per-minute limit and the per-request cap (docs/generation.md, "Limits").
 */
@Injectable()
export class CourseGenerationService implements OnModuleInit {
  private readonly logger = new Logger(CourseGenerationService.name);
  private modelCalls!: ModelCallGateway;

  constructor(
    private readonly db: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly orgLimit: OrgModelCallLimiter,
    private readonly config: AppConfig,
    private readonly info: GenerationInfoService,
    private readonly writer: CourseTreeWriter,
    private readonly content: CurriculumContentService,
    private readonly queries: CourseQueryService,
    private readonly contexts: GenerationContexts,
    private readonly pendingUsage: OutlineUsageStore,
  ) {}

  /** The gateway is provided by the jobs module, which the curriculum does not import: looked up by its token. */
  onModuleInit(): void {
    this.modelCalls = this.moduleRef.get<ModelCallGateway>(MODEL_CALL_GATEWAY, { strict: false });
  }

  async proposeOutlines(
    user: AuthUser,
    req: GenerateOutlinesDto,
    signal?: AbortSignal,
  ): Promise<GenerateOutlinesResponse> {
    const generationId = randomUUID();
    await this.orgLimit.take(user.organization_id, 1);
    const result = await this.modelCalls.call(
      { stage: 'outline', request: req, tags: { [TAG.step]: 'outline' } },
      signal,
    );
    await this.pendingUsage.put(generationId, {
      organization_id: user.organization_id,
      user_id: user.id,
      model: result.model,
      ...result.usage,
      duration_ms: result.duration_ms,
      cost_usd: result.cost_usd,
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
            cost_usd: usage.cost_usd ?? null,
            cached_tokens: usage.cached_prompt_tokens ?? 0,
            user_id: usage.user_id ?? user.id,
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
    await this.withinLimits(user, courseId, targets, async (projectId, calling) => {
      const request = (await this.contexts.lessons(this.db, projectId, courseId))?.request;
      if (!request) return; // deleted meanwhile
      calling();
      const result = await this.modelCalls.call(
        {
          stage: 'lessons',
          request: { ...request, lesson_count: opts.lesson_count },
          tags: { [TAG.course]: courseId, [TAG.step]: `lessons:${projectId}` },
        },
        signal,
      );
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
            cost_usd: result.cost_usd,
            cached_tokens: result.usage.cached_prompt_tokens ?? 0,
            user_id: user.id,
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
    await this.withinLimits(user, courseId, targets, async (lessonId, calling) => {
      const request = (await this.contexts.tasks(this.db, lessonId, courseId))?.request;
      if (!request) return;
      calling();
      const result = await this.modelCalls.call(
        {
          stage: 'tasks',
          request: { ...request, task_count: opts.task_count },
          tags: { [TAG.course]: courseId, [TAG.step]: `tasks:${lessonId}` },
        },
        signal,
      );
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
            cost_usd: result.cost_usd,
            cached_tokens: result.usage.cached_prompt_tokens ?? 0,
            user_id: user.id,
          },
        }),
      );
      if (out.written) written.add(lessonId);
    });
    const tree = await this.queries.tree(courseId);
    return { lessons: tree.flatMap((p) => p.lessons).filter((l) => written.has(l.id)) };
  }

  /**
   * Runs `work` for each target (one model call each, MANUAL_CONCURRENCY at a time) within the manual path's
   * limits: 409 and nothing done when it would make more calls than one request may (MANUAL_MAX_MODEL_CALLS, and
   * never more than the organization's per-minute limit); 429 when the organization's minute has no room for them
   * all. `work` calls `calling()` just before its model call; calls never made are given back.
   */
  private async withinLimits(
    user: AuthUser,
    courseId: string,
    targets: string[],
    work: (target: string, calling: () => void) => Promise<void>,
  ): Promise<void> {
    const perMinute = this.orgLimit.perMinute;
    const cap = Math.min(this.config.MANUAL_MAX_MODEL_CALLS, perMinute > 0 ? perMinute : Infinity);
    if (targets.length > cap)
      throw new ConflictError(
        `This would make ${targets.length} model calls; a manual request may make at most ${cap}. ` +
          `Queue the course instead (POST /api/admin/curriculum/generate/${courseId}/queue)`,
        { model_calls: targets.length, max_model_calls: cap },
      );
    if (targets.length === 0) return;
    const reservation: ModelCallReservation = await this.orgLimit.take(user.organization_id, targets.length);
    let made = 0;
    try {
      await eachLimited(targets, MANUAL_CONCURRENCY, (target) => work(target, () => (made += 1)));
    } finally {
      await reservation
        .giveBack(targets.length - made)
        .catch((err: unknown) =>
          this.logger.warn({ msg: 'Could not give back unused model calls', error: (err as Error).message }),
        );
    }
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
