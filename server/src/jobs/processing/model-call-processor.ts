import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { LessonGenerator } from '../../generation/generators/lesson.generator';
import { OutlineGenerator } from '../../generation/generators/outline.generator';
import { TaskGenerator } from '../../generation/generators/task.generator';
import { LlmError } from '../../generation/llm-error';
import type { ModelCall } from '../../model-budget/model-call-gateway';
import { ModelCallPayload } from '../jobs.constants';
import { CancelBus } from '../engine/cancel-bus';
import { ModelCallOutcome, outcomeOfError } from './model-call-outcome';

/**
 * Runs a synchronous endpoint's model call (MODEL_CALL_JOB) in a worker, in a slot of the steps queue. A model
 * failure is the job's result, not its failure, so the waiting request gets the LlmError back with its kind and
 * Retry-After; the call is aborted when the request withdraws it (cancel bus, keyed by the queue job id).
 */
@Injectable()
export class ModelCallProcessor {
  constructor(
    private readonly outlines: OutlineGenerator,
    private readonly lessons: LessonGenerator,
    private readonly tasks: TaskGenerator,
    private readonly cancels: CancelBus,
  ) {}

  async run(job: Job<ModelCallPayload>): Promise<ModelCallOutcome> {
    const abort = this.cancels.register(job.id!);
    try {
      return { ok: true, result: await this.generate(job.data.call, abort.signal) };
    } catch (err) {
      if (err instanceof LlmError) return outcomeOfError(err);
      throw err;
    } finally {
      abort.release();
    }
  }

  private generate(call: ModelCall, signal: AbortSignal): Promise<unknown> {
    switch (call?.stage) {
      case 'outline':
        return this.outlines.propose(call.request, signal, call.tags);
      case 'lessons':
        return this.lessons.generate(call.request, signal, call.tags);
      case 'tasks':
        return this.tasks.generate(call.request, signal, call.tags);
      default: // a payload this product did not write (Redis access, a writable Bull Board): refused, not retried
        throw new UnrecoverableError(
          `Refused a model call of unknown stage ${JSON.stringify((call as { stage?: unknown } | undefined)?.stage)}`,
        );
    }
  }
}
