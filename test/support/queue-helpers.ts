import { DataSource } from 'typeorm';
import type { JobDetailResponse, JobStatus } from '../../contracts/api';
import type { AuthedAgent } from './accounts';
import type { TestApp } from './test-app';
import { waitFor } from './wait-for';

export const GENERATE = '/api/admin/curriculum/generate';

export async function queueCourse(
  agent: AuthedAgent,
  courseId: string,
  autoPublish = false,
): Promise<string> {
  const res = await agent.post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: autoPublish });
  if (res.status !== 201) throw new Error(`queue answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.job_id as string;
}

export async function jobDetail(agent: AuthedAgent, jobId: string): Promise<JobDetailResponse> {
  const res = await agent.get(`${GENERATE}/jobs/${jobId}`);
  if (res.status !== 200) throw new Error(`job detail answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as JobDetailResponse;
}

/** Waits until the job reaches `status`; fails at once, with its logs, if it ends in another terminal status. */
export async function waitForJob(
  agent: AuthedAgent,
  jobId: string,
  status: JobStatus,
  timeoutMs = 30_000,
): Promise<JobDetailResponse> {
  let last: JobDetailResponse | undefined;
  const describe = (): string =>
    `status: ${last?.job.status} (${last?.job.error_message ?? ''})\nlogs:\n${last?.logs.map((l) => `  ${l.level}: ${l.message}`).join('\n')}`;
  try {
    await waitFor(
      async () => {
        last = await jobDetail(agent, jobId);
        return last.job.status === status || TERMINAL.includes(last.job.status);
      },
      { timeoutMs, intervalMs: 100, what: `job ${jobId} to be ${status}` },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${describe()}`);
  }
  if (last!.job.status !== status)
    throw new Error(`job ${jobId} ended ${last!.job.status}, not ${status}\n${describe()}`);
  return last!;
}

const TERMINAL: JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Lesson and task ids of a course, by parent, in position order. */
export async function contentIds(
  app: TestApp,
  courseId: string,
): Promise<{ lessons: Record<string, string[]>; tasks: Record<string, string[]> }> {
  const db = app.app.get(DataSource);
  const lessons: { project_id: string; ids: string[] }[] = await db.query(
    `SELECT l.project_id, array_agg(l.id ORDER BY l.position) AS ids FROM lessons l
     JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1 GROUP BY l.project_id`,
    [courseId],
  );
  const tasks: { lesson_id: string; ids: string[] }[] = await db.query(
    `SELECT t.lesson_id, array_agg(t.id ORDER BY t.position) AS ids FROM tasks t JOIN lessons l ON l.id = t.lesson_id
     JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1 GROUP BY t.lesson_id`,
    [courseId],
  );
  return {
    lessons: Object.fromEntries(lessons.map((r) => [r.project_id, r.ids])),
    tasks: Object.fromEntries(tasks.map((r) => [r.lesson_id, r.ids])),
  };
}

/** Per project: its lesson count; per lesson: its task count — to prove no duplicates and no gaps. */
export async function treeShape(
  app: TestApp,
  courseId: string,
): Promise<{ lessonsPerProject: number[]; tasksPerLesson: number[] }> {
  const db = app.app.get(DataSource);
  const projects: { n: number }[] = await db.query(
    `SELECT (SELECT count(*)::int FROM lessons l WHERE l.project_id = p.id) AS n
     FROM course_projects p WHERE p.course_id = $1 ORDER BY p.position`,
    [courseId],
  );
  const lessons: { n: number }[] = await db.query(
    `SELECT (SELECT count(*)::int FROM tasks t WHERE t.lesson_id = l.id) AS n FROM lessons l
     JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1 ORDER BY p.position, l.position`,
    [courseId],
  );
  return { lessonsPerProject: projects.map((r) => r.n), tasksPerLesson: lessons.map((r) => r.n) };
}
