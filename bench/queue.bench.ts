/**
 * The benchmark suite of the generation queue (`npm run bench`). Measurements, not tests: every figure is printed
 * and written to bench/results.json and bench/README.md; nothing here fails on a slow figure.
 * `BENCH_ONLY=latency,fleet,overhead,dashboard` runs some sections only (then no results file is written).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Job } from 'bullmq';
import { StepPayload } from '../server/src/jobs/jobs.constants';
import { FakeLlmServer, startFakeLlmServer } from '../test/support/fake-llm-server';
import { ROOT } from '../test/support/processes';
import { GENERATE } from '../test/support/queue-helpers';
import { BenchCluster, maxInFlight, median, quantile } from './harness';
import { runPollers } from './pollers';
import { record, recordSection, writeResults } from './results';

const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const runs = (section: string): boolean => !ONLY || ONLY.includes(section);
const section = (name: string): typeof describe => (runs(name) ? describe : describe.skip);

const LATENCY_MS = 200;
const PROJECTS = 5;
/** Model calls of one course: one per project (its lessons) + one per lesson (its tasks). */
const CALLS_PER_COURSE = PROJECTS + PROJECTS * 3;

let fake: FakeLlmServer;
let cluster: BenchCluster | undefined;

beforeAll(async () => {
  fake = await startFakeLlmServer({ latencyMs: LATENCY_MS });
});

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
  fake.reset();
});

afterAll(async () => {
  await fake.close();
  if (!ONLY) writeResults();
});

const ms = (a: Date | null, b: Date | null): number => new Date(b!).getTime() - new Date(a!).getTime();

/** Step jobs finished in the steps queue (kept by removeOnComplete), with BullMQ's own timestamps. */
async function finishedSteps(c: BenchCluster): Promise<Job<StepPayload>[]> {
  const jobs = await c.steps.getJobs(['completed'], 0, -1);
  return jobs.filter((j) => j.processedOn && j.finishedOn);
}

section('latency')('Course latency', () => {
  it('one course of 5 projects × 3 lessons, model latency 200 ms, against the critical path and one-at-a-time', async () => {
    const critical = 2 * LATENCY_MS;
    cluster = await BenchCluster.start({ fake, workers: 1 });
    // A warm-up course (first connections, JIT), then five measured ones, one at a time.
    const courses = await cluster.createCourses(6, PROJECTS);
    const latencies: number[] = [];
    for (const [i, courseId] of courses.entries()) {
      const jobId = await cluster.queue(courseId);
      const [row] = await cluster.waitCompleted([jobId]);
      if (i > 0) latencies.push(ms(row.created_at, row.completed_at));
    }
    const parallel = median(latencies);
    record('course latency, queued → completed (median of 5)', parallel, 'ms', ['<=', 1.5 * critical]);
    record('  ÷ critical path (2 × 200 ms)', parallel / critical, '×', ['<=', 1.5]);

    // The same course with one step at a time (the plan's sequential design): a worker with STEP_CONCURRENCY=1.
    await cluster.workers[0].stop();
    cluster.workers.length = 0;
    await cluster.addWorker({ STEP_CONCURRENCY: '1' });
    const [seqCourse] = await cluster.createCourses(1, PROJECTS);
    const seqJob = await cluster.queue(seqCourse);
    const [seqRow] = await cluster.waitCompleted([seqJob]);
    const sequential = ms(seqRow.created_at, seqRow.completed_at);
    record(
      'course latency, step concurrency 1',
      sequential,
      'ms',
      undefined,
      `${CALLS_PER_COURSE} × 200 ms calls`,
    );
    record('  speed-up of parallel steps over one-at-a-time', sequential / parallel, '×', ['>=', 6]);
  });
});

section('fleet')('Fleet', () => {
  const COURSES = 50;
  const CONCURRENCY = 50;
  const peaks = { api: 0, worker: 0 };

  for (const workers of [1, 2]) {
    it(`50 courses at once, cluster-wide model concurrency 50, ${workers} worker process(es)`, async () => {
      cluster = await BenchCluster.start({
        fake,
        workers,
        env: { MODEL_CONCURRENCY: String(CONCURRENCY), STEP_CONCURRENCY: '50', COURSE_CONCURRENCY: '50' },
      });
      const courses = await cluster.createCourses(COURSES, PROJECTS);
      fake.reset();
      const jobIds = await Promise.all(courses.map((id) => cluster!.queue(id)));
      const rows = await cluster.waitCompleted(jobIds, 180_000);
      const first = Math.min(...rows.map((r) => new Date(r.created_at).getTime()));
      const last = Math.max(...rows.map((r) => new Date(r.completed_at!).getTime()));
      const wall = last - first;
      const calls = fake.requests.filter((r) => r.path === '/v1/chat/completions').length;
      const limit = (calls * LATENCY_MS) / CONCURRENCY;
      record(
        `fleet wall time, ${workers} worker${workers > 1 ? 's' : ''}`,
        wall,
        'ms',
        undefined,
        `${calls} calls; limit ${calls} × 200 ms ÷ 50 = ${limit} ms`,
      );
      record(`  limit ÷ wall time, ${workers} worker${workers > 1 ? 's' : ''}`, (100 * limit) / wall, '%', [
        '>=',
        90,
      ]);
      record(
        `  most model calls in flight, ${workers} worker${workers > 1 ? 's' : ''}`,
        maxInFlight(
          fake.requests.map((r) => r.at),
          LATENCY_MS,
        ),
        'calls',
        ['<=', CONCURRENCY],
      );
      peaks.api = Math.max(peaks.api, cluster.api.peakRssMb());
      for (const w of cluster.workers) peaks.worker = Math.max(peaks.worker, w.peakRssMb());
    });
  }

  afterAll(() => {
    if (peaks.api === 0) return;
    record('peak RSS of the API process (fleet runs)', peaks.api, 'MB', ['<=', 250]);
    record('peak RSS of a worker process (fleet runs)', peaks.worker, 'MB', ['<=', 250]);
  });
});

section('overhead')('Overhead (model latency 0)', () => {
  it('steps per second on one worker process, and step enqueue → start latency', async () => {
    cluster = await BenchCluster.start({
      fake,
      workers: 1,
      env: { STEP_CONCURRENCY: '50', COURSE_CONCURRENCY: '50' },
    });
    fake.script({ latencyMs: 0 });

    // Enqueue → start without a backlog: one course at a time (≤ 15 steps per phase, 50 slots).
    const light = await cluster.createCourses(11, PROJECTS);
    for (const courseId of light) await cluster.waitCompleted([await cluster.queue(courseId)]);
    const lightSteps = (await finishedSteps(cluster)).slice(0, -CALLS_PER_COURSE); // the oldest course warms up
    const waits = lightSteps.map((j) => j.processedOn! - j.timestamp);
    record('step enqueue → start, median (idle worker)', median(waits), 'ms', ['<=', 5]);
    record('step enqueue → start, p99 (idle worker)', quantile(waits, 0.99), 'ms');
    await cluster.steps.clean(0, 100_000, 'completed');

    // Throughput: 50 courses at once, 1000 steps.
    const courses = await cluster.createCourses(50, PROJECTS);
    const cpuBefore = cluster.workers[0].cpuMs();
    const jobIds = await Promise.all(courses.map((id) => cluster!.queue(id)));
    await cluster.waitCompleted(jobIds, 180_000);
    const steps = await finishedSteps(cluster);
    const start = Math.min(...steps.map((j) => j.processedOn!));
    const end = Math.max(...steps.map((j) => j.finishedOn!));
    record(
      'steps per second, one worker process',
      (steps.length * 1000) / (end - start),
      'steps/s',
      ['>=', 500],
      `${steps.length} steps`,
    );
    record(
      'worker CPU time per step (course jobs included)',
      (cluster.workers[0].cpuMs() - cpuBefore) / steps.length,
      'ms',
      undefined,
      'holds on a busy machine',
    );
    const loaded = steps.map((j) => j.processedOn! - j.timestamp);
    record('step enqueue → start, median (1000-step backlog)', median(loaded), 'ms');
  });
});

const run = promisify(execFile);

interface AutocannonResult {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

section('dashboard')('Dashboard', () => {
  it('10,000 jobs (100 active) under 100 concurrent pollers', async () => {
    cluster = await BenchCluster.start({ fake, workers: 0 });
    const db = cluster.db;
    const { id: userId, organization_id: orgId } = cluster.user;
    // ~1,000 courses, 10 jobs each; the newest job of the first 100 courses is active (one per course at most).
    await db.query(
      `INSERT INTO courses (organization_id, created_by, title, status)
       SELECT $1, $2, 'Seeded course ' || g, 'ready' FROM generate_series(1, 1000) g`,
      [orgId, userId],
    );
    await db.query(
      `WITH c AS (SELECT id, row_number() OVER (ORDER BY title) AS n FROM courses WHERE organization_id = $1)
       INSERT INTO course_generation_jobs (course_id, user_id, organization_id, status, items_total, items_completed,
                                           created_at, updated_at, started_at, completed_at, logs)
       SELECT c.id, $2, $1,
              CASE WHEN k = 10 AND c.n <= 100 THEN 'generating_tasks'
                   WHEN k % 7 = 0 THEN 'failed' ELSE 'completed' END,
              15, CASE WHEN k = 10 AND c.n <= 100 THEN 7 ELSE 15 END,
              now() - make_interval(mins => (10 - k) * 1000 + c.n::int), now(), now(), now(),
              '[{"level":"info","message":"seeded"}]'::jsonb
       FROM c CROSS JOIN generate_series(1, 10) k`,
      [orgId, userId],
    );
    // Steady state before measuring: statistics fresh, the seeding's dirty pages written out.
    await db.query(`ANALYZE courses; ANALYZE course_generation_jobs`);
    await db.query(`CHECKPOINT`);
    const [{ total, active }] = await db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('pending', 'generating_lessons',
         'generating_tasks', 'finalizing'))::int AS active FROM course_generation_jobs`,
    );
    expect([total, active]).toEqual([10_000, 100]);

    const endpoints = [
      { name: 'active jobs', path: `${GENERATE}/jobs?status=active` },
      { name: 'first page of all jobs', path: `${GENERATE}/jobs` },
    ];
    const cannon = async (path: string, extra: string[]): Promise<AutocannonResult> => {
      const { stdout } = await run(
        process.execPath,
        [
          join(ROOT, 'node_modules/autocannon/autocannon.js'),
          '--json',
          '-c',
          '100',
          '-d',
          '10',
          ...extra,
          '-H',
          `Authorization=Bearer ${cluster!.token}`,
          `${cluster!.apiUrl}${path}`,
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      return JSON.parse(stdout) as AutocannonResult;
    };
    for (const e of endpoints) {
      const check = await cluster.agent.get(e.path);
      expect(check.status).toBe(200);
      const label = `GET …/jobs${e.path.includes('?') ? '?status=active' : ''}`;
      // 100 pollers as the dashboard polls: each asks every 3 s, from its own moment (≈ 33 requests per second).
      const auth = { Authorization: `Bearer ${cluster.token}` };
      await runPollers(`${cluster.apiUrl}${e.path}`, auth, { durationMs: 3000 }); // warm-up (JIT, connections)
      const polling = await runPollers(`${cluster.apiUrl}${e.path}`, auth, { durationMs: 30_000 });
      const sorted = [...polling.latencies].sort((a, b) => a - b);
      record(`${label} p50, 100 pollers every 3 s`, quantile(sorted, 0.5), 'ms');
      record(
        `${label} p99, 100 pollers every 3 s`,
        quantile(sorted, 0.99),
        'ms',
        ['<=', 25],
        `${sorted.length} requests`,
      );
      // Saturation: 100 connections asking back to back — the API's capacity, where p99 is queueing time.
      const apiCpuBefore = cluster.api.cpuMs();
      const r = await cannon(e.path, []);
      const errors = r.non2xx + r.errors + polling.errors;
      const apiCpuPerRequest = (cluster.api.cpuMs() - apiCpuBefore) / r.requests.total;
      record(`${label} p50, saturated (100 back-to-back)`, r.latency.p50, 'ms');
      record(`${label} p99, saturated (100 back-to-back)`, r.latency.p99, 'ms');
      record(
        `${label} throughput, saturated`,
        r.requests.average,
        'req/s',
        undefined,
        `100 connections, 10 s${errors ? `, ${errors} errors` : ''}`,
      );
      record(`${label} API CPU time per request`, apiCpuPerRequest, 'ms');
    }

    // The plans of the list and count queries behind both endpoints (the JobStore SQL, the default scope `mine`).
    const columns = `j.id, j.course_id, j.user_id, j.organization_id, j.status, j.current_step, j.current_item,
  j.items_completed, j.items_total, j.created_at, j.started_at, j.completed_at, j.updated_at, j.error_message,
  j.failed_step, j.retry_count, j.auto_publish, j.prompt_tokens, j.completion_tokens`;
    const activeSql = `j.status IN ('pending', 'generating_lessons', 'generating_tasks', 'finalizing')`;
    const queries: [string, string][] = [
      [
        '?status=active — page',
        `SELECT ${columns}, c.title AS course_title FROM course_generation_jobs j JOIN courses c ON c.id = j.course_id
         WHERE j.organization_id = $1 AND j.user_id = $2 AND ${activeSql}
         ORDER BY j.created_at DESC, j.id DESC LIMIT 20 OFFSET 0`,
      ],
      [
        '?status=active — count',
        `SELECT count(*)::int AS n FROM course_generation_jobs j WHERE j.organization_id = $1 AND j.user_id = $2 AND ${activeSql}`,
      ],
      [
        'all jobs, first page — page',
        `SELECT ${columns}, c.title AS course_title FROM course_generation_jobs j JOIN courses c ON c.id = j.course_id
         WHERE j.organization_id = $1 AND j.user_id = $2 ORDER BY j.created_at DESC, j.id DESC LIMIT 20 OFFSET 0`,
      ],
      [
        'all jobs, first page — count',
        `SELECT count(*)::int AS n FROM course_generation_jobs j WHERE j.organization_id = $1 AND j.user_id = $2`,
      ],
    ];
    const plans: string[] = [];
    for (const [title, sql] of queries) {
      const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [
        orgId,
        userId,
      ]);
      plans.push(`${title}:\n\n\`\`\`\n${plan.map((p) => p['QUERY PLAN']).join('\n')}\n\`\`\``);
    }
    recordSection('Query plans (10,000 jobs, 100 active; EXPLAIN ANALYZE)', plans.join('\n\n'));
  });
});
