import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JobLogEntry, StepAttempt, StepStatus, StepView } from '../../../../contracts/api';
import { insertLogs } from './job-store';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Which step of which run: the row's natural key (UNIQUE (job_id, run, kind, item_id)). */
export interface StepKey {
  job_id: string;
  run: number;
  kind: string;
  item_id: string;
}

/** What a step works on, in course order (from the curriculum's services). */
export interface StepItem {
  item_id: string;
  item_title: string;
  parent_item_id: string | null;
  project_position: number;
  lesson_position: number | null;
}

export interface StepResult {
  model: string | null;
  prompt_id: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  duration_ms: number;
  /** USD; null = the model's price is unknown (docs/costs.md). */
  cost_usd: number | null;
  /** Part of prompt_tokens the provider served from its prompt cache. */
  cached_tokens: number;
}

/** An attempt history keeps at most this many entries (the latest); `attempts` still counts them all. */
export const ATTEMPT_HISTORY_LIMIT = 10;

const KEY = `job_id = $1 AND run = $2 AND kind = $3 AND item_id = $4`;
const keyParams = (k: StepKey): unknown[] => [k.job_id, k.run, k.kind, k.item_id];

/**
 * Closes the last attempt of `attempt_history` (while it is still `running`) with outcome `$outcome`, error kind
 * `$kind` and message `$message` (parameter numbers given).
 */
const closeLast = (outcome: string, kind: string, message: string): string =>
  `CASE WHEN jsonb_array_length(attempt_history) > 0 AND attempt_history->-1->>'outcome' = 'running'
     THEN jsonb_set(attempt_history, ARRAY[(jsonb_array_length(attempt_history) - 1)::text],
            (attempt_history->-1) || jsonb_build_object('outcome', ${outcome}::text, 'finished_at', to_jsonb(now()),
              'error_kind', ${kind}::text, 'error_message', ${message}::text))
     ELSE attempt_history END`;

const VIEW_COLUMNS = `id, job_id, run, kind, item_id, item_title, parent_item_id, project_position, lesson_position,
  status, attempts, attempt_history, started_at, finished_at, duration_ms, model, prompt_id, prompt_tokens,
  completion_tokens, cached_tokens, cost_usd, error_kind, error_message`;

interface StepRow extends Omit<StepView, 'started_at' | 'finished_at' | 'cost_usd'> {
  cost_usd: string | null;
  started_at: Date | null;
  finished_at: Date | null;
}

/**
 * All SQL of generation_steps: one row per step per run (docs/queue.md, "Steps"). Every change is one statement on
 * one small row — its cost does not depend on the job's size. Transitions of a run that the job already ended
 * (cancelled or failed: see JobStore.transition) are closed there, in the job's own statement.
 */
@Injectable()
export class StepStore {
  constructor(private readonly db: DataSource) {}

  /** The run's steps of one phase, `queued`, in course order — one multi-row INSERT; existing rows are kept. */
  async insertQueued(
    jobId: string,
    run: number,
    kind: string,
    items: StepItem[],
    q: Queryable = this.db,
  ): Promise<void> {
    if (items.length === 0) return;
    await q.query(
      `INSERT INTO generation_steps
         (job_id, run, kind, item_id, item_title, parent_item_id, project_position, lesson_position)
       SELECT $1, $2, $3, (e.i->>'item_id')::uuid, e.i->>'item_title', (e.i->>'parent_item_id')::uuid,
              (e.i->>'project_position')::int, (e.i->>'lesson_position')::int
       FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e(i, n)
       ORDER BY e.n
       ON CONFLICT (job_id, run, kind, item_id) DO NOTHING`,
      [jobId, run, kind, JSON.stringify(items)],
    );
  }

  /**
   * The step's work starts — ONE statement (docs/queue.md, "Steps"): while the job is in `jobStatus` and still in this
   * run, its `current_item` is set and `log` appended, and the step's row moves to `running` with one more attempt
   * in its history. An attempt still marked `running` (its worker died: SIGKILL, a stall) is closed as `failed`
   * (`interrupted`) first; the row is created if the fan-out's insert is missing (a step re-enqueued by an older
   * version). False when the step must do nothing: the job moved on (cancelled, failed, another phase or run), or the
   * step already `succeeded` (a duplicate delivery — e.g. re-enqueued after Redis lost its entry while it ran).
   * The job row is locked before the step row, the order every writer takes.
   */
  async start(key: StepKey, item: StepItem, jobStatus: string, log: JobLogEntry): Promise<boolean> {
    const rows: { started: boolean }[] = await this.db.query(
      `WITH job AS (
         UPDATE course_generation_jobs SET current_item = $5, updated_at = now()
         WHERE id = $1 AND status = $9 AND retry_count = $2 RETURNING id
       ), logged AS (${insertLogs('job', 10)}),
       step AS (
         INSERT INTO generation_steps AS s
           (job_id, run, kind, item_id, item_title, parent_item_id, project_position, lesson_position,
            status, attempts, attempt_history, started_at)
         SELECT $1::uuid, $2::int, $3::text, $4::uuid, $5::text, $6::uuid, $7::int, $8::int, 'running', 1,
                jsonb_build_array(jsonb_build_object('attempt', 1, 'started_at', to_jsonb(now()),
                  'finished_at', NULL, 'outcome', 'running', 'error_kind', NULL, 'error_message', NULL)), now()
         FROM job
         ON CONFLICT (job_id, run, kind, item_id) DO UPDATE SET
           status = 'running', attempts = s.attempts + 1, started_at = COALESCE(s.started_at, now()),
           finished_at = NULL, updated_at = now(),
           attempt_history = (
             SELECT COALESCE(jsonb_agg(e ORDER BY n), '[]'::jsonb) FROM (
               SELECT e, n FROM jsonb_array_elements(
                 (${closeLast(`'failed'`, `'interrupted'`, `'The worker stopped during this attempt'`).replace(/attempt_history/g, 's.attempt_history')})
                 || jsonb_build_array(jsonb_build_object('attempt', s.attempts + 1, 'started_at', to_jsonb(now()),
                      'finished_at', NULL, 'outcome', 'running', 'error_kind', NULL, 'error_message', NULL))
               ) WITH ORDINALITY AS h(e, n)
               ORDER BY n DESC LIMIT ${ATTEMPT_HISTORY_LIMIT}
             ) kept)
         WHERE s.status <> 'succeeded'
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM step) AS started`,
      [
        ...keyParams(key),
        item.item_title,
        item.parent_item_id,
        item.project_position,
        item.lesson_position,
        jobStatus,
        JSON.stringify([log]),
      ],
    );
    return rows[0]?.started === true;
  }

  /**
   * The step succeeded — ONE statement, the first of its write transaction (the type's `writeResult` follows in the
   * same transaction, so the row always agrees with the content; a write that turns out to be unneeded rolls it all
   * back): the job's progress moves forward (never past the total), its tokens add up and `log` is appended, and the
   * step's row becomes `succeeded` — only while the job is in `jobStatus` and still in this run. A job that `failed`
   * in this same phase and run still takes the write of a sibling whose call was in flight (its call was paid; a
   * retry then skips the item — docs/queue.md), without its status moving. The job row's lock is held until the
   * transaction ends; false means the step must write nothing.
   *
   * Budgets (docs/queue.md, "Paused jobs"), in the same statement: when the job's cost reaches its `max_cost_usd`, or
   * `job.budget_reason` is given (the organization's monthly budget is used up), the job becomes `paused` (from its
   * phase, `paused_from`) with a warning line — 'paused' is returned, so the caller drops its waiting steps. Like the
   * failed-sibling rule, a job paused in this phase and run still takes the writes of steps already running.
   */
  async succeed(
    m: EntityManager,
    key: StepKey,
    job: { status: string; step: string; log: JobLogEntry; budget_reason?: string | null },
    result: StepResult,
  ): Promise<boolean | 'paused'> {
    const rows: { paused: boolean }[] = await m.query(
      `WITH prev AS (
         SELECT id, COALESCE(status = $10 AND ($15::text IS NOT NULL
                  OR cost_usd + COALESCE($13::numeric, 0) >= max_cost_usd), false) AS pause,
                COALESCE($15::text, format('Reached its cost cap of $%s ($%s spent)',
                  to_char(max_cost_usd, 'FM999999990.00'),
                  to_char(cost_usd + COALESCE($13::numeric, 0), 'FM999999990.00'))) AS reason
         FROM course_generation_jobs
         WHERE id = $1 AND retry_count = $2
           AND (status = $10 OR (status = 'failed' AND failed_step = $11) OR (status = 'paused' AND paused_from = $10))
         FOR UPDATE
       ), paused AS (
         INSERT INTO job_logs (job_id, timestamp, level, message)
         SELECT id, now(), 'warning', 'Paused: ' || reason FROM prev WHERE pause
       ), job AS (
         UPDATE course_generation_jobs j
         SET status = CASE WHEN prev.pause THEN 'paused' ELSE j.status END,
             paused_from = CASE WHEN prev.pause THEN j.status ELSE j.paused_from END,
             pause_reason = CASE WHEN prev.pause THEN prev.reason ELSE j.pause_reason END,
             current_item = CASE WHEN prev.pause THEN NULL ELSE j.current_item END,
             items_completed = LEAST(items_completed + 1, items_total),
             prompt_tokens = prompt_tokens + $8, completion_tokens = completion_tokens + $9, updated_at = now(),
             cost_usd = cost_usd + COALESCE($13::numeric, 0), unpriced_calls = unpriced_calls + ($13::numeric IS NULL)::int,
             cached_tokens = cached_tokens + $14
         FROM prev WHERE j.id = prev.id
         RETURNING j.id, prev.pause
       ), logged AS (${insertLogs('job', 12)}),
       step AS (
         UPDATE generation_steps s SET status = 'succeeded', finished_at = now(), updated_at = now(),
           duration_ms = $5, model = $6, prompt_id = $7, prompt_tokens = $8, completion_tokens = $9,
           cost_usd = $13::numeric, cached_tokens = $14,
           error_kind = NULL, error_message = NULL,
           attempt_history = ${closeLast(`'succeeded'`, 'NULL', 'NULL').replace(/attempt_history/g, 's.attempt_history')}
         FROM job WHERE s.job_id = job.id AND s.run = $2 AND s.kind = $3 AND s.item_id = $4
       )
       SELECT pause AS paused FROM job`,
      [
        ...keyParams(key),
        result.duration_ms,
        result.model,
        result.prompt_id,
        result.prompt_tokens,
        result.completion_tokens,
        job.status,
        job.step,
        JSON.stringify([job.log]),
        result.cost_usd,
        result.cached_tokens,
        job.budget_reason ?? null,
      ],
    );
    if (rows.length !== 1) return false;
    return rows[0].paused ? 'paused' : true;
  }

  /** The item already had content: nothing to do (a succeeded row stays succeeded). */
  async markSkipped(key: StepKey): Promise<void> {
    await this.db.query(
      `UPDATE generation_steps SET status = 'skipped', finished_at = now(), updated_at = now(),
         attempt_history = ${closeLast(`'skipped'`, 'NULL', 'NULL')}
       WHERE ${KEY} AND status IN ('queued', 'running')`,
      keyParams(key),
    );
  }

  /** An attempt failed with retries left: back to `queued`, the attempt closed as `retrying` with its error. */
  async markRetrying(key: StepKey, errorKind: string, message: string): Promise<void> {
    await this.db.query(
      `UPDATE generation_steps SET status = 'queued', updated_at = now(), error_kind = $5, error_message = $6,
         attempt_history = ${closeLast(`'retrying'`, '$5', '$6')}
       WHERE ${KEY} AND status = 'running'`,
      [...keyParams(key), errorKind, message],
    );
  }

  /** The step failed for good (inside the job's fail transaction, before the job's own statement). */
  async markFailed(key: StepKey, errorKind: string, message: string, q: Queryable = this.db): Promise<void> {
    await q.query(
      `UPDATE generation_steps SET status = 'failed', finished_at = now(), updated_at = now(),
         error_kind = $5, error_message = $6,
         attempt_history = ${closeLast(`'failed'`, '$5', '$6')}
       WHERE ${KEY} AND status IN ('queued', 'running')`,
      [...keyParams(key), errorKind, message],
    );
  }

  /**
   * A paused run is resumed in a new run (docs/queue.md, "Paused jobs"): its steps never started (refused once the job
   * paused) and any still running (their write is refused: the run moved on) become `cancelled` — inside the resume's
   * transaction, after its lock on the job row.
   */
  async cancelOpen(q: Queryable, jobId: string, run: number): Promise<void> {
    await q.query(
      `UPDATE generation_steps SET status = 'cancelled', finished_at = now(), updated_at = now(),
         attempt_history = ${closeLast(`'cancelled'`, 'NULL', 'NULL')}
       WHERE job_id = $1 AND run = $2 AND status IN ('queued', 'running')`,
      [jobId, run],
    );
  }

  /**
   * One run's steps in course order: by project position, then lesson position (a project's lessons step before the
   * tasks steps of its lessons), then kind.
   */
  async list(jobId: string, run: number): Promise<StepView[]> {
    const rows: StepRow[] = await this.db.query(
      `SELECT ${VIEW_COLUMNS} FROM generation_steps WHERE job_id = $1 AND run = $2
       ORDER BY project_position, lesson_position NULLS FIRST, kind`,
      [jobId, run],
    );
    return rows.map(toStepView);
  }
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function toStepView(r: StepRow): StepView {
  return {
    id: r.id,
    job_id: r.job_id,
    run: r.run,
    kind: r.kind,
    item_id: r.item_id,
    item_title: r.item_title,
    parent_item_id: r.parent_item_id,
    project_position: r.project_position,
    lesson_position: r.lesson_position,
    status: r.status as StepStatus,
    attempts: r.attempts,
    attempt_history: (r.attempt_history as StepAttempt[]).map((a) => ({
      attempt: a.attempt,
      started_at: iso(a.started_at as unknown as Date)!,
      finished_at: iso(a.finished_at as unknown as Date),
      outcome: a.outcome,
      error_kind: a.error_kind ?? null,
      error_message: a.error_message ?? null,
    })),
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    duration_ms: r.duration_ms,
    model: r.model,
    prompt_id: r.prompt_id,
    prompt_tokens: r.prompt_tokens,
    completion_tokens: r.completion_tokens,
    cached_tokens: r.cached_tokens,
    cost_usd: r.cost_usd === null ? null : Number(r.cost_usd),
    error_kind: r.error_kind,
    error_message: r.error_message,
  };
}
