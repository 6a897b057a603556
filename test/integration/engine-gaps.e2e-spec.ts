import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../server/src/jobs/engine/job-queue';
import { Reconciler } from '../../server/src/jobs/engine/reconciler';
import { QUEUES } from '../../server/src/jobs/jobs.constants';
import { redisKey, redisKeyPrefix } from '../../server/src/redis/redis-keys';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import { jobLogs } from '../support/fault-checks';
import { GENERATE, queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { testRedisUrl } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/** An outline approved: projects, no lessons yet. */
const outline = (projects: number, title: string) =>
  ({ ...courseSpec({ projects, lessons: 0, title }), topic: 'engines' }) as ReturnType<typeof courseSpec>;

/** Every state in which a step has not started yet (BullMQ 6 keeps paused jobs in `wait`). */
const NOT_STARTED = ['waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

const projectIds = async (app: TestApp, courseId: string): Promise<string[]> =>
  (
    await app.app
      .get(DataSource)
      .query(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`, [courseId])
  ).map((r: { id: string }) => r.id);

describe('engine gaps (real PostgreSQL, Redis, BullMQ; the fake model server over HTTP)', () => {
  describe('when a job fails or is cancelled while most of its steps wait for the model budget', () => {
    // Two steps at once, six model calls a minute: of a 10-project course, most steps wait in the queue.
    const PER_MINUTE = 6;
    let fake: FakeLlmServer;
    let app: TestApp;
    let agent: AuthedAgent;
    let user: TestUser;
    let redis: Redis;

    beforeAll(async () => {
      fake = await startFakeLlmServer({ latencyMs: 30 });
      app = await startTestApp({
        env: {
          START_WORKER: 'true',
          ...fakeModelEnv(fake),
          STEP_CONCURRENCY: '2',
          MODEL_CALLS_PER_MINUTE: String(PER_MINUTE),
          STEP_BACKOFF_MS: '50',
        },
      });
      ({ user, agent } = await signIn(app));
      redis = new Redis(testRedisUrl());
    });
    afterAll(async () => {
      await redis?.quit();
      await app?.close();
      await fake?.close();
    });

    /** The steps of `jobId` still in the queue that no worker has started. */
    const notStartedSteps = async (jobId: string): Promise<string[]> => {
      const jobs = await app.app.get(JobQueue).steps.getJobs([...NOT_STARTED]);
      return jobs.filter((j) => j?.data.job_id === jobId).map((j) => j.id!);
    };
    /** Slots of MODEL_CALLS_PER_MINUTE taken in the current window (BullMQ's limiter counter). */
    const limiterSlotsTaken = async (): Promise<number> =>
      Number((await redis.get(redisKey(app.config, QUEUES.steps, 'limiter'))) ?? 0);

    it('a step failing for good leaves no step of the job queued, starts no other model call and takes no other slot', async () => {
      const courseId = await createCourse(app, user, outline(10, 'Failing early'));
      const [p1] = await projectIds(app, courseId);
      fake.script(
        { match: { step: `lessons:${p1}` }, status: 401, errorMessage: 'invalid api key' },
        { match: { course: courseId }, latencyMs: 1500 },
      );
      const jobId = await queueCourse(agent, courseId);
      const failed = await waitForJob(agent, jobId, 'failed');
      const failedAt = Date.now();
      expect(failed.job.error_message).toMatch(/Could not generate the lessons of "Project 1"/);

      await expect(
        waitFor(async () => (await notStartedSteps(jobId)).length === 0, {
          timeoutMs: 2000,
          what: 'the job’s waiting steps to leave the queue',
        }),
      ).resolves.toBe(true);
      // Only the steps that had started before the failure took a slot: each of them made its one model call.
      const started = fake.requestsMatching({ job: jobId });
      expect(started.length).toBeLessThanOrEqual(2);
      expect(await limiterSlotsTaken()).toBe(started.length);
      // The sibling in flight finishes its (paid) call; nothing else of the job reaches the model.
      await waitFor(() => started.every((r) => r.status !== undefined || r.closedEarly), {
        what: 'the in-flight sibling to finish',
      });
      expect(fake.requestsMatching({ job: jobId }).filter((r) => r.at >= failedAt)).toEqual([]);
      expect(await notStartedSteps(jobId)).toEqual([]);
    });

    it('a cancel leaves no step of the job queued, and none starts a model call or takes a slot afterwards', async () => {
      const slotsBefore = await limiterSlotsTaken();
      const courseId = await createCourse(app, user, outline(10, 'Cancelled early'));
      fake.script({ match: { course: courseId }, hang: true });
      const jobId = await queueCourse(agent, courseId);
      await waitFor(() => fake.requestsMatching({ job: jobId }).length === 2, {
        what: 'two model calls in flight',
      });
      expect((await notStartedSteps(jobId)).length).toBe(8);

      await agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200, { success: true });
      const answeredAt = Date.now();
      await expect(
        waitFor(async () => (await notStartedSteps(jobId)).length === 0, {
          timeoutMs: 2000,
          what: 'the job’s waiting steps to leave the queue',
        }),
      ).resolves.toBe(true);
      // The two running calls were aborted; their steps end without starting another.
      await waitFor(
        async () =>
          (await app.app.get(JobQueue).steps.getJobs(['active'])).every((j) => j?.data.job_id !== jobId),
        { what: 'the running steps to end' },
      );
      expect(fake.requestsMatching({ job: jobId }).filter((r) => r.at >= answeredAt)).toEqual([]);
      expect((await limiterSlotsTaken()) - slotsBefore).toBe(2);
      expect(await notStartedSteps(jobId)).toEqual([]);
    });
  });

  describe('without a worker', () => {
    let app: TestApp;
    let agent: AuthedAgent;
    let user: TestUser;
    let db: DataSource;

    beforeAll(async () => {
      app = await startTestApp({ env: { START_WORKER: 'false' } });
      ({ user, agent } = await signIn(app));
      db = app.app.get(DataSource);
    });
    afterAll(async () => {
      await app?.close();
    });

    /** A job that ran and failed at its lessons step, as a step's last attempt leaves it. */
    const failedJob = async (title: string): Promise<{ jobId: string; courseId: string }> => {
      const courseId = await createCourse(app, user, outline(2, title));
      const jobId = await queueCourse(agent, courseId);
      await db.query(
        `UPDATE course_generation_jobs SET status = 'failed', failed_step = 'lessons',
           error_message = 'Could not generate the lessons of "Project 1": boom', completed_at = now()
         WHERE id = $1`,
        [jobId],
      );
      await db.query(`UPDATE courses SET status = 'draft' WHERE id = $1`, [courseId]);
      return { jobId, courseId };
    };
    const jobRow = async (jobId: string) =>
      (
        await db.query(
          `SELECT status, retry_count, failed_step, error_message FROM course_generation_jobs WHERE id = $1`,
          [jobId],
        )
      )[0];

    describe('when two retries of one failed job arrive at once', () => {
      it('one answers 200 and the other 409; the run number goes up once; the failure is cleared', async () => {
        const { jobId } = await failedJob('Retried twice');
        const answers = await Promise.all([
          agent.post(`${GENERATE}/jobs/${jobId}/retry`),
          agent.post(`${GENERATE}/jobs/${jobId}/retry`),
        ]);
        expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(answers.find((r) => r.status === 409)?.body.message).toMatch(/The job is pending/);
        expect(await jobRow(jobId)).toEqual({
          status: 'pending',
          retry_count: 1,
          failed_step: null,
          error_message: null,
        });
      });
    });

    describe('when the job changes run while a retry is on its way (a stale read)', () => {
      it('the retry takes the next run number from the row, never reusing one', async () => {
        const { jobId } = await failedJob('Retried late');
        // Another run (#1) began and failed while this retry request was on its way: hold the row meanwhile.
        const other = db.createQueryRunner();
        await other.connect();
        try {
          await other.startTransaction();
          await other.query(`SELECT 1 FROM course_generation_jobs WHERE id = $1 FOR UPDATE`, [jobId]);
          const retry = agent.post(`${GENERATE}/jobs/${jobId}/retry`).then((r) => r);
          await waitFor(
            async () =>
              (
                await other.query(
                  `SELECT count(*)::int AS n FROM pg_stat_activity
                   WHERE datname = current_database() AND wait_event_type = 'Lock'`,
                )
              )[0].n >= 1,
            { what: 'the retry to wait for the row' },
          );
          await other.query(`UPDATE course_generation_jobs SET retry_count = 1 WHERE id = $1`, [jobId]);
          await other.commitTransaction();
          expect((await retry).status).toBe(200);
        } finally {
          await other.release();
        }
        expect((await jobRow(jobId)).retry_count).toBe(2);
        const logs = await jobLogs(db, jobId);
        expect(logs.at(-1)?.message).toMatch(/^Retry #2 requested by /);
      });
    });
  });

  describe('when BullMQ failed a course job by itself and no worker recorded it', () => {
    let app: TestApp;
    let agent: AuthedAgent;
    let user: TestUser;
    let db: DataSource;

    beforeAll(async () => {
      // No worker; the reconciler is driven by hand below and its own timer stays out of the way.
      app = await startTestApp({ env: { START_WORKER: 'false', RECONCILE_INTERVAL_MS: '600000' } });
      ({ user, agent } = await signIn(app));
      db = app.app.get(DataSource);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('the reconciler fails the job once, returns the course to draft, and never re-enqueues it', async () => {
      const courseId = await createCourse(app, user, outline(2, 'Stalled away'));
      const jobId = await queueCourse(agent, courseId);
      await db.query(`UPDATE course_generation_jobs SET status = 'generating_lessons' WHERE id = $1`, [
        jobId,
      ]);
      // A worker that takes the entry and has BullMQ fail it, the way its stalled checker does.
      const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
      const worker = new Worker(QUEUES.jobs, null, {
        connection,
        prefix: redisKeyPrefix(app.config),
        autorun: false,
      });
      try {
        const token = randomUUID();
        const entry = await worker.getNextJob(token, { block: false });
        expect(entry?.id).toBe(jobId);
        await entry!.moveToFailed(
          new UnrecoverableError('job stalled more than allowable limit'),
          token,
          false,
        );
      } finally {
        await worker.close();
        await connection.quit();
      }
      const reconciler = app.app.get(Reconciler);
      const lock = redisKey(app.config, 'reconciler-lock');
      const redis = new Redis(testRedisUrl());
      try {
        for (let round = 0; round < 2; round++) {
          await redis.del(lock);
          expect(await reconciler.reconcile()).toBe(0);
        }
      } finally {
        await redis.quit();
      }

      const detail = await agent.get(`${GENERATE}/jobs/${jobId}`).expect(200);
      expect(detail.body.job).toMatchObject({
        status: 'failed',
        failed_step: 'lessons',
        error_message: 'The lessons step failed: it stalled more than 5 times (its worker kept stopping)',
      });
      const errors = (await jobLogs(db, jobId)).filter((l) => l.level === 'error');
      expect(errors.map((l) => l.message)).toEqual([detail.body.job.error_message]);
      expect((await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200)).body.status).toBe(
        'draft',
      );
      // Not re-enqueued: nothing of the job waits or runs in the queue.
      const queued = await app.app
        .get(JobQueue)
        .jobs.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
      expect(queued.filter((j) => j?.data.job_id === jobId)).toEqual([]);
    });
  });
});
