import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { QUEUES, StepPayload } from '../server/src/jobs/jobs.constants';
import { redisKeyPrefix } from '../server/src/redis/redis-keys';
import { AuthedAgent, authedAgent, createUser, login, TestUser } from '../test/support/accounts';
import { courseSpec, createCourse } from '../test/support/curriculum-builders';
import { FakeLlmServer } from '../test/support/fake-llm-server';
import { ROOT } from '../test/support/processes';
import { GENERATE } from '../test/support/queue-helpers';
import { startTestApp, TestApp } from '../test/support/test-app';
import { testRedisUrl } from '../test/support/test-env';
import { waitFor } from '../test/support/wait-for';

/** The private copy of the built server made by bench/global-setup.ts. */
const BUILD_DIR = process.env.COURSELOOM_BENCH_BUILD ?? join(ROOT, 'dist', 'server');
const API_ENTRY = join(BUILD_DIR, 'server', 'src', 'main.js');
const WORKER_ENTRY = join(BUILD_DIR, 'server', 'src', 'worker.js');

/** Optional: `BENCH_CPU_PROF=<dir>` runs the API and worker processes with `node --cpu-prof` into that directory. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;

/**
 * A real product process (the built API or worker) for the benchmarks. Unlike the test harness's ProductProcess it
 * keeps only the tail of its output (a bench makes a lot of log lines), and can read its peak RSS from /proc.
 */
export class BenchProcess {
  readonly child: ChildProcess;
  private tail = '';
  private seen = '';
  exited = false;

  constructor(
    entry: string,
    env: Record<string, string>,
    readonly label: string,
  ) {
    const nodeArgs =
      CPU_PROF_DIR && entry === WORKER_ENTRY ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
    this.child = spawn(process.execPath, [...nodeArgs, entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer): void => {
      this.tail = (this.tail + d.toString()).slice(-20_000);
      if (this.seen.length < 50_000) this.seen += d.toString();
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('exit', () => (this.exited = true));
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    await waitFor(() => pattern.test(this.seen) || this.exited, { timeoutMs, what: String(pattern) });
    if (!pattern.test(this.seen)) throw new Error(`${this.label} exited before ${pattern}:\n${this.tail}`);
  }

  /** The process's peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  }

  /** CPU time (user + system) the process has used so far, in ms: a figure that holds on a busy machine. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  }

  /** SIGTERM (so --cpu-prof writes its profile), SIGKILL if it does not exit in time. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface BenchClusterOptions {
  fake: FakeLlmServer;
  workers: number;
  /** Environment of every product process (the API and the workers). */
  env?: Record<string, string>;
}

/**
 * One benchmark setting: a fresh database (copied from the migrated template), a fresh Redis prefix, the API as a
 * real process, N real worker processes, and an in-process app used only to seed rows and to sign in.
 */
export class BenchCluster {
  readonly workers: BenchProcess[] = [];
  api!: BenchProcess;
  apiUrl!: string;
  user!: TestUser;
  token!: string;
  agent!: AuthedAgent;
  steps!: Queue<StepPayload>;

  private constructor(
    readonly seed: TestApp,
    private readonly env: Record<string, string>,
  ) {}

  static async start(options: BenchClusterOptions): Promise<BenchCluster> {
    const env = {
      LLM_PROVIDER: 'openai-compatible',
      LLM_BASE_URL: options.fake.url,
      LLM_MODEL: 'fake-model',
      REDIS_URL: testRedisUrl(),
      ...options.env,
    };
    // The in-process app runs no workers and serves no benchmark traffic; it owns the database's lifetime.
    const seed = await startTestApp({ env: { ...env, START_WORKER: 'false' } });
    const cluster = new BenchCluster(seed, {
      ...env,
      DATABASE_URL: seed.databaseUrl,
      REDIS_PREFIX: seed.config.REDIS_PREFIX,
      RUN_MIGRATIONS: 'false',
    });
    try {
      await cluster.boot(options.workers);
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  private async boot(workers: number): Promise<void> {
    const port = await freePort();
    this.api = new BenchProcess(API_ENTRY, { ...this.env, START_WORKER: 'false', PORT: String(port) }, 'api');
    this.apiUrl = `http://127.0.0.1:${port}`;
    await this.api.waitForOutput(/Courseloom API on/);
    for (let i = 0; i < workers; i++) await this.addWorker();
    this.user = await createUser(this.seed);
    const session = await login({ ...this.seed, baseUrl: this.apiUrl }, this.user.email, this.user.password);
    this.token = session.token;
    this.agent = authedAgent({ ...this.seed, baseUrl: this.apiUrl }, this.token);
    this.steps = new Queue<StepPayload>(QUEUES.steps, {
      connection: { url: testRedisUrl() } as never,
      prefix: redisKeyPrefix(this.seed.config),
    });
  }

  async addWorker(extraEnv: Record<string, string> = {}): Promise<BenchProcess> {
    const w = new BenchProcess(
      WORKER_ENTRY,
      { ...this.env, ...extraEnv },
      `worker ${this.workers.length + 1}`,
    );
    this.workers.push(w);
    await w.waitForOutput(/Workers started/);
    return w;
  }

  get db(): DataSource {
    return this.seed.app.get(DataSource);
  }

  /** Courses with an approved outline: `projects` projects, no lessons yet. */
  /** A course whose projects already have `lessons` lessons each (no tasks): its job runs one tasks step per lesson. */
  async createCourseWithLessons(projects: number, lessons: number): Promise<string> {
    return createCourse(this.seed, this.user, {
      ...courseSpec({ projects, lessons, tasks: 0, title: `Bench course ${projects} × ${lessons}` }),
      topic: `topic ${projects} × ${lessons}`,
    });
  }

  async createCourses(n: number, projects = 5): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      ids.push(
        await createCourse(this.seed, this.user, {
          ...courseSpec({ projects, lessons: 0, title: `Bench course ${i}` }),
          topic: `topic ${i}`,
        }),
      );
    }
    return ids;
  }

  async queue(courseId: string): Promise<string> {
    const res = await this.agent.post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: false });
    if (res.status !== 201) throw new Error(`queue answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.job_id as string;
  }

  /** Waits until every job is terminal (polling PostgreSQL); throws if one did not complete. */
  async waitCompleted(jobIds: string[], timeoutMs = 120_000): Promise<JobTimes[]> {
    let rows: JobTimes[] = [];
    await waitFor(
      async () => {
        rows = await this.db.query(
          `SELECT id, status, created_at, started_at, completed_at, error_message
           FROM course_generation_jobs WHERE id = ANY($1)`,
          [jobIds],
        );
        return rows.every((r) => ['completed', 'failed', 'cancelled'].includes(r.status));
      },
      { timeoutMs, intervalMs: 5, what: `${jobIds.length} job(s) to finish` },
    );
    const bad = rows.filter((r) => r.status !== 'completed');
    if (bad.length) throw new Error(`jobs did not complete: ${JSON.stringify(bad.slice(0, 3))}`);
    return rows;
  }

  async close(): Promise<void> {
    await this.steps?.close().catch(() => undefined);
    await Promise.all([...this.workers, this.api].filter(Boolean).map((p) => p.stop()));
    await this.seed.close();
  }
}

export interface JobTimes {
  id: string;
  status: string;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  error_message: string | null;
}

/** Signs in through a real API process (the test helper takes a TestApp for its base URL). */
export async function apiGet(baseUrl: string, token: string, path: string): Promise<request.Response> {
  return request(baseUrl).get(path).set('Authorization', `Bearer ${token}`);
}

export const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
};
export const median = (values: number[]): number => quantile(values, 0.5);

/** Largest number of model requests that arrived within any window of `latencyMs` (= most in flight at once,
 *  since each one takes at least that long). */
export function maxInFlight(arrivals: number[], latencyMs: number): number {
  const t = [...arrivals].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= latencyMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export const BENCH_DIR = join(ROOT, 'bench');
