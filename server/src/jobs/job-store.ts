import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JobLogEntry, JobStatus, JobStep, JobView } from '../../../contracts/api';
import { ACTIVE_STATUSES } from './jobs.constants';

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
}

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
    | 'retry_count'
  >
> & { started_at?: 'now' | 'keep-or-now' | null; completed_at?: 'now' | null };

export interface JobListFilter {
  organization_id: string;
  user_id?: string;
  course_id?: string;
  statuses?: JobStatus[];
  page: number;
  page_size: number;
}

const COLUMNS = `j.id, j.course_id, j.user_id, j.organization_id, j.status, j.current_step, j.current_item,
  j.items_completed, j.items_total, j.created_at, j.started_at, j.completed_at, j.updated_at, j.error_message,
  j.failed_step, j.retry_count, j.auto_publish, j.prompt_tokens, j.completion_tokens`;
const RETURNING = COLUMNS.replace(/\bj\./g, '');
const ACTIVE_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * All SQL of course_generation_jobs. Every status change is a compare-and-set (`… WHERE status = ANY(allowed)`),
 * so a late worker can never move a terminal job; logs are appended in SQL (`logs || $entries`), never rewritten.
 */
@Injectable()
export class JobStore {
  constructor(private readonly db: DataSource) {}

  async insert(
    m: EntityManager,
    input: Pick<JobRow, 'course_id' | 'user_id' | 'organization_id' | 'auto_publish'>,
  ): Promise<JobRow> {
    const rows: JobRow[] = await m.query(
      `INSERT INTO course_generation_jobs (course_id, user_id, organization_id, auto_publish)
       VALUES ($1, $2, $3, $4) RETURNING ${RETURNING}`,
      [input.course_id, input.user_id, input.organization_id, input.auto_publish],
    );
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
    const sets = ['status = $3', 'logs = logs || $4::jsonb', 'updated_at = now()'];
    for (const [column, value] of Object.entries(changes)) {
      if (column === 'started_at' || column === 'completed_at') {
        sets.push(
          value === 'now'
            ? `${column} = now()`
            : value === 'keep-or-now'
              ? `${column} = COALESCE(${column}, now())`
              : `${column} = NULL`,
        );
      } else {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      }
    }
    const rows: [JobRow[], number] = await q.query(
      `UPDATE course_generation_jobs SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2) RETURNING ${RETURNING}`,
      params,
    );
    return rows[0][0] ?? null;
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
    let extra = '';
    if (changes.current_item !== undefined) {
      params.push(changes.current_item);
      extra = `, current_item = $${params.length}`;
    }
    const result: [unknown[], number] = await q.query(
      `UPDATE course_generation_jobs SET logs = logs || $3::jsonb, updated_at = now()${extra}
       WHERE id = $1 AND status = ANY($2)`,
      params,
    );
    return result[1] === 1;
  }

  /**
   * The course a step works in: the course of its job row, only while the job is in `status` and still in run
   * `retry`; null otherwise (no such job, another phase, an older run). A step's payload names the job; everything
   * else it touches is looked up within this course, never taken from the payload (docs/queue.md).
   */
  async stepCourse(id: string, status: JobStatus, retry: number): Promise<string | null> {
    const rows: { course_id: string }[] = await this.db.query(
      `SELECT course_id FROM course_generation_jobs WHERE id = $1 AND status = $2 AND retry_count = $3`,
      [id, status, retry],
    );
    return rows[0]?.course_id ?? null;
  }

  /**
   * A step begins: appends its first log line and sets current_item, only while the job is in `status` and still in
   * run `retry` (a step of an older run, or of a cancelled or failed job, does nothing). Returns the course id, or
   * null when the step must do nothing. One statement: the check and the log are one round trip.
   */
  async startStep(
    id: string,
    status: JobStatus,
    retry: number,
    log: JobLogEntry,
    currentItem: string,
  ): Promise<string | null> {
    const result: [{ course_id: string }[], number] = await this.db.query(
      `UPDATE course_generation_jobs SET logs = logs || $4::jsonb, current_item = $5, updated_at = now()
       WHERE id = $1 AND status = $2 AND retry_count = $3 RETURNING course_id`,
      [id, status, retry, JSON.stringify([log]), currentItem],
    );
    return result[0][0]?.course_id ?? null;
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
   * One step's items are written: progress moves forward (never past the total), tokens add up — only while the job
   * is in `status`. Inside the step's write transaction this is also its row lock: false means the job moved on
   * (cancelled, failed) and the step must write nothing.
   */
  async recordStepDone(
    m: EntityManager,
    id: string,
    status: JobStatus,
    usage: { prompt_tokens: number; completion_tokens: number },
    log: JobLogEntry,
  ): Promise<boolean> {
    const result: [unknown[], number] = await m.query(
      `UPDATE course_generation_jobs
       SET items_completed = LEAST(items_completed + 1, items_total),
           prompt_tokens = prompt_tokens + $3, completion_tokens = completion_tokens + $4,
           logs = logs || $5::jsonb, updated_at = now()
       WHERE id = $1 AND status = $2`,
      [id, status, usage.prompt_tokens, usage.completion_tokens, JSON.stringify([log])],
    );
    return result[1] === 1;
  }

  async logs(id: string): Promise<JobLogEntry[]> {
    const rows: { logs: JobLogEntry[] }[] = await this.db.query(
      `SELECT logs FROM course_generation_jobs WHERE id = $1`,
      [id],
    );
    return rows[0]?.logs ?? [];
  }

  /** Non-terminal jobs, oldest first (the reconciler's work list). Pending rows younger than `pendingGraceMs` are
   *  left alone: the API enqueues them itself right after the commit. */
  async nonTerminal(pendingGraceMs: number, limit = 1000): Promise<JobRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM course_generation_jobs j
       WHERE j.status IN ${ACTIVE_SQL}
         AND (j.status <> 'pending' OR j.created_at < now() - make_interval(secs => $1::float / 1000))
       ORDER BY j.created_at LIMIT $2`,
      [pendingGraceMs, limit],
    );
  }

  async viewOne(id: string, organizationId: string): Promise<(JobView & { logs: JobLogEntry[] }) | null> {
    const rows: (JobRow & { course_title: string; logs: JobLogEntry[] })[] = await this.db.query(
      `SELECT ${COLUMNS}, j.logs, c.title AS course_title
       FROM course_generation_jobs j JOIN courses c ON c.id = j.course_id
       WHERE j.id = $1 AND j.organization_id = $2`,
      [id, organizationId],
    );
    if (!rows[0]) return null;
    return { ...toJobView(rows[0]), logs: rows[0].logs };
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
    const whereSql = where.join(' AND ');
    const countParams = [...params];
    params.push(filter.page_size, (filter.page - 1) * filter.page_size);
    const [rows, count] = await Promise.all([
      this.db.query(
        `SELECT ${COLUMNS}, c.title AS course_title
         FROM course_generation_jobs j JOIN courses c ON c.id = j.course_id
         WHERE ${whereSql} ORDER BY j.created_at DESC, j.id DESC
         LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      ) as Promise<(JobRow & { course_title: string })[]>,
      this.db.query(
        `SELECT count(*)::int AS n FROM course_generation_jobs j WHERE ${whereSql}`,
        countParams,
      ) as Promise<{ n: number }[]>,
    ]);
    return { jobs: rows.map(toJobView), total: count[0].n };
  }
}

export function toJobView(row: JobRow & { course_title: string }): JobView {
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
  };
}
