import { DataSource } from 'typeorm';
import type { JobLogEntry, JobStatus } from '../../contracts/api';
import type { Fleet } from './fleet';
import { waitFor } from './wait-for';

export const TERMINAL: JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Steps whose items were already written (the step finished): 'lessons:<project>' / 'tasks:<lesson>'. */
export async function finishedSteps(db: DataSource, courseIds: string[]): Promise<string[]> {
  const rows: { step: string }[] = await db.query(
    `SELECT DISTINCT 'lessons:' || l.project_id AS step FROM lessons l
       JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = ANY($1)
     UNION SELECT DISTINCT 'tasks:' || t.lesson_id FROM tasks t JOIN lessons l ON l.id = t.lesson_id
       JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = ANY($1)`,
    [courseIds],
  );
  return rows.map((r) => r.step);
}

/** Waits until every job is completed, failed or cancelled; returns their statuses. */
export async function waitAllTerminal(
  fleet: Fleet,
  jobIds: string[],
  timeoutMs = 60_000,
): Promise<Record<string, JobStatus>> {
  return waitFor(
    async () => {
      const statuses = await fleet.statuses(jobIds);
      return jobIds.every((id) => TERMINAL.includes(statuses[id])) ? statuses : null;
    },
    { timeoutMs, intervalMs: 100, what: 'every job to finish' },
  );
}

/** The job's log entries, oldest first (straight from job_logs). */
export async function jobLogs(db: DataSource, jobId: string): Promise<JobLogEntry[]> {
  const rows: { level: JobLogEntry['level']; message: string; details: Record<string, unknown> | null }[] =
    await db.query(`SELECT level, message, details FROM job_logs WHERE job_id = $1 ORDER BY id`, [jobId]);
  return rows.map((r) => ({
    timestamp: '',
    level: r.level,
    message: r.message,
    ...(r.details ? { details: r.details } : {}),
  }));
}

export interface StepRowCheck {
  run: number;
  kind: string;
  item_id: string;
  status: string;
  attempts: number;
  history: number;
  /** Attempts closed as `interrupted` (their worker died: the call may never have left). */
  interrupted: number;
}

/** The step rows of the jobs (every run), for the one-row-per-step-per-run checks. */
export async function stepRows(
  db: DataSource,
  jobIds: string[],
): Promise<(StepRowCheck & { job_id: string })[]> {
  return db.query(
    `SELECT job_id, run, kind, item_id, status, attempts, jsonb_array_length(attempt_history)::int AS history,
            (SELECT count(*)::int FROM jsonb_array_elements(attempt_history) a
             WHERE a->>'error_kind' = 'interrupted') AS interrupted
     FROM generation_steps WHERE job_id = ANY($1) ORDER BY job_id, run, kind, item_id`,
    [jobIds],
  );
}

/**
 * For finished jobs: exactly one step row per (job, run, kind, item) — the table's key guarantees it — and in the
 * last run every item the course has is covered by a `succeeded` or `skipped` row (or a row of an earlier run),
 * each with as many history entries as attempts (up to the history's limit) and at least one attempt if it ran.
 */
export async function expectStepRowsConsistent(db: DataSource, jobIds: string[]): Promise<void> {
  const rows = await stepRows(db, jobIds);
  const keys = rows.map((r) => `${r.job_id}/${r.run}/${r.kind}/${r.item_id}`);
  expect(new Set(keys).size).toBe(keys.length);
  for (const r of rows) {
    expect({ ...r, history: Math.min(r.history, 10) }).toEqual({ ...r, history: Math.min(r.attempts, 10) });
    if (r.status === 'succeeded') expect(r.attempts).toBeGreaterThanOrEqual(1);
    expect(['running', 'queued']).not.toContain(r.status);
  }
}

/** Lessons and tasks of one course. */
export async function contentCounts(
  db: DataSource,
  courseId: string,
): Promise<{ lessons: number; tasks: number }> {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM lessons l JOIN course_projects p ON p.id = l.project_id
             WHERE p.course_id = $1) AS lessons,
            (SELECT count(*)::int FROM tasks t JOIN lessons l ON l.id = t.lesson_id
             JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1) AS tasks`,
    [courseId],
  );
  return row;
}

/** Rows of every table of the schema (migrations bookkeeping aside): compare before and after. */
export async function countEveryTable(db: DataSource): Promise<Record<string, number>> {
  const tables: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
     ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM "${name}"`);
    counts[name] = row.n;
  }
  return counts;
}
