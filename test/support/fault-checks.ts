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

/** The job's log entries (straight from the row). */
export async function jobLogs(db: DataSource, jobId: string): Promise<JobLogEntry[]> {
  const rows: { logs: JobLogEntry[] }[] = await db.query(
    `SELECT logs FROM course_generation_jobs WHERE id = $1`,
    [jobId],
  );
  return rows[0]?.logs ?? [];
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
