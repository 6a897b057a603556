import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import { Fleet } from '../support/fleet';
import { parseScrape, Scrape, sumOf } from '../support/prometheus';
import { queueCourse, waitForJob } from '../support/queue-helpers';
import { freePort } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';
import { testRedisUrl } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const TOKEN = 'metrics-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

async function scrape(baseUrl: string): Promise<Scrape> {
  const res = await request(baseUrl).get('/metrics').set(auth).expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(res.text);
}

describe('metrics and health probes (real PostgreSQL, Redis, BullMQ; the fake model server)', () => {
  describe('the API with its in-process worker and METRICS_TOKEN', () => {
    let fake: FakeLlmServer;
    let app: TestApp;
    let user: TestUser;
    let agent: AuthedAgent;

    beforeAll(async () => {
      fake = await startFakeLlmServer({ latencyMs: 5 });
      app = await startTestApp({
        env: { START_WORKER: 'true', ...fakeModelEnv(fake), METRICS_TOKEN: TOKEN, STEP_BACKOFF_MS: '50' },
      });
      ({ user, agent } = await signIn(app));
    });
    afterAll(async () => {
      await app?.close();
      await fake?.close();
    });

    describe('GET /metrics', () => {
      it('refuses a scrape without the token, or with another, with 401', async () => {
        const none = await request(app.baseUrl).get('/metrics').expect(401);
        expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(none.body.message).toMatch(/METRICS_TOKEN/);
        await request(app.baseUrl).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
        await request(app.baseUrl).get('/metrics').set('Cookie', 'courseloom_session=whatever').expect(401);
      });

      it('answers the Prometheus text format, every product metric declared with its type', async () => {
        const s = await scrape(app.baseUrl);
        expect(
          Object.fromEntries(
            [...s.families].filter(([name]) => !name.includes('_process_') && !name.includes('nodejs')),
          ),
        ).toMatchObject({
          courseloom_http_request_duration_seconds: 'histogram',
          courseloom_jobs_total: 'counter',
          courseloom_jobs_active: 'gauge',
          bullmq_job_count: 'gauge',
          courseloom_step_duration_seconds: 'histogram',
          courseloom_model_call_duration_seconds: 'histogram',
          courseloom_model_tokens_total: 'counter',
          courseloom_model_cost_usd_total: 'counter',
          webhook_deliveries_total: 'counter',
        });
        expect(sumOf(s, 'bullmq_job_count', { queue: 'jobs', state: 'waiting' })).toBeGreaterThanOrEqual(0);
        expect(
          s.samples.some(
            (x) => x.name === 'bullmq_job_count' && x.labels.queue === 'course-generation-steps',
          ),
        ).toBe(true);
      });
    });

    describe('when a course is generated', () => {
      let before: Scrape;
      let after: Scrape;
      let projects: number;

      beforeAll(async () => {
        before = await scrape(app.baseUrl);
        projects = 2;
        const courseId = await createCourse(app, user, {
          ...courseSpec({ projects, lessons: 0 }),
          title: 'Metered',
        });
        const jobId = await queueCourse(agent, courseId);
        await waitForJob(agent, jobId, 'completed');
        await agent.get(`/api/admin/curriculum/generate/jobs/${jobId}`).expect(200);
        after = await scrape(app.baseUrl);
      });

      const delta = (name: string, labels: Record<string, string> = {}): number =>
        sumOf(after, name, labels) - sumOf(before, name, labels);

      it('counts the job created and completed, by its type', () => {
        expect(delta('courseloom_jobs_total', { type: 'course_generation', status: 'created' })).toBe(1);
        expect(delta('courseloom_jobs_total', { type: 'course_generation', status: 'completed' })).toBe(1);
        expect(delta('courseloom_jobs_total', { status: 'failed' })).toBe(0);
      });

      it('times every step by kind and outcome', () => {
        expect(delta('courseloom_step_duration_seconds_count', { kind: 'lessons', outcome: 'written' })).toBe(
          projects,
        );
        expect(
          delta('courseloom_step_duration_seconds_count', { kind: 'tasks', outcome: 'written' }),
        ).toBeGreaterThan(0);
      });

      it('times the model calls by provider, model and outcome, and counts their tokens by model', () => {
        const calls = delta('courseloom_model_call_duration_seconds_count', {
          provider: 'openai-compatible',
          model: 'fake-model',
          outcome: 'ok',
        });
        expect(calls).toBeGreaterThanOrEqual(projects);
        expect(
          delta('courseloom_model_tokens_total', { model: 'fake-model', type: 'prompt' }),
        ).toBeGreaterThan(0);
        expect(
          delta('courseloom_model_tokens_total', { model: 'fake-model', type: 'completion' }),
        ).toBeGreaterThan(0);
      });

      it('labels HTTP requests with the route pattern, never the raw URL', () => {
        const routes = new Set(
          after.samples
            .filter((x) => x.name === 'courseloom_http_request_duration_seconds_count')
            .map((x) => x.labels.route),
        );
        expect(routes).toContain('/api/admin/curriculum/generate/jobs/:jobId');
        expect([...routes].filter((r) => /[0-9a-f]{8}-[0-9a-f]{4}/.test(r))).toEqual([]);
        expect(
          delta('courseloom_http_request_duration_seconds_count', {
            route: '/api/admin/curriculum/generate/jobs/:jobId',
            method: 'GET',
            status: '200',
          }),
        ).toBeGreaterThan(0);
      });
    });

    describe('the probes', () => {
      it('GET /health/live → 200 while the process serves', async () => {
        const res = await request(app.baseUrl).get('/health/live').expect(200);
        expect(res.body).toMatchObject({ status: 'ok' });
      });

      it('GET /health/ready → 200: PostgreSQL, Redis and migrations up, and the in-process worker seen', async () => {
        const res = await request(app.baseUrl).get('/health/ready').expect(200);
        expect(res.body).toMatchObject({
          status: 'ok',
          details: {
            database: { status: 'up' },
            redis: { status: 'up' },
            migrations: { status: 'up', pending: 0 },
            workers: { status: 'up', seen: expect.any(Number) },
          },
        });
        expect(res.body.details.workers.seen).toBeGreaterThanOrEqual(1);
      });

      it('GET /health keeps its shape for the console', async () => {
        const res = await request(app.baseUrl).get('/health').expect(200);
        expect(res.body).toEqual({
          status: 'ok',
          checks: { postgres: { status: 'up' }, redis: { status: 'up' } },
        });
      });
    });
  });

  describe('the API alone (no worker anywhere)', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(async () => {
      await app?.close();
    });

    it('serves /metrics to anyone when METRICS_TOKEN is not set', async () => {
      const res = await request(app.baseUrl).get('/metrics').expect(200);
      expect(parseScrape(res.text).families.get('courseloom_jobs_total')).toBe('counter');
    });

    it('stays ready with no worker seen, and says so (degraded, 200)', async () => {
      const res = await request(app.baseUrl).get('/health/ready').expect(200);
      expect(res.body).toMatchObject({
        status: 'degraded',
        details: { workers: { status: 'degraded', seen: 0, message: expect.stringMatching(/No worker/) } },
      });
    });

    describe('when a migration of this build is not applied', () => {
      let removed: { id: number; timestamp: string; name: string };
      const db = (): DataSource => app.app.get(DataSource);

      beforeAll(async () => {
        // A DELETE … RETURNING answers [rows, count] through TypeORM.
        const [rows] = await db().query(
          `DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING *`,
        );
        removed = rows[0];
      });
      afterAll(async () => {
        await db().query(`INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [
          removed.id,
          removed.timestamp,
          removed.name,
        ]);
      });

      it('readiness is 503 naming the pending migrations; liveness stays 200', async () => {
        const res = await request(app.baseUrl).get('/health/ready').expect(503);
        expect(res.body).toMatchObject({
          status: 'error',
          error: { migrations: { status: 'down', reason: 'pending', pending: 1 } },
        });
        await request(app.baseUrl).get('/health/live').expect(200);
      });
    });
  });

  describe('when Redis goes down', () => {
    const target = new URL(testRedisUrl());
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    let app: TestApp;

    beforeAll(async () => {
      await proxy.start();
      app = await startTestApp({ env: { REDIS_URL: proxy.rewrite(testRedisUrl()) } });
    });
    afterAll(async () => {
      await app?.close();
      await proxy.stop();
    });

    it('readiness turns 503 naming Redis while liveness stays 200, and readiness is 200 again once it is back', async () => {
      await request(app.baseUrl).get('/health/ready').expect(200);
      await proxy.stop();
      const down = await request(app.baseUrl).get('/health/ready').expect(503);
      expect(down.body).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down', reason: expect.stringMatching(/^(unreachable|timeout|error)$/) } },
        details: { database: { status: 'up' }, migrations: { status: 'up' } },
      });
      expect(down.text).not.toContain(String(proxy.port));
      await request(app.baseUrl).get('/health/live').expect(200);
      const metrics = await request(app.baseUrl).get('/metrics').expect(200); // still answers, queue gauges empty
      expect(parseScrape(metrics.text).families.has('bullmq_job_count')).toBe(true);
      await proxy.start();
      await waitFor(async () => (await request(app.baseUrl).get('/health/ready')).status === 200, {
        what: '/health/ready 200 again',
        timeoutMs: 15_000,
      });
    });
  });

  describe('a worker process with METRICS_PORT', () => {
    let fake: FakeLlmServer;
    let fleet: Fleet;
    let workerUrl: string;

    beforeAll(async () => {
      fake = await startFakeLlmServer({ latencyMs: 5 });
      fleet = await Fleet.start(fake, { workers: 0, env: { METRICS_TOKEN: TOKEN } });
      const port = await freePort();
      const worker = await fleet.addWorker({ METRICS_PORT: String(port) });
      await worker.waitForOutput(/Metrics and health on/);
      workerUrl = `http://127.0.0.1:${port}`;
    });
    afterAll(async () => {
      await fleet?.close();
      await fake?.close();
    });

    it('serves /metrics with the token only, in the Prometheus text format', async () => {
      await request(workerUrl).get('/metrics').expect(401);
      const s = await scrape(workerUrl);
      expect(s.families.get('courseloom_step_duration_seconds')).toBe('histogram');
      expect(s.families.get('bullmq_job_count')).toBe('gauge');
    });

    it('serves /health/live and /health/ready', async () => {
      await request(workerUrl)
        .get('/health/live')
        .expect(200, { status: 'ok', info: {}, error: {}, details: {} });
      const ready = await request(workerUrl).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        details: { database: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' } },
      });
      expect(ready.body.details.workers).toBeUndefined(); // the API's concern
    });

    it("counts its steps in its own metrics, and the API's readiness sees it", async () => {
      const courseId = await createCourse(fleet.app, fleet.user, {
        ...courseSpec({ projects: 1, lessons: 0 }),
        title: 'W',
      });
      await waitForJob(fleet.agent, await queueCourse(fleet.agent, courseId), 'completed');
      const s = await scrape(workerUrl);
      expect(
        sumOf(s, 'courseloom_step_duration_seconds_count', { kind: 'lessons', outcome: 'written' }),
      ).toBe(1);
      const api = await request(fleet.app.baseUrl).get('/health/ready').expect(200);
      expect(api.body.details.workers).toMatchObject({ status: 'up', seen: 1 });
    });
  });
});
