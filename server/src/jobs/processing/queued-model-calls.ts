import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, QueueEvents } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { GenerationInfoService } from '../../generation/generation-info.service';
import { LlmError } from '../../generation/llm-error';
import type { ModelCall, ModelCallGateway, ModelCallResults } from '../../model-budget/model-call-gateway';
import { RedisConnections } from '../../redis/redis-connections';
import { redisKeyPrefix } from '../../redis/redis-keys';
import { ModelCallPayload, QUEUES } from '../jobs.constants';
import { CancelBus } from '../engine/cancel-bus';
import { JobQueue } from '../engine/job-queue';
import { errorOfOutcome, ModelCallOutcome } from './model-call-outcome';

/** Retry-After of a 503 when the budget is full and no rate-limit window says when it frees. */
const BUSY_RETRY_AFTER_MS = 5000;
/** Once a worker has the call, how long past its own timeout (LLM_TIMEOUT_MS) to wait for its outcome. */
const FINISH_MARGIN_MS = 10_000;

type Waited = { outcome: ModelCallOutcome } | { timedOut: true };

/**
 * MODEL_CALL_GATEWAY as the jobs module provides it: each call is a job (MODEL_CALL_JOB) on the steps queue, run
 * by the workers like a step, so BullMQ's global concurrency (MODEL_CONCURRENCY) and rate limiter
 * (MODEL_CALLS_PER_MINUTE) cover it and the steps together, in every process. The caller awaits the job through
 * QueueEvents. A call that has not started within SYNC_MODEL_WAIT_MS is withdrawn (503 with Retry-After); an
 * aborted request withdraws its waiting call or aborts its running one through the cancel bus. docs/queue.md.
 */
@Injectable()
export class QueuedModelCalls implements ModelCallGateway, OnApplicationShutdown {
  private readonly logger = new Logger(QueuedModelCalls.name);
  private events?: Promise<QueueEvents>;

  constructor(
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
    private readonly cancels: CancelBus,
    private readonly info: GenerationInfoService,
    private readonly connections: RedisConnections,
  ) {}

  async call<C extends ModelCall>(call: C, signal?: AbortSignal): Promise<ModelCallResults[C['stage']]> {
    if (signal?.aborted) throw this.aborted();
    const events = await this.queueEvents();
    const job = await this.queue.addModelCall(call);
    const id = job.id!;

    let onAbort!: () => void;
    const abortedWait = new Promise<never>((_, reject) => {
      onAbort = () => {
        void this.withdrawOrAbort(id);
        reject(this.aborted());
      };
    });
    abortedWait.catch(() => undefined); // only observed through the race below
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let waited = await Promise.race([this.wait(job, events, this.config.SYNC_MODEL_WAIT_MS), abortedWait]);
      if ('timedOut' in waited) {
        if (await this.queue.withdrawModelCall(id)) throw await this.budgetBusy();
        // A worker has it: its own timeout (LLM_TIMEOUT_MS) bounds it.
        waited = await Promise.race([
          this.wait(job, events, this.config.LLM_TIMEOUT_MS + FINISH_MARGIN_MS),
          abortedWait,
        ]);
        if ('timedOut' in waited) {
          void this.withdrawOrAbort(id);
          throw new LlmError('transient', this.info.provider.name, 'the model call did not finish in time', {
            label: 'Model budget',
          });
        }
      }
      const { outcome } = waited;
      if (!outcome.ok) throw errorOfOutcome(outcome.error);
      return outcome.result as ModelCallResults[C['stage']];
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The job's outcome, or `timedOut` after `ms`. A job that failed in the worker (not an LlmError) throws. */
  private async wait(job: Job<ModelCallPayload>, events: QueueEvents, ms: number): Promise<Waited> {
    try {
      return { outcome: (await job.waitUntilFinished(events, ms)) as ModelCallOutcome };
    } catch (err) {
      const state = await this.queue.modelCallState(job.id!);
      if (state === 'failed' || state === 'completed' || state === 'unknown') {
        // completed at the instant the wait ended: read it; failed: its reason; unknown: removed meanwhile
        const finished = state === 'completed' ? await this.queue.modelCallReturnValue(job.id!) : undefined;
        if (finished) return { outcome: finished as ModelCallOutcome };
        throw new Error(`The model call ${job.id} ended without a result (${state})`, { cause: err });
      }
      return { timedOut: true };
    }
  }

  /** Removes a call that has not started; a running one is aborted in the worker that runs it. */
  private async withdrawOrAbort(id: string): Promise<void> {
    try {
      if (!(await this.queue.withdrawModelCall(id))) await this.cancels.broadcast(id);
    } catch (err) {
      this.logger.warn(`Could not withdraw model call ${id}: ${(err as Error).message}`);
    }
  }

  private aborted(): LlmError {
    return new LlmError('aborted', this.info.provider.name, 'the client closed the request', {
      label: 'Model budget',
    });
  }

  private async budgetBusy(): Promise<LlmError> {
    const ttl = await this.queue.modelRateLimitTtl().catch(() => 0);
    const seconds = Math.round(this.config.SYNC_MODEL_WAIT_MS / 100) / 10;
    return new LlmError(
      'rate_limited',
      this.info.provider.name,
      `no model call could start within ${seconds} s: the cluster's model budget (MODEL_CONCURRENCY, ` +
        'MODEL_CALLS_PER_MINUTE) is in use; try again later or queue the course',
      { label: 'Model budget', retryAfterMs: ttl > 0 ? ttl : BUSY_RETRY_AFTER_MS },
    );
  }

  /** One QueueEvents per process, opened on the first call (a process that never calls pays nothing). */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const events = new QueueEvents(QUEUES.steps, {
        connection: this.connections.bull('worker'),
        prefix: redisKeyPrefix(this.config),
      });
      events.on('error', (err) => this.logger.warn(`Model call events: ${err.message}`));
      try {
        await events.waitUntilReady();
      } catch (err) {
        this.events = undefined; // the next call tries again
        await events.close().catch(() => undefined);
        throw err;
      }
      return events;
    })();
    return this.events;
  }

  async onApplicationShutdown(): Promise<void> {
    const events = await this.events?.catch(() => undefined);
    await events?.close().catch(() => undefined);
  }
}
