import { Inject, Injectable } from '@nestjs/common';
import { PriceTable } from '../../pricing/price-table';
import { COUNT_LIMITS, DEFAULT_COUNTS, LLM_PROVIDER, TAG } from '../generation.constants';
import type { LlmProvider } from '../llm-provider';
import type { TasksContext } from '../prompts/prompt-context';
import { tasksPrompt } from '../prompts/tasks.prompt';
import { TASKS_SCHEMA_NAME, tasksForLessonSchema, type GeneratedTask } from '../schemas/tasks.schema';
import { countWithin } from './counts';
import { withStageTags, type GenerationResult } from './generation-result';

export type TasksRequest = Omit<TasksContext, 'stage' | 'task_count' | 'existing_tasks'> & {
  /** Tasks to write (default 3, 1–8). */
  task_count?: number;
  existing_tasks?: string[];
};

/** The tasks of one lesson (one model call). Knows no tables and no queues. */
@Injectable()
export class TaskGenerator {
  constructor(
    @Inject(LLM_PROVIDER) private readonly llm: LlmProvider,
    private readonly prices: PriceTable,
  ) {}

  async generate(
    req: TasksRequest,
    signal?: AbortSignal,
    tags?: Record<string, string>,
  ): Promise<GenerationResult<GeneratedTask>> {
    const ctx: TasksContext = {
      ...req,
      stage: 'tasks',
      existing_tasks: req.existing_tasks ?? [],
      task_count: countWithin(
        'task_count',
        req.task_count,
        DEFAULT_COUNTS.tasksPerLesson,
        COUNT_LIMITS.tasksPerLesson,
      ),
    };
    const result = await this.llm.generateObject({
      stage: 'tasks',
      schema: tasksForLessonSchema(ctx.task_count),
      schemaName: TASKS_SCHEMA_NAME,
      system: tasksPrompt.system,
      prompt: tasksPrompt.render(ctx),
      context: ctx,
      signal,
      tags: withStageTags(tags, {
        [TAG.stage]: 'tasks',
        [TAG.prompt]: tasksPrompt.id,
        [TAG.count]: String(ctx.task_count),
      }),
    });
    return {
      items: result.object.tasks,
      usage: result.usage,
      model: result.model,
      duration_ms: result.duration_ms,
      prompt_id: tasksPrompt.id,
      cost_usd: this.prices.cost(result.usage, result.model, 'tasks'),
    };
  }
}
