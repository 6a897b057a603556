/**
 * The benchmark suite of the generation queue (`npm run bench`). Measurements, not tests: every figure is printed
 * and written to bench/results.json and bench/README.md; nothing here fails on a slow figure.
 * `BENCH_ONLY=latency,fleet,overhead,writes,provider,dashboard,dashboard-scale` runs some sections only (then no results
 * file is written).
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import type { AppConfig } from '../server/src/config/app-config';
import { callDeadline } from '../server/src/generation/call-deadline';
import { generateWithAiSdk } from '../server/src/generation/providers/ai-sdk-call';
import { OpenAiCompatibleLlmProvider } from '../server/src/generation/providers/openai-compatible.provider';
import { TASKS_SCHEMA_NAME, tasksForLessonSchema } from '../server/src/generation/schemas/tasks.schema';
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

/** A chat-completions server answering every request at once with the same three valid tasks; prints its port. */
const INSTANT_CHAT_SERVER = `
const tasks = { tasks: [0, 1, 2].map((i) => ({ title: 'Task ' + i + ' about the topic', kind: 'exercise',
  instructions: 'Do the following exercise carefully and write down every observation you make.',
  estimated_minutes: 20 })) };
const body = JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(tasks) } }],
  usage: { prompt_tokens: 100, completion_tokens: 200, total_tokens: 300 } });
const server = require('node:http').createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port)));
`;
const PROVIDER_CALLS = 1000;

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

section('writes')('Writes per step (model latency 0)', () => {
  it('bytes written to PostgreSQL per step: a 3-project course against a 12 × 8 course', async () => {
    cluster = await BenchCluster.start({ fake, workers: 1, env: { STEP_CONCURRENCY: '20' } });
    fake.script({ latencyMs: 0 });
    const c = cluster;
    // Both courses have their lessons already (8 per project), so every step is a tasks step writing the same
    // amount of content: what differs is only the size of the job around it. WAL is cluster-wide: the figure
    // holds on a machine where nothing else writes to PostgreSQL meanwhile.
    const perStep = async (projects: number): Promise<number> => {
      const courseId = await c.createCourseWithLessons(projects, 8);
      await c.db.query('CHECKPOINT'); // every run starts with the same full-page-write state
      const [{ lsn: before }] = await c.db.query(`SELECT pg_current_wal_lsn()::text AS lsn`);
      await c.waitCompleted([await c.queue(courseId)]);
      const [{ bytes }] = await c.db.query(
        `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint AS bytes`,
        [before],
      );
      return Number(bytes) / (projects * 8);
    };
    await perStep(2); // warm-up
    const small = await perStep(3);
    const large = await perStep(12);
    record(
      'WAL bytes per step, 3-project course',
      Math.round(small),
      'B',
      undefined,
      '3 × 8 lessons, 24 steps',
    );
    record('WAL bytes per step, 12 × 8 course', Math.round(large), 'B', undefined, '96 steps');
    record('  12 × 8 ÷ 3-project, bytes per step', Math.round((large / small) * 100) / 100, '×', ['<=', 1.2]);
  });
});

section('provider')('The model call path (a server answering at once)', () => {
  it('CPU per call: the openai-compatible adapter (official openai package) against the same call through the AI SDK', async () => {
    // The server runs in its own process, so only the client's CPU is counted here. Log calls cost what they cost
    // in production at `info` (the adapter's success line is at debug): nothing.
    Logger.overrideLogger(false);
    const server = spawn(process.execPath, ['-e', INSTANT_CHAT_SERVER], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve) =>
        server.stdout!.once('data', (d) => resolve(Number(d))),
      );
      const baseURL = `http://127.0.0.1:${port}/v1`;
      const config = { LLM_BASE_URL: baseURL, LLM_API_KEY: 'k', LLM_MODEL: 'm', LLM_TIMEOUT_MS: 30_000 };
      const request = {
        stage: 'tasks' as const,
        schema: tasksForLessonSchema(3),
        schemaName: TASKS_SCHEMA_NAME,
        system: 'You write tasks.',
        prompt: 'Write three tasks. '.repeat(40),
        tags: { course: 'bench' },
      };
      const adapter = new OpenAiCompatibleLlmProvider(config as unknown as AppConfig);
      const sdkModel = createOpenAICompatible({
        name: 'bench',
        baseURL,
        apiKey: 'k',
        supportsStructuredOutputs: true,
      });
      const viaSdk = (): Promise<unknown> =>
        generateWithAiSdk(sdkModel.chatModel('m'), request, {
          system: request.system,
          deadline: callDeadline(undefined, 30_000),
          requestedModel: 'm',
          startedAt: performance.now(),
        });
      const cpuPerCall = async (call: () => Promise<unknown>): Promise<number> => {
        for (let i = 0; i < 200; i++) await call(); // warm-up: connections, JIT
        const before = process.cpuUsage();
        for (let i = 0; i < PROVIDER_CALLS; i++) await call();
        const used = process.cpuUsage(before);
        return (used.user + used.system) / 1000 / PROVIDER_CALLS;
      };
      const samples: Record<'adapter' | 'sdk', number[]> = { adapter: [], sdk: [] };
      for (let round = 0; round < 3; round++) {
        samples.adapter.push(await cpuPerCall(() => adapter.generateObject(request)));
        samples.sdk.push(await cpuPerCall(viaSdk));
      }
      const note = `median of 3 × ${PROVIDER_CALLS} calls, schema validation included`;
      record(
        'CPU per model call, openai-compatible adapter (openai package)',
        median(samples.adapter),
        'ms',
        undefined,
        note,
      );
      record(
        'CPU per model call, the same call through the AI SDK',
        median(samples.sdk),
        'ms',
        undefined,
        note,
      );
    } finally {
      server.kill();
    }
  });
});

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

section('dashboard-scale')('Dashboard at scale', () => {
  it('100,000 jobs: list and count of each filter stay index-backed (EXPLAIN ANALYZE)', async () => {
    cluster = await BenchCluster.start({ fake, workers: 0 });
    const db = cluster.db;
    const { id: userId, organization_id: orgId } = cluster.user;
    // 10,000 courses with varied titles, 10 jobs each over 100 days: 1 in 7 failed, 1 in 5 a regeneration.
    await db.query(
      `INSERT INTO courses (organization_id, created_by, title, status)
       SELECT $1, $2, (ARRAY['Build a Board Game', 'Cooking Mastery', 'Woodworking', 'Guitar Basics',
                             'Intro to Rust', 'Pottery'])[1 + g % 6] || ' ' || g, 'ready'
       FROM generate_series(1, 10000) g`,
      [orgId, userId],
    );
    await db.query(
      `WITH c AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM courses WHERE organization_id = $1)
       INSERT INTO course_generation_jobs (course_id, user_id, organization_id, status, job_type, items_total,
                                           items_completed, created_at, updated_at, started_at, completed_at)
       SELECT c.id, $2, $1, CASE WHEN (c.n + k) % 7 = 0 THEN 'failed' ELSE 'completed' END,
              CASE WHEN (c.n + k) % 5 = 0 THEN 'course_regeneration' ELSE 'course_generation' END, 15, 15,
              now() - make_interval(mins => ((c.n * 10 + k) % 144000)::int), now(), now(), now()
       FROM c CROSS JOIN generate_series(1, 10) k`,
      [orgId, userId],
    );
    await db.query(`VACUUM ANALYZE courses`);
    await db.query(`VACUUM ANALYZE course_generation_jobs`);
    const [{ total }] = await db.query(`SELECT count(*)::int AS total FROM course_generation_jobs`);
    expect(total).toBe(100_000);

    // The JobStore.list SQL (page of 50 and count), scope `mine`, for each filter the console offers.
    const columns = `j.id, j.course_id, j.user_id, j.status, j.created_at, j.job_type, j.params`;
    const cases: [string, string, unknown[], boolean][] = [
      ['no filter', '', [], false],
      ['status=failed', `AND j.status = ANY($3)`, [['failed']], false],
      ['search=rust', `AND c.title ILIKE $3`, ['%rust 12%'], true],
      [
        'job_type=course_regeneration, from/to (7 days)',
        `AND j.job_type = $3 AND j.created_at >= now() - interval '14 days' AND j.created_at < now() - interval '7 days'`,
        ['course_regeneration'],
        false,
      ],
    ];
    const plans: string[] = [];
    for (const [title, where, extra, joinCount] of cases) {
      const params = [orgId, userId, ...extra];
      const page = `SELECT ${columns}, c.title AS course_title
        FROM course_generation_jobs j JOIN courses c ON c.id = j.course_id
        WHERE j.organization_id = $1 AND j.user_id = $2 ${where}
        ORDER BY j.created_at DESC, j.id DESC LIMIT 50 OFFSET 50`;
      const count = `SELECT count(*)::int AS n FROM course_generation_jobs j
        ${joinCount ? 'JOIN courses c ON c.id = j.course_id' : ''}
        WHERE j.organization_id = $1 AND j.user_id = $2 ${where}`;
      for (const [kind, sql] of [
        ['page 2 of 50', page],
        ['count', count],
      ]) {
        const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        const text = plan.map((p) => p['QUERY PLAN']).join('\n');
        console.log(`### ${title} — ${kind}\n${text}`);
        plans.push(`${title} — ${kind}:\n\n\`\`\`\n${text}\n\`\`\``);
      }
    }
    recordSection('Query plans at scale (100,000 jobs; EXPLAIN ANALYZE)', plans.join('\n\n'));
  });
});
