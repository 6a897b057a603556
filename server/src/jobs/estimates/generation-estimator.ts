import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GenerationEstimate, RegenerationTarget } from '../../../../contracts/api';
import type { AuthUser } from '../../accounts/auth';
import { NotFoundError } from '../../common/domain-error';
import { AppConfig } from '../../config/app-config';
import { CourseGenerationItems } from '../../curriculum/course-generation-items.service';
import { GenerationContexts } from '../../curriculum/generation-contexts';
import { COUNT_LIMITS, DEFAULT_COUNTS } from '../../generation/generation.constants';
import { lessonsPrompt } from '../../generation/prompts/lessons.prompt';
import { tasksPrompt } from '../../generation/prompts/tasks.prompt';
import { modelForStage } from '../../generation/providers/model-for-stage';
import { PriceTable } from '../../pricing/price-table';
import { courseCalls, DEFAULT_FIGURES, estimate, StageFigures } from './estimate-arithmetic';

/** Earlier steps a median is taken over (the latest ones): enough to be stable, few enough to stay cheap. */
const HISTORY_STEPS = 200;

type Stage = 'lessons' | 'tasks';

/**
 * What generating a course (or regenerating one part) will cost, before it is queued (docs/costs.md, "Budgets and
 * estimates"): the calls from the course tree, per call the median tokens and duration of the organization's earlier
 * succeeded steps with the same model and prompt id (built-in defaults before there is any), priced by the
 * PriceTable, timed by the concurrency settings.
 */
@Injectable()
export class GenerationEstimator {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly prices: PriceTable,
    private readonly items: CourseGenerationItems,
    private readonly contexts: GenerationContexts,
  ) {}

  async estimate(
    user: AuthUser,
    courseId: string,
    part?: { target: RegenerationTarget; id: string },
  ): Promise<GenerationEstimate> {
    const calls = part
      ? await this.partCalls(courseId, user.organization_id, part)
      : await this.courseCalls(user, courseId);
    const [lessons, tasks] = await Promise.all([
      this.figures(user.organization_id, 'lessons'),
      this.figures(user.organization_id, 'tasks'),
    ]);
    return estimate(
      [
        { calls: calls.lessons, figures: lessons, cost_per_call: this.price('lessons', lessons) },
        { calls: calls.tasks, figures: tasks, cost_per_call: this.price('tasks', tasks) },
      ],
      {
        step_concurrency: this.config.STEP_CONCURRENCY,
        model_concurrency: this.config.MODEL_CONCURRENCY,
        calls_per_minute: this.config.MODEL_CALLS_PER_MINUTE,
      },
    );
  }

  private async courseCalls(user: AuthUser, courseId: string): Promise<{ lessons: number; tasks: number }> {
    const course = await this.db.transaction(async (m) => {
      const locked = await this.items.lockForGeneration(m, courseId, user.organization_id);
      return locked ? this.items.counts(courseId, m) : null;
    });
    if (!course) throw new NotFoundError('Course');
    return courseCalls(course, DEFAULT_COUNTS.lessonsPerProject);
  }

  /** A regenerated project: its lessons call, then one tasks call per lesson (as many as it has, or the default). */
  private async partCalls(
    courseId: string,
    organizationId: string,
    part: { target: RegenerationTarget; id: string },
  ): Promise<{ lessons: number; tasks: number }> {
    const owned = await this.db.transaction((m) => this.items.lockForGeneration(m, courseId, organizationId));
    if (!owned) throw new NotFoundError('Course');
    if (part.target === 'lesson_tasks') {
      if (!(await this.contexts.tasks(this.db, part.id, courseId))) throw new NotFoundError('Lesson');
      return { lessons: 0, tasks: 1 };
    }
    const work = await this.contexts.lessons(this.db, part.id, courseId);
    if (!work) throw new NotFoundError('Project');
    const lessons =
      work.existing > 0
        ? Math.min(
            Math.max(work.existing, COUNT_LIMITS.lessonsPerProject.min),
            COUNT_LIMITS.lessonsPerProject.max,
          )
        : DEFAULT_COUNTS.lessonsPerProject;
    return { lessons: 1, tasks: lessons };
  }

  /** The stage's model as configured (null for the sample generator without LLM_MODEL). */
  private model(stage: Stage): string | null {
    try {
      return modelForStage(this.config, stage);
    } catch {
      return null;
    }
  }

  private price(stage: Stage, f: StageFigures): number | null {
    return this.prices.cost(
      {
        prompt_tokens: f.prompt_tokens,
        completion_tokens: f.completion_tokens,
        cached_prompt_tokens: f.cached_tokens,
      },
      this.model(stage) ?? '',
      stage,
    );
  }

  /** Medians of the organization's latest succeeded steps of this model and prompt id, else the defaults. */
  private async figures(organizationId: string, stage: Stage): Promise<StageFigures> {
    const promptId = stage === 'lessons' ? lessonsPrompt.id : tasksPrompt.id;
    // generation_steps belongs to the jobs module (this one); a provider may answer with a dated model id.
    const rows: { n: number; p: number; c: number; k: number; d: number }[] = await this.db.query(
      `SELECT count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY prompt_tokens) AS p,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY completion_tokens) AS c,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY cached_tokens) AS k,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS d
       FROM (SELECT s.prompt_tokens, s.completion_tokens, s.cached_tokens, s.duration_ms
             FROM generation_steps s JOIN course_generation_jobs j ON j.id = s.job_id
             WHERE j.organization_id = $1 AND s.status = 'succeeded' AND s.prompt_id = $2
               AND ($3::text IS NULL OR s.model = $3 OR s.model LIKE $3 || '-%')
             ORDER BY s.finished_at DESC LIMIT ${HISTORY_STEPS}) recent`,
      [organizationId, promptId, this.model(stage)],
    );
    const r = rows[0];
    if (!r || r.n === 0) return DEFAULT_FIGURES[stage];
    return {
      prompt_tokens: Math.round(Number(r.p)),
      completion_tokens: Math.round(Number(r.c)),
      cached_tokens: Math.round(Number(r.k)),
      duration_ms: Math.round(Number(r.d)),
      from_history: true,
    };
  }
}
