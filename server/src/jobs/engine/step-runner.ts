import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { LlmError } from '../../generation/llm-error';
import { addLogFields } from '../../logging/log-context';
import { countJobEvent, countModelUsage, timeStep } from '../../metrics/metrics';
import { OrgBudgets } from '../../model-budget/org-budgets';
import { StepPayload } from '../jobs.constants';
import { CancelBus } from './cancel-bus';
import { error as errorEntry, LOG } from './job-log';
import { JobQueue } from './job-queue';
import { JobRow, JobStore } from './job-store';
import { JobTypeDefinition, PhaseDefinition, StepContext, StepWork } from './job-type';
import { JobTypeRegistry } from './job-type-registry';
import { isInfrastructureError, reasonOf, stepBackoffDelay } from './step-errors';
import { StepKey, StepStore } from './step-store';

export type StepOutcome = 'written' | 'skipped';

/** Thrown inside a step's write transaction to roll it back: the job moved on (cancelled, another run). */
const JOB_MOVED_ON = new Error('the job moved on');
/** Thrown inside a step's write transaction to roll it back: the item already has its result. */
const ALREADY_WRITTEN = new Error('nothing to write');

/** Where an infrastructure hiccup puts a step back, without spending an attempt. */
const INFRA_RETRY_DELAY_MS = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What is wrong with a step's payload (anyone who can add a job to the queue can craft one), or null. `kinds` are
 * the registered step kinds.
 */
export function stepPayloadProblem(
  p: Partial<StepPayload> | null | undefined,
  kinds: string[],
): string | null {
  if (!p || typeof p !== 'object') return 'the payload is not an object';
  if (typeof p.kind !== 'string' || !kinds.includes(p.kind)) return `kind must be one of ${kinds.join(', ')}`;
  if (typeof p.job_id !== 'string' || !UUID.test(p.job_id)) return 'job_id must be a job id (uuid)';
  if (typeof p.item_id !== 'string' || !UUID.test(p.item_id)) return 'item_id must be an item id (uuid)';
  if (!Number.isInteger(p.retry) || (p.retry as number) < 0) return 'retry must be a whole number ≥ 0';
  return null;
}

/**
 * One step of any job type: the phase's `runStep` on one item (for course generation, one model call: the lessons
 * of one project or the tasks of one lesson). It writes nothing unless the job is still in that phase (checked under
 * a row lock in the same transaction as the write), skips items that already have their result (a re-delivered step
 * never duplicates), and is aborted when the job is cancelled.
 *
 * It trusts nothing in its payload but the job id: the item is looked up within the job's own scope (the phase's
 * `load`), and an item outside it fails the job with a readable error instead of being written (docs/queue.md,
 * "Steps trust nothing").
 */
@Injectable()
export class StepRunner {
  private readonly logger = new Logger(StepRunner.name);
  private readonly scopes = new JobScopes();

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly steps: StepStore,
    private readonly registry: JobTypeRegistry,
    private readonly cancels: CancelBus,
    private readonly queue: JobQueue,
    private readonly budgets: OrgBudgets,
  ) {}

  /** One attempt, timed for the metrics by its kind (an unknown kind: `invalid`) and how it ended. */
  async run(job: Job<StepPayload>, token: string | undefined): Promise<StepOutcome> {
    const kind = this.registry.phaseOf(String(job.data?.kind)) ? job.data.kind : 'invalid';
    const outcome = await timeStep(kind, () => this.attempt(job, token));
    this.logger.log(`Step ${job.id} ${outcome}`);
    return outcome;
  }

  private async attempt(job: Job<StepPayload>, token: string | undefined): Promise<StepOutcome> {
    const p = job.data;
    const problem = stepPayloadProblem(p, this.registry.kinds());
    if (problem) {
      const message = `Refused a malformed step: ${problem}`;
      this.logger.warn({ msg: 'Refused a malformed step', step: job.id, problem });
      await job.log(message).catch(() => undefined); // shown in Bull Board; there is no job row to fail
      throw new UnrecoverableError(message);
    }
    const { type, phase } = this.registry.phaseOf(p.kind)!;
    const key: StepKey = { job_id: p.job_id, run: p.retry, kind: p.kind, item_id: p.item_id };
    // Registered before the last status check: a cancel published after it aborts this call.
    const abort = this.cancels.register(p.job_id);
    let work: StepWork | null = null;
    try {
      // Two or three round trips before the step's work: the job row (the step's scope; remembered per run, since a
      // job's scope never changes), the item within that scope, then one statement that checks the job's status
      // and run, logs "Generating …" and marks the step running.
      const cached = this.scopes.get(p.job_id, p.retry);
      const row = cached ?? (await this.store.stepJob(p.job_id, type.name, phase.status, p.retry));
      if (!row) return 'skipped'; // no such job, cancelled, failed, another phase, or a step of an older run
      if (!cached) this.scopes.set(row);
      addLogFields({ job_type: row.job_type, course_id: row.course_id }); // on the step's further lines (docs/queue.md)
      work = await phase.load(row, p.item_id);
      if (!work) {
        // A remembered job may have been deleted since (its course with it): refuse only a step of a live job.
        if (cached && !(await this.store.stepJob(p.job_id, type.name, phase.status, p.retry)))
          return 'skipped';
        return await this.refuse(job, phase, phase.messages.outOfScope(p.item_id));
      }
      if (work.done) {
        await this.steps.markSkipped(key);
        return 'skipped';
      }
      // The organization's monthly budget is used up: the job pauses before this call (docs/queue.md, "Paused jobs").
      const budgetReason = await this.budgets.exhaustedReason(row.organization_id);
      if (budgetReason) {
        await this.pause(p, phase, budgetReason);
        return 'skipped';
      }
      // Not started: the job moved on (cancelled, failed, another run), or a duplicate of a finished step.
      if (!(await this.steps.start(key, work.item, phase.status, phase.messages.started(work))))
        return 'skipped';

      const ctx: StepContext = {
        job: row,
        item_id: p.item_id,
        work,
        attempt: job.attemptsMade + 1,
        signal: abort.signal,
        log: async (entry) => {
          await this.store.appendLogs(p.job_id, [phase.status], [entry]);
        },
      };
      const result = await phase.runStep(ctx);
      const usage = result.usage ?? { prompt_tokens: 0, completion_tokens: 0 };
      const done = phase.messages.done(work, result);
      // A step without a model call costs nothing; one with a call but no price is unknown (docs/costs.md).
      const cost = result.cost_usd !== undefined ? result.cost_usd : result.usage ? null : 0;
      // Reaching the monthly budget with this call pauses the job in the success statement itself.
      const monthly = await this.budgets.exhaustedReason(row.organization_id, cost ?? 0);
      let paused = false;
      try {
        await this.db.transaction(async (m) => {
          // The job's progress and the step's row first: that statement locks the job row and checks its status
          // and run (cancelled, retried meanwhile: nothing is written). If the item turns out to be done already,
          // the transaction is rolled back, progress included.
          const succeeded = await this.steps.succeed(
            m,
            key,
            { status: phase.status, step: phase.step, log: done, budget_reason: monthly },
            {
              model: result.model ?? null,
              prompt_id: result.prompt_id ?? null,
              prompt_tokens: usage.prompt_tokens,
              completion_tokens: usage.completion_tokens,
              duration_ms: result.duration_ms ?? 0,
              cost_usd: cost,
              cached_tokens: usage.cached_prompt_tokens ?? 0,
            },
          );
          if (!succeeded) throw JOB_MOVED_ON;
          paused = succeeded === 'paused';
          if ((await phase.writeResult(m, ctx, result)) === 'skipped') throw ALREADY_WRITTEN;
        });
        this.budgets.spent(row.organization_id, cost);
        countModelUsage(result.model, result.usage, cost);
        if (paused) countJobEvent(row.job_type, 'paused'); // paused at its cost cap by the success statement
        // Paused at a budget: its steps not started yet leave the queue (running ones finish and are written).
        if (paused) await this.queue.removeJob(p.job_id, p.retry);
      } catch (err) {
        if (err === JOB_MOVED_ON) return 'skipped';
        if (err === ALREADY_WRITTEN) {
          await this.steps.markSkipped(key);
          return 'skipped';
        }
        throw err;
      }
      return 'written';
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err; // refused: nothing to retry
      await this.onError(job, token, type, phase, work?.item.item_title ?? p.item_id, abort.signal, err);
      throw err; // unreachable: onError always throws
    } finally {
      abort.release();
    }
  }

  /** Decides what a failure means: put back (infrastructure), retry (attempts left), or fail the job. */
  private async onError(
    job: Job<StepPayload>,
    token: string | undefined,
    type: JobTypeDefinition,
    phase: PhaseDefinition,
    title: string,
    signal: AbortSignal,
    err: unknown,
  ): Promise<never> {
    const p = job.data;
    const key: StepKey = { job_id: p.job_id, run: p.retry, kind: p.kind, item_id: p.item_id };
    // The step's row was closed as `cancelled` by the cancel's own statement.
    if ((err instanceof LlmError && err.kind === 'aborted') || signal.aborted)
      throw new UnrecoverableError('The job was cancelled');
    if (isInfrastructureError(err) && token) {
      this.logger.warn(`Step ${job.id} hit an infrastructure error (${reasonOf(err)}); putting it back`);
      // Best effort: PostgreSQL may be the very thing that is down.
      await this.steps.markRetrying(key, 'infrastructure', reasonOf(err)).catch(() => undefined);
      await job.moveToDelayed(Date.now() + INFRA_RETRY_DELAY_MS, token);
      throw new DelayedError();
    }
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const what = phase.messages.what(title);
    const reason = reasonOf(err);
    const permanent = err instanceof LlmError && err.kind === 'permanent';
    const errorKind = errorKindOf(err);
    if (permanent || attempt >= attempts) {
      await this.failJob(p, phase, key, what, attempt, errorKind, reason);
      throw new UnrecoverableError(reason);
    }
    await this.steps.markRetrying(key, errorKind, reason);
    const delay = stepBackoffDelay(attempt, this.config.STEP_BACKOFF_MS, err);
    await this.store.appendLogs(
      p.job_id,
      [phase.status],
      [LOG.retrying(what, attempt, attempts, reason, delay)],
    );
    this.logger.debug(`Step ${job.id} of a ${type.name} job will be retried in ${delay} ms`);
    throw err;
  }

  /** The job pauses at the organization's monthly budget before this step's call (compare-and-set from its phase). */
  private async pause(p: StepPayload, phase: PhaseDefinition, reason: string): Promise<void> {
    const paused = await this.store.transition(
      p.job_id,
      [phase.status],
      'paused',
      { paused_from: phase.status, pause_reason: reason, current_item: null },
      [LOG.paused(reason)],
    );
    if (paused) await this.queue.removeJob(p.job_id, p.retry);
  }

  /**
   * A step that must not run (its item is outside the job's scope): the job fails with the reason in its log and
   * its error message, and the step fails without a retry. Nothing is written.
   */
  private async refuse(job: Job<StepPayload>, phase: PhaseDefinition, reason: string): Promise<never> {
    const p = job.data;
    const message = `Refused a ${p.kind} step: ${reason}`;
    this.logger.error({ msg: 'Refused a step outside its job', step: job.id, job_id: p.job_id, reason });
    await job.log(message).catch(() => undefined); // Bull Board's view of the step
    const failed = await this.db.transaction((m) =>
      this.store.failJobAndRelease(
        m,
        p.job_id,
        [phase.status],
        { failed_step: phase.step, error_message: message },
        [errorEntry(message, { step: job.id, item_id: p.item_id })],
      ),
    );
    if (failed) await this.queue.removeJob(p.job_id, p.retry);
    throw new UnrecoverableError(message);
  }

  /**
   * The job fails at this step. One transaction: the step's row `failed`, the job `failed` (compare-and-set; the
   * run's other open steps `cancelled`), the type's release (the course back to draft). Then its other waiting steps
   * are dropped. A step of an older run changes nothing.
   */
  private async failJob(
    p: StepPayload,
    phase: PhaseDefinition,
    key: StepKey,
    what: string,
    attempts: number,
    errorKind: string,
    reason: string,
  ): Promise<void> {
    const failed = await this.db.transaction(async (m) => {
      // The job row first, then step rows: the order every writer takes (two steps failing at once never deadlock).
      if (!(await this.store.lockRun(m, p.job_id, p.retry))) return null;
      await this.steps.markFailed(key, errorKind, reason, m);
      return this.store.failJobAndRelease(
        m,
        p.job_id,
        [phase.status],
        { failed_step: phase.step, error_message: `Could not generate the ${what}: ${reason}` },
        [LOG.failed(what, attempts, reason)],
      );
    });
    if (!failed) return;
    await this.queue.removeJob(p.job_id, p.retry);
  }
}

/**
 * The job rows steps ran under lately, by job and run: a job's scope (id, course, organization, type, params) never
 * changes, so the steps of one run read it once per process. Its status and progress may be stale here — every
 * statement that depends on them checks them itself. Bounded: the oldest entries go first.
 */
class JobScopes {
  private static readonly MAX = 1000;
  private readonly rows = new Map<string, JobRow>();

  get(jobId: string, run: number): JobRow | undefined {
    return this.rows.get(`${jobId}:${run}`);
  }

  set(row: JobRow): void {
    if (this.rows.size >= JobScopes.MAX) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(`${row.id}:${row.retry_count}`, row);
  }
}

/** The classified kind of a step's error, for its attempt history. */
function errorKindOf(err: unknown): string {
  if (err instanceof LlmError) return err.kind;
  if (isInfrastructureError(err)) return 'infrastructure';
  return 'error';
}
