import { DataSource } from 'typeorm';
import type { JobStatus } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from './accounts';
import { courseSpec, createCourse } from './curriculum-builders';
import { FakeLlmServer, fakeModelEnv } from './fake-llm-server';
import { ProductProcess, WORKER_ENTRY } from './processes';
import { startTestApp, TestApp } from './test-app';
import { testRedisUrl } from './test-env';

const STATUS_RANK: Record<JobStatus, number> = {
  pending: 0,
  generating_lessons: 1,
  generating_tasks: 2,
  finalizing: 3,
  completed: 4,
  failed: 4,
  cancelled: 4,
  paused: 4,
};

/** Settings that make failure recovery quick enough to test (production defaults are in AppConfig). */
export const FAST_RECOVERY_ENV = {
  STEP_BACKOFF_MS: '50',
  QUEUE_LOCK_MS: '2000',
  QUEUE_STALLED_INTERVAL_MS: '1000',
  RECONCILE_INTERVAL_MS: '500',
  SHUTDOWN_GRACE_MS: '10000',
};

/**
 * The API in-process (no worker) plus real worker processes (the built `worker.js`), all on one fresh database,
 * one Redis prefix and the fake model server: the setting of every fault test.
 */
export class Fleet {
  readonly workers: ProductProcess[] = [];
  user!: TestUser;
  agent!: AuthedAgent;
  private monitor?: NodeJS.Timeout;
  private readonly history = new Map<string, { status: JobStatus; items: number; retry: number }[]>();

  private constructor(
    readonly app: TestApp,
    readonly fake: FakeLlmServer,
    readonly redisUrl: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(
    fake: FakeLlmServer,
    options: { workers?: number; redisUrl?: string; env?: Record<string, string> } = {},
  ): Promise<Fleet> {
    const redisUrl = options.redisUrl ?? testRedisUrl();
    const env = {
      ...fakeModelEnv(fake),
      REDIS_URL: redisUrl,
      ...FAST_RECOVERY_ENV,
      ...options.env,
    };
    const app = await startTestApp({ env: { ...env, START_WORKER: 'false' } });
    const fleet = new Fleet(app, fake, redisUrl, env);
    ({ user: fleet.user, agent: fleet.agent } = await signIn(app));
    for (let i = 0; i < (options.workers ?? 1); i++) await fleet.addWorker();
    return fleet;
  }

  get db(): DataSource {
    return this.app.app.get(DataSource);
  }

  async addWorker(extraEnv: Record<string, string> = {}): Promise<ProductProcess> {
    const worker = new ProductProcess(WORKER_ENTRY, {
      ...this.env,
      DATABASE_URL: this.app.databaseUrl,
      REDIS_PREFIX: this.app.config.REDIS_PREFIX,
      LOG_LEVEL: 'info',
      ...extraEnv,
    });
    this.workers.push(worker);
    await worker.waitForOutput(/Workers started/);
    return worker;
  }

  /** Courses with an approved outline (`projects` projects, no lessons). */
  async createCourses(n: number, projects = 3, prefix = 'Course'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      ids.push(
        await createCourse(this.app, this.user, {
          ...courseSpec({ projects, lessons: 0, title: `${prefix} ${i}` }),
          topic: `topic ${i}`,
        }),
      );
    }
    return ids;
  }

  /** Samples every job's status and progress until stopped, to prove progress never went backwards. */
  startProgressMonitor(intervalMs = 50): void {
    let sampling = false;
    this.monitor = setInterval(() => {
      // One sample at a time: overlapping queries (one held up by a dropped connection) could land out of order.
      if (sampling) return;
      sampling = true;
      this.db
        .query(`SELECT id, status, items_completed, retry_count FROM course_generation_jobs`)
        .then((rows: { id: string; status: JobStatus; items_completed: number; retry_count: number }[]) => {
          for (const r of rows) {
            const h = this.history.get(r.id) ?? [];
            h.push({ status: r.status, items: r.items_completed, retry: r.retry_count });
            this.history.set(r.id, h);
          }
        })
        .catch(() => undefined) // the database may be the fault under test
        .finally(() => (sampling = false));
    }, intervalMs);
  }

  /** Within one run (retry), status only moves forward and, within a status, items_completed only grows. */
  progressRegressions(): string[] {
    clearInterval(this.monitor);
    const problems: string[] = [];
    for (const [id, samples] of this.history) {
      for (let i = 1; i < samples.length; i++) {
        const a = samples[i - 1];
        const b = samples[i];
        if (b.retry !== a.retry) continue;
        if (STATUS_RANK[b.status] < STATUS_RANK[a.status]) problems.push(`${id}: ${a.status} → ${b.status}`);
        if (b.status === a.status && b.items < a.items)
          problems.push(`${id}: ${a.status} ${a.items} → ${b.items}`);
      }
    }
    return problems;
  }

  async statuses(jobIds: string[]): Promise<Record<string, JobStatus>> {
    const rows: { id: string; status: JobStatus }[] = await this.db.query(
      `SELECT id, status FROM course_generation_jobs WHERE id = ANY($1)`,
      [jobIds],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.status]));
  }

  /** Lessons per project and tasks per lesson of every course given: exactly `lessons` and `tasks` each. */
  async shapeProblems(courseIds: string[], lessons = 3, tasks = 3): Promise<string[]> {
    const rows: { kind: string; id: string; n: number }[] = await this.db.query(
      `SELECT 'project' AS kind, p.id, (SELECT count(*)::int FROM lessons l WHERE l.project_id = p.id) AS n
       FROM course_projects p WHERE p.course_id = ANY($1)
       UNION ALL
       SELECT 'lesson', l.id, (SELECT count(*)::int FROM tasks t WHERE t.lesson_id = l.id)
       FROM lessons l JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = ANY($1)`,
      [courseIds],
    );
    return rows
      .filter((r) => r.n !== (r.kind === 'project' ? lessons : tasks))
      .map((r) => `${r.kind} ${r.id} has ${r.n}`);
  }

  /** Model requests per step of the given jobs (`x-courseloom-step` → count). */
  callsPerStep(jobIds: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.fake.requests) {
      if (!jobIds.includes(r.headers['x-courseloom-job'])) continue;
      const step = r.headers['x-courseloom-step'];
      counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    return counts;
  }

  async close(): Promise<void> {
    clearInterval(this.monitor);
    await Promise.all(
      this.workers.map(async (w) => {
        w.kill('SIGKILL');
        await w.waitForExit(5000).catch(() => undefined);
      }),
    );
    await this.app.close();
  }
}
