import { Inject, Injectable } from '@nestjs/common';
import { PriceTable } from '../../pricing/price-table';
import { COUNT_LIMITS, DEFAULT_COUNTS, LLM_PROVIDER, TAG } from '../generation.constants';
import type { LlmProvider } from '../llm-provider';
import { lessonsPrompt } from '../prompts/lessons.prompt';
import type { LessonsContext } from '../prompts/prompt-context';
import {
  LESSONS_SCHEMA_NAME,
  lessonsForProjectSchema,
  type GeneratedLesson,
} from '../schemas/lessons.schema';
import { countWithin } from './counts';
import { withStageTags, type GenerationResult } from './generation-result';

export type LessonsRequest = Omit<LessonsContext, 'stage' | 'lesson_count' | 'existing_lessons'> & {
  /** Lessons to write (default 3, 1–8). */
  lesson_count?: number;
  existing_lessons?: string[];
};

/** The lessons of one project (one model call). Knows no tables and no queues. */
@Injectable()
export class LessonGenerator {
  constructor(
    @Inject(LLM_PROVIDER) private readonly llm: LlmProvider,
    private readonly prices: PriceTable,
  ) {}

  async generate(
    req: LessonsRequest,
    signal?: AbortSignal,
    tags?: Record<string, string>,
  ): Promise<GenerationResult<GeneratedLesson>> {
    const ctx: LessonsContext = {
      ...req,
      stage: 'lessons',
      existing_lessons: req.existing_lessons ?? [],
      lesson_count: countWithin(
        'lesson_count',
        req.lesson_count,
        DEFAULT_COUNTS.lessonsPerProject,
        COUNT_LIMITS.lessonsPerProject,
      ),
    };
    const result = await this.llm.generateObject({
      stage: 'lessons',
      schema: lessonsForProjectSchema(ctx.lesson_count),
      schemaName: LESSONS_SCHEMA_NAME,
      system: lessonsPrompt.system,
      prompt: lessonsPrompt.render(ctx),
      context: ctx,
      signal,
      tags: withStageTags(tags, {
        [TAG.stage]: 'lessons',
        [TAG.prompt]: lessonsPrompt.id,
        [TAG.count]: String(ctx.lesson_count),
      }),
    });
    return {
      items: result.object.lessons,
      usage: result.usage,
      model: result.model,
      duration_ms: result.duration_ms,
      prompt_id: lessonsPrompt.id,
      cost_usd: this.prices.cost(result.usage, result.model, 'lessons'),
    };
  }
}
