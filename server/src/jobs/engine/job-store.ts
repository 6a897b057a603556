// Failing a job: `failJobAndRelease(m, …)` below moves the row to `failed`, cancels its open steps and runs its job
// type's `release` (course generation: the course back to draft) in ONE transaction — every fail path calls it.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  STEP_STATUSES,
  type JobLogEntry,
  type JobStatus,
  type JobStep,
  type JobView,
  type RegenerationTarget,
  type RegenerationTargetView,
  type StepStatus,
} from '../../../../contracts/api';
import { countJobEvent } from '../../metrics/metrics';
import { JobTypeRegistry } from './job-type-registry';
import { ACTIVE_STATUSES } from '../jobs.constants';

/** A job row as stored (snake_case, without logs). */
export interface JobRow {
  id: string;
  course_id: string;
  user_id: string;
  organization_id: string;
  status: JobStatus;
  current_step: JobStep | null;
  current_item: string | null;
  items_completed: number;
  items_total: number;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
  error_message: string | null;
  failed_step: JobStep | null;
  retry_count: number;
  auto_publish: boolean;
  prompt_tokens: string;
  completion_tokens: string;
  /** numeric and bigint columns arrive as strings. */
  cost_usd: string;
  unpriced_calls: number;
  cached_tokens: string;
  /** Budgets (docs/queue.md, "Paused jobs"): the cap (numeric: a string), and where and why a job paused. */
  max_cost_usd: string | null;
  paused_from: JobStatus | null;
  pause_reason: string | null;
  job_type: string;
  /** The job type's parameters (docs/extending.md). */
  params: Record<string, unknown>;
}

/** A page of a job's log: entries oldest first; `cursor` is the last one's id (pass it as `after`). */
export interface LogPage {
  logs: JobLogEntry[];
  cursor: string | null;
  more: boolean;
}

/** Entries per page of GET …/jobs/:jobId (docs/queue.md, "The job log"). */
export const LOG_PAGE_SIZE = 500;

/** Columns a transition may set (besides status, logs and updated_at). */
export type JobChanges = Partial<
  Pick<
    JobRow,
    | 'current_step'
    | 'current_item'
    | 'items_completed'
    | 'items_total'
    | 'error_message'
    | 'failed_step'
    | 'paused_from'
    | 'pause_reason'
    | 'max_cost_usd'
  >
> & {
  started_at?: 'now' | 'keep-or-now' | null;
  completed_at?: 'now' | null;
  /** 'increment' adds one in SQL (a retry's run number, never from a stale read). */
  retry_count?: number | 'increment';
};

export interface JobListFilter {
  organization_id: string;
  user_id?: string;
  course_id?: string;
  statuses?: JobStatus[];
  /** Part of the course title, any case (a trigram index serves it: migrations/1796000700000-JobListIndexes.ts). */
  search?: string;
  job_type?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < before */
  before?: Date;
  page: number;
  page_size: number;
}

const COLUMNS = `j.id, j.course_id, j.user_id, j.organization_id, j.status, j.current_step, j.current_item,
  j.items_completed, j.items_total, j.created_at, j.started_at, j.completed_at, j.updated_at, j.error_message,
  j.failed_step, j.retry_count, j.auto_publish, j.prompt_tokens, j.completion_tokens, j.job_type, j.params,
  j.cost_usd, j.unpriced_calls, j.cached_tokens, j.max_cost_usd, j.paused_from, j.pause_reason`;
const RETURNING = COLUMNS.replace(/\bj\./g, '');
const ACTIVE_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** Inserts the entries of JSON array parameter `$param` into job_logs for the job(s) in CTE `from`, in order. */
export const insertLogs = (from: string, param: number): string =>
  `INSERT INTO job_logs (job_id, timestamp, level, message, details)
   SELECT ${from}.id, COALESCE((e.entry->>'timestamp')::timestamptz, now()), e.entry->>'level', e.entry->>'message',
          e.entry->'details'
   FROM ${from}, jsonb_array_elements($${param}::jsonb) WITH ORDINALITY AS e(entry, n) ORDER BY e.n`;

/**
 * A terminal transition (`failed`, `cancelled`) also closes the run's open steps: every `queued` or `running` step
 * becomes `cancelled` in the same statement (its running attempt, if any, is closed as `cancelled`).
 */
const cancelOpenSteps = (from: string): string =>
  `UPDATE generation_steps s SET status = 'cancelled', finished_at = now(), updated_at = now(),
     attempt_history = CASE WHEN s.status = 'running' AND jsonb_array_length(s.attempt_history) > 0
       THEN jsonb_set(s.attempt_history, ARRAY[(jsonb_array_length(s.attempt_history) - 1)::text],
              (s.attempt_history->-1) || jsonb_build_object('outcome', 'cancelled',
                'finished_at', to_jsonb(now())))
       ELSE s.attempt_history END
   FROM ${from} WHERE s.job_id = ${from}.id AND s.run = ${from}.retry_count AND s.status IN ('queued', 'running')
     AND ${from}.status IN ('failed', 'cancelled')`;

/** Per-status counts of the job's current run (one grouped subquery over the steps index), as jsonb. */
const STEP_COUNTS_SQL = `(SELECT COALESCE(jsonb_object_agg(sc.status, sc.n), '{}'::jsonb)
   FROM (SELECT s.status, count(*)::int AS n FROM generation_steps s
         WHERE s.job_id = j.id AND s.run = j.retry_count GROUP BY s.status) sc) AS step_counts`;

/**
 * All SQL of course_generation_jobs and job_logs. Every status change is a compare-and-set
 * (`… WHERE status = ANY(allowed)`), so a late worker can never move a terminal job; its log lines are inserted into
 * job_logs by the same statement. A log line is one INSERT: its cost does not grow with the job (docs/queue.md).
 */
@Injectable()
export class JobStore {
  constructor(
    private readonly db: DataSource,
    private readonly registry: JobTypeRegistry,
  ) {}

  async insert(
    m: EntityManager,
    input: Pick<JobRow, 'course_id' | 'user_id' | 'organization_id' | 'auto_publish'> &
      Partial<Pick<JobRow, 'job_type' | 'params'>> & { max_cost_usd?: number | null },
  ): Promise<JobRow> {
    const rows: JobRow[] = await m.query(
      `INSERT INTO course_generation_jobs
         (course_id, user_id, organization_id, auto_publish, job_type, params, max_cost_usd)
       VALUES ($1, $2, $3, $4, COALESCE($5, 'course_generation'), COALESCE($6::jsonb, '{}'::jsonb), $7)
       RETURNING ${RETURNING}`,
      [
        input.course_id,
        input.user_id,
        input.organization_id,
        input.auto_publish,
        input.job_type ?? null,
        input.params ? JSON.stringify(input.params) : null,
        input.max_cost_usd ?? null,
      ],
    );
    // Metrics count at the statement, not the commit: a rolled-back transaction (rare) still counts (docs/queue.md).
    countJobEvent(rows[0].job_type, 'created');
    return rows[0];
  }

  async find(id: string, q: Queryable = this.db): Promise<JobRow | null> {
    const rows: JobRow[] = await q.query(`SELECT ${COLUMNS} FROM course_generation_jobs j WHERE j.id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async findActiveForCourse(courseId: string, q: Queryable = this.db): Promise<JobRow | null> {
    const rows: JobRow[] = await q.query(
      `SELECT ${COLUMNS} FROM course_generation_jobs j WHERE j.course_id = $1 AND j.status IN ${ACTIVE_SQL}`,
      [courseId],
    );
    return rows[0] ?? null;
  }

  /** Compare-and-set: moves the job to `to` only from one of `from`; returns the new row, or null if it was not there. */
  async transition(
    id: string,
    from: JobStatus[],
    to: JobStatus,
    changes: JobChanges,
    logs: JobLogEntry[],
    q: Queryable = this.db,
  ): Promise<JobRow | null> {
    const params: unknown[] = [id, from, to, JSON.stringify(logs)];
    const sets = ['status = $3', 'updated_at = now()'];
    for (const [column, value] of Object.entries(changes)) {
      if (column === 'started_at' || column === 'completed_at') {
        sets.push(
          value === 'now'
            ? `${column} = now()`
            : value === 'keep-or-now'
              ? `${column} = COALESCE(${column}, now())`
              : `${column} = NULL`,
        );
      } else if (column === 'retry_count' && value === 'increment') {
        sets.push('retry_count = retry_count + 1');
      } else {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      }
    }
    const rows: JobRow[] = await q.query(
      `WITH moved AS (
         UPDATE course_generation_jobs SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2) RETURNING ${RETURNING}
       ), logged AS (${insertLogs('moved', 4)}),
       closed AS (${cancelOpenSteps('moved')})
       SELECT * FROM moved`,
      params,
    );
    if (rows[0]) countJobEvent(rows[0].job_type, to); // completed, failed, cancelled, paused (metrics.ts)
    return rows[0] ?? null;
  }

  /** Appends log entries while the job is in one of `statuses` (a late worker never writes into a finished job). */
  async appendLogs(
    id: string,
    statuses: JobStatus[],
    logs: JobLogEntry[],
    changes: Pick<JobChanges, 'current_item'> = {},
    q: Queryable = this.db,
  ): Promise<boolean> {
    const params: unknown[] = [id, statuses, JSON.stringify(logs)];
    // Without a change the job row is only read, not locked or rewritten: a log line is one INSERT.
    let job = `SELECT id FROM course_generation_jobs WHERE id = $1 AND status = ANY($2)`;
    if (changes.current_item !== undefined) {
      params.push(changes.current_item);
      job = `UPDATE course_generation_jobs SET current_item = $4, updated_at = now()
             WHERE id = $1 AND status = ANY($2) RETURNING id`;
    }
    const rows: { n: number }[] = await q.query(
      `WITH job AS (${job}), logged AS (${insertLogs('job', 3)}) SELECT count(*)::int AS n FROM job`,
      params,
    );
    return rows[0]?.n === 1;
  }

  /**
   * The job a step works for: its row, only while the job is of type `jobType`, in `status` and still in run `retry`;
   * null otherwise (no such job, another type or phase, an older run). A step's payload names the job; everything
   * else it touches is looked up within this job's scope, never taken from the payload (docs/queue.md).
   */
  async stepJob(id: string, jobType: string, status: JobStatus, retry: number): Promise<JobRow | null> {
    const rows: JobRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM course_generation_jobs j
       WHERE j.id = $1 AND j.job_type = $2 AND j.status = $3 AND j.retry_count = $4`,
      [id, jobType, status, retry],
    );
    return rows[0] ?? null;
  }

  /** Reads the row and locks it until the transaction ends (a read that a concurrent change cannot make stale). */
  async lock(m: EntityManager, id: string): Promise<JobRow | null> {
    const rows: JobRow[] = await m.query(
      `SELECT ${COLUMNS} FROM course_generation_jobs j WHERE j.id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Locks the row (inside a transaction) if it is still in run `retry`: the row, or null (another run, or gone). */
  async lockRun(m: EntityManager, id: string, retry: number): Promise<JobRow | null> {
    const rows: JobRow[] = await m.query(
      `SELECT ${COLUMNS} FROM course_generation_jobs j WHERE j.id = $1 AND j.retry_count = $2 FOR UPDATE`,
      [id, retry],
    );
    return rows[0] ?? null;
  }

  /** Locks the row if it is in `status` (inside the step's write transaction); false means: write nothing. */
  async lockIfStatus(m: EntityManager, id: string, status: JobStatus): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM course_generation_jobs WHERE id = $1 AND status = $2 FOR UPDATE`,
      [id, status],
    );
    return rows.length === 1;
  }

  /**
   * The job fails and its job type's `release` runs (course generation: the course returns to draft) in one
   * transaction: a crash between them can no longer leave a `generating` course without a job. Compare-and-set from
   * `from`; the run's open steps become `cancelled` in the same statement. Returns the failed row, or null when the
   * job was not in `from`.
   */
  async failJobAndRelease(
    m: EntityManager,
    id: string,
    from: JobStatus[],
    changes: Pick<JobChanges, 'failed_step' | 'error_message'>,
    logs: JobLogEntry[],
  ): Promise<JobRow | null> {
    const failed = await this.transition(id, from, 'failed', { ...changes, completed_at: 'now' }, logs, m);
    if (failed) await this.registry.find(failed.job_type)?.release?.(m, failed);
    return failed;
  }

  /** A page of the job's log, oldest first: from the start, or the entries after `after` (a job_logs id). */
  async logPage(id: string, after: string | null, limit = LOG_PAGE_SIZE): Promise<LogPage> {
    const rows: (JobLogEntry & { id: string })[] = await this.db.query(
      `SELECT id::text AS id, timestamp, level, message, details FROM job_logs
       WHERE job_id = $1 AND id > $2::bigint ORDER BY job_logs.id LIMIT $3`, // the column, not the text alias `id`
      [id, after ?? '0', limit + 1],
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return {
      logs: page.map((r) => ({
        timestamp: new Date(r.timestamp).toISOString(),
        level: r.level,
        message: r.message,
        ...(r.details ? { details: r.details } : {}),
      })),
      cursor: page.at(-1)?.id ?? after,
      more,
    };
  }

  /** Non-terminal jobs, oldest first (the reconciler's work list). Pending rows younger than `pendingGraceMs` are
   *  left alone: the API enqueues them itself right after the commit. */
  async nonTerminal(pendingGraceMs: number, limit = 1000): Promise<JobRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM course_generation_jobs j
       WHERE j.status IN ${ACTIVE_SQL} AND j.status <> 'paused' -- a paused job waits for Resume, not a worker
         AND (j.status <> 'pending' OR j.created_at < now() - make_interval(secs => $1::float / 1000))
       ORDER BY j.created_at LIMIT $2`,
      [pendingGraceMs, limit],
    );
  }

  /**
   * The job as the API shows it. The JOIN to `courses` for its title is the one read of a curriculum table here: a
   * display read in the same query as the page of jobs (docs/extending.md, "Registering it").
   */
  async viewOne(id: string, organizationId: string): Promise<JobView | null> {
    const rows: ViewRow[] = await this.db.query(
      `SELECT ${COLUMNS}, c.title AS course_title, ${STEP_COUNTS_SQL}
       FROM course_generation_jobs j JOIN courses c ON c.id = j.course_id
       WHERE j.id = $1 AND j.organization_id = $2`,
      [id, organizationId],
    );
    return rows[0] ? toJobView(rows[0]) : null;
  }

  /** A page of jobs, newest first, without logs (the dashboard polls this). */
  async list(filter: JobListFilter): Promise<{ jobs: JobView[]; total: number }> {
    const params: unknown[] = [filter.organization_id];
    const where = ['j.organization_id = $1'];
    if (filter.user_id) {
      params.push(filter.user_id);
      where.push(`j.user_id = $${params.length}`);
    }
    if (filter.course_id) {
      params.push(filter.course_id);
      where.push(`j.course_id = $${params.length}`);
    }
    if (filter.statuses) {
      const isActive =
        filter.statuses.length === ACTIVE_STATUSES.length &&
        ACTIVE_STATUSES.every((s) => filter.statuses!.includes(s));
      if (isActive) {
        where.push(`j.status IN ${ACTIVE_SQL}`); // literal, so the planner can use the partial index
      } else {
        params.push(filter.statuses);
        where.push(`j.status = ANY($${params.length})`);
      }
    }
    if (filter.job_type) {
      params.push(filter.job_type);
      where.push(`j.job_type = $${params.length}`);
    }
    if (filter.from) {
      params.push(filter.from);
      where.push(`j.created_at >= $${params.length}`);
    }
    if (filter.before) {
      params.push(filter.before);
      where.push(`j.created_at < $${params.length}`);
    }
    if (filter.search) {
      // ILIKE with the wildcards escaped, so `50%` finds "50%" and not everything.
      params.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`c.title ILIKE $${params.length}`);
    }
    const whereSql = where.join(' AND ');
    // The count joins courses only when the title is searched.
    const countFrom = filter.search
      ? 'course_generation_jobs j JOIN courses c ON c.id = j.course_id'
      : 'course_generation_jobs j';
    const countParams = [...params];
    params.push(filter.page_size, (filter.page - 1) * filter.page_size);
    const [rows, count] = await Promise.all([
      this.db.query(
        // The counts are computed for the page's rows only (the subquery runs after LIMIT), each from the
        // steps index: the dashboard's poll stays cheap however many steps the organization has.
        `SELECT p.*, ${STEP_COUNTS_SQL.replace(/\bj\./g, 'p.')}
         FROM (SELECT ${COLUMNS}, c.title AS course_title
               FROM course_generation_jobs j JOIN courses c ON c.id = j.course_id
               WHERE ${whereSql} ORDER BY j.created_at DESC, j.id DESC
               LIMIT $${params.length - 1} OFFSET $${params.length}) p
         ORDER BY p.created_at DESC, p.id DESC`,
        params,
      ) as Promise<ViewRow[]>,
      this.db.query(`SELECT count(*)::int AS n FROM ${countFrom} WHERE ${whereSql}`, countParams) as Promise<
        { n: number }[]
      >,
    ]);
    return { jobs: rows.map(toJobView), total: count[0].n };
  }
}

type ViewRow = JobRow & { course_title: string; step_counts?: Partial<Record<StepStatus, number>> | null };

/** Every step status with its count (zero for a status with none). */
export function zeroFilledCounts(
  counts?: Partial<Record<StepStatus, number>> | null,
): Record<StepStatus, number> {
  return Object.fromEntries(STEP_STATUSES.map((s) => [s, Number(counts?.[s] ?? 0)])) as Record<
    StepStatus,
    number
  >;
}

export function toJobView(row: ViewRow): JobView {
  const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    course_id: row.course_id,
    course_title: row.course_title,
    user_id: row.user_id,
    organization_id: row.organization_id,
    status: row.status,
    current_step: row.current_step,
    current_item: row.current_item,
    items_completed: row.items_completed,
    items_total: row.items_total,
    created_at: iso(row.created_at)!,
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    updated_at: iso(row.updated_at)!,
    duration_seconds:
      row.started_at && row.completed_at
        ? Math.max(
            0,
            Math.round((new Date(row.completed_at).getTime() - new Date(row.started_at).getTime()) / 1000),
          )
        : null,
    error_message: row.error_message,
    failed_step: row.failed_step,
    retry_count: row.retry_count,
    auto_publish: row.auto_publish,
    prompt_tokens: Number(row.prompt_tokens),
    completion_tokens: Number(row.completion_tokens),
    cached_tokens: Number(row.cached_tokens ?? 0),
    ...jobCost(row),
    job_type: row.job_type,
    step_counts: zeroFilledCounts(row.step_counts),
    target: targetOf(row.params),
    max_cost_usd: row.max_cost_usd == null ? null : Number(row.max_cost_usd),
    pause_reason: row.status === 'paused' ? (row.pause_reason ?? null) : null,
  };
}

/**
 * The known sum and the calls without a price (docs/costs.md, "Unknown prices"): the sum is null only when some call
 * was unpriced and none cost anything known — never a number that hides the unknown part.
 */
function jobCost(row: ViewRow): Pick<JobView, 'cost_usd' | 'unpriced_calls'> {
  const known = Number(row.cost_usd ?? 0);
  const unpriced = Number(row.unpriced_calls ?? 0);
  return { cost_usd: unpriced > 0 && known === 0 ? null : known, unpriced_calls: unpriced };
}

/**
 * The part of the course a job rewrites, from its params (`{ target, item_id, item_title, instructions }`, set by
 * the regeneration type when the job is created — docs/regeneration.md); null for jobs of the whole course.
 */
function targetOf(params: Record<string, unknown> | null | undefined): RegenerationTargetView | null {
  if (!params || typeof params.target !== 'string' || typeof params.item_id !== 'string') return null;
  return {
    target: params.target as RegenerationTarget,
    item_id: params.item_id,
    item_title: typeof params.item_title === 'string' ? params.item_title : '',
    instructions: typeof params.instructions === 'string' ? params.instructions : null,
  };
}
