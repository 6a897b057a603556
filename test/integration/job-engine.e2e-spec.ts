import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { JobStepsResponse, StepView } from '../../contracts/api';
import { JobQueue } from '../../server/src/jobs/engine/job-queue';
import { JobTypeRegistry } from '../../server/src/jobs/engine/job-type-registry';
import { redisKey } from '../../server/src/redis/redis-keys';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { EchoJobModule, EchoJobType, EchoParams, queueEcho } from '../support/echo-job-type';
import { jobDetail, GENERATE, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * The engine with a job type it has never heard of: the test-only `echo` type (test/support/echo-job-type.ts, the
 * worked example of docs/extending.md), registered by a test module. Everything but its phase — fan-out, step rows,
 * retries, failure, cancel, the reconciler, retry — is the engine's.
 */
const STEP_CONCURRENCY = 4;
const STEP_ATTEMPTS = 3;

describe('the job engine, running a job type registered by another module', () => {
  let app: TestApp;
  let db: DataSource;
  let echo: EchoJobType;
  let owner: { user: TestUser; agent: AuthedAgent };

  beforeAll(async () => {
    app = await startTestApp({
      imports: [EchoJobModule],
      env: {
        START_WORKER: 'true',
        STEP_CONCURRENCY: String(STEP_CONCURRENCY),
        STEP_ATTEMPTS: String(STEP_ATTEMPTS),
        STEP_BACKOFF_MS: '10',
        RECONCILE_INTERVAL_MS: '500',
      },
    });
    db = app.app.get(DataSource);
    echo = app.app.get(EchoJobType);
    owner = await signIn(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Each echo job gets its own course: at most one active job per course, whatever its type. */
  const queue = async (
    p: Omit<EchoParams, 'items'> & { items: number },
  ): Promise<{ id: string; items: string[] }> => {
    const items = Array.from({ length: p.items }, () => randomUUID());
    const courseId = await createCourse(app, owner.user, courseSpec({ projects: 1, lessons: 0, tasks: 0 }));
    return { id: await queueEcho(app.app, owner.user, courseId, { ...p, items }), items };
  };
  const stepRows = async (jobId: string): Promise<StepView[]> =>
    ((await owner.agent.get(`${GENERATE}/jobs/${jobId}/steps`).expect(200)).body as JobStepsResponse).steps;
  const allRuns = (
    jobId: string,
  ): Promise<{ run: number; item_id: string; status: string; attempts: number }[]> =>
    db.query(`SELECT run, item_id, status, attempts FROM generation_steps WHERE job_id = $1 ORDER BY run`, [
      jobId,
    ]);
  const results = async (jobId: string): Promise<string[]> =>
    (
      (await db.query(`SELECT item_id FROM echo_results WHERE job_id = $1`, [jobId])) as { item_id: string }[]
    ).map((r) => r.item_id);
  const startedOf = (items: string[]): number => echo.started.filter((id) => items.includes(id)).length;

  it('is registered next to the built-in types', () => {
    expect(app.app.get(JobTypeRegistry).names().sort()).toEqual([
      'course_generation',
      'course_regeneration',
      'echo',
    ]);
  });

  describe('when an echo job runs', () => {
    it('fans out one step per item, runs them in parallel, and completes with one result and one step row each', async () => {
      echo.peak = 0;
      const job = await queue({ items: 6, slow_ms: 300 });
      const done = await waitForJob(owner.agent, job.id, 'completed');

      expect(done.job.job_type).toBe('echo');
      expect(done.job.items_completed).toBe(6);
      expect(done.job.step_counts.succeeded).toBe(6);
      expect((await results(job.id)).sort()).toEqual([...job.items].sort());
      const steps = await stepRows(job.id);
      expect(steps.map((s) => [s.kind, s.item_id, s.status, s.attempts])).toEqual(
        job.items.map((id) => ['echo', id, 'succeeded', 1]),
      );
      expect(echo.peak).toBeGreaterThan(1);
      expect(echo.peak).toBeLessThanOrEqual(STEP_CONCURRENCY);
      const messages = done.logs.map((l) => l.message);
      expect(messages[0]).toBe('Echo job: 6 items');
      expect(messages.filter((m) => /^Echoed item \d$/.test(m))).toHaveLength(6);
      expect(messages.at(-1)).toBe('Echoed 6 items');
    });
  });

  describe('when a step fails and then succeeds', () => {
    it('retries it with backoff, counts its attempts, and completes the job', async () => {
      const job = await queue({ items: 3, flaky_item: 2, flaky_times: 2 });
      const done = await waitForJob(owner.agent, job.id, 'completed');

      const flaky = (await stepRows(job.id)).find((s) => s.item_id === job.items[1])!;
      expect(flaky.status).toBe('succeeded');
      expect(flaky.attempts).toBe(3);
      expect(flaky.attempt_history.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'succeeded']);
      expect(flaky.attempt_history[0].error_message).toBe('item 2 flaked');
      expect(done.logs.map((l) => l.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Attempt 1\/3 failed for echo of "item 2": item 2 flaked; retrying in/),
          expect.stringMatching(/^Attempt 2\/3 failed for echo of "item 2": item 2 flaked; retrying in/),
        ]),
      );
      expect((await results(job.id)).length).toBe(3);
    });
  });

  describe('when a step fails on every attempt', () => {
    let job: { id: string; items: string[] };

    it('fails the job at that step with a readable error, and leaves no step open', async () => {
      job = await queue({ items: 4, fail_item: 3 });
      const failed = await waitForJob(owner.agent, job.id, 'failed');

      expect(failed.job.failed_step).toBe('lessons');
      expect(failed.job.error_message).toBe(
        'Could not generate the echo of "item 3": item 3 cannot be echoed',
      );
      const step = (await stepRows(job.id)).find((s) => s.item_id === job.items[2])!;
      expect(step).toMatchObject({ status: 'failed', attempts: STEP_ATTEMPTS });
      expect((await stepRows(job.id)).filter((s) => s.status === 'queued' || s.status === 'running')).toEqual(
        [],
      );
      expect(failed.logs.map((l) => l.message)).toContain(
        `Failed to generate echo of "item 3" after ${STEP_ATTEMPTS} attempts: item 3 cannot be echoed`,
      );
    });

    it('and a retry runs the missing items only, in a new run, to completion', async () => {
      const written = await results(job.id);
      await owner.agent.post(`${GENERATE}/jobs/${job.id}/retry`).expect(200, { success: true });
      const done = await waitForJob(owner.agent, job.id, 'completed');

      expect(done.job.retry_count).toBe(1);
      expect((await results(job.id)).sort()).toEqual([...job.items].sort());
      const rows = await allRuns(job.id);
      // Run 1 has a row for each item run 0 had not written, and nothing else.
      expect(
        rows
          .filter((r) => r.run === 1)
          .map((r) => r.item_id)
          .sort(),
      ).toEqual(job.items.filter((id) => !written.includes(id)).sort());
      expect(rows.filter((r) => r.run === 1 && r.status !== 'succeeded')).toEqual([]);
      expect(done.logs.map((l) => l.message)).toContain(
        `Retry #1 requested by ${owner.user.email}; resuming at lessons`,
      );
    });
  });

  describe('when the job is cancelled mid-run', () => {
    it('aborts the running steps, removes the waiting ones, and starts no further step', async () => {
      const job = await queue({ items: 12, slow_ms: 60_000 });
      await waitFor(() => startedOf(job.items) >= STEP_CONCURRENCY, { what: 'the first steps to start' });

      await owner.agent.post(`${GENERATE}/jobs/${job.id}/cancel`).expect(200, { success: true });
      expect((await jobDetail(owner.agent, job.id)).job.status).toBe('cancelled');
      // Nothing of the job is left in the queue: no step can start any more.
      const steps = app.app.get(JobQueue).steps;
      await waitFor(
        async () =>
          (await steps.getJobs(['wait', 'prioritized', 'delayed', 'active', 'waiting-children'])).every(
            (s) => s?.data.job_id !== job.id,
          ),
        { what: 'the queue to hold no step of the cancelled job' },
      );
      expect(startedOf(job.items)).toBe(STEP_CONCURRENCY);
      const rows = await stepRows(job.id);
      expect(rows).toHaveLength(12);
      expect(rows.filter((s) => s.status !== 'cancelled')).toEqual([]);
      expect(await results(job.id)).toEqual([]);
    });
  });

  describe('when Redis loses the queue mid-run', () => {
    it('the reconciler re-enqueues the job, which completes with each item written once', async () => {
      const job = await queue({ items: 8, slow_ms: 400 });
      await waitFor(async () => (await results(job.id)).length >= 2, { what: 'some items written' });
      const redis = new Redis(app.config.REDIS_URL);
      try {
        const keys = await redis.keys(redisKey(app.config, '*'));
        if (keys.length) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }

      const done = await waitForJob(owner.agent, job.id, 'completed', 60_000);
      expect(done.logs.map((l) => l.message)).toContain(
        'The queue had lost this job (Redis emptied or restarted); re-enqueued it',
      );
      expect((await results(job.id)).sort()).toEqual([...job.items].sort());
      const rows = await allRuns(job.id);
      expect(rows).toHaveLength(8);
      expect(rows.filter((r) => r.run !== 0 || r.status !== 'succeeded')).toEqual([]);
    });
  });
});
