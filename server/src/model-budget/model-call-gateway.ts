import type { Outline } from '../../../contracts/api';
import type { GenerationResult } from '../generation/generators/generation-result';
import type { LessonsRequest } from '../generation/generators/lesson.generator';
import type { OutlineRequest } from '../generation/generators/outline.generator';
import type { TasksRequest } from '../generation/generators/task.generator';
import type { GeneratedLesson } from '../generation/schemas/lessons.schema';
import type { GeneratedTask } from '../generation/schemas/tasks.schema';

/** One model call a synchronous endpoint wants made: which generator, its request, and the call's tags. */
export type ModelCall =
  | { stage: 'outline'; request: OutlineRequest; tags?: Record<string, string> }
  | { stage: 'lessons'; request: LessonsRequest; tags?: Record<string, string> }
  | { stage: 'tasks'; request: TasksRequest; tags?: Record<string, string> };

export interface ModelCallResults {
  outline: GenerationResult<Outline>;
  lessons: GenerationResult<GeneratedLesson>;
  tasks: GenerationResult<GeneratedTask>;
}

/**
 * The port through which synchronous endpoints make model calls under the cluster's one model budget
 * (MODEL_CONCURRENCY, MODEL_CALLS_PER_MINUTE), the same budget the queue's steps take: docs/queue.md, "One model
 * budget". The jobs module provides it; its callers know no queues.
 *
 * Fails with an LlmError like a generator: the provider's own failure, `rate_limited` when no slot of the budget
 * became free within SYNC_MODEL_WAIT_MS, `aborted` when `signal` fired (the call is then withdrawn or aborted).
 */
export interface ModelCallGateway {
  call<C extends ModelCall>(call: C, signal?: AbortSignal): Promise<ModelCallResults[C['stage']]>;
}

export const MODEL_CALL_GATEWAY = Symbol('MODEL_CALL_GATEWAY');
