import { Redis } from 'ioredis';
import { JobQueue } from '../../server/src/jobs/engine/job-queue';
import { FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server';
import {
  expectStepRowsConsistent,
  finishedSteps,
  jobLogs,
  stepRows,
  waitAllTerminal,
} from '../support/fault-checks';
import { Fleet } from '../support/fleet';
import { queueCourse } from '../support/queue-helpers';
import { PrivateRedis } from '../support/redis-server';
import { waitFor } from '../support/wait-for';

describe('faults: workers and Redis (real worker processes, PostgreSQL, Redis, the fake model server)', () => {
  let fake: FakeLlmServer;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 150 });
  });
  afterEach(async () => {
    await fleet?.close();
    fleet = undefined;
    fake.reset();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('a worker killed with SIGKILL mid-step: 10/10 courses complete; finished steps are not called again', async () => {
    fleet = await Fleet.start(fake, { workers: 2, env: { STEP_CONCURRENCY: '4' } });
    fleet.startProgressMonitor();
    const courses = await fleet.createCourses(10, 3, 'Killed');
    const jobs = await Promise.all(courses.map((c) => queueCourse(fleet!.agent, c)));
    // Mid-run: some steps written, others in flight on both workers.
    await waitFor(async () => (await finishedSteps(fleet!.db, courses)).length >= 8, {
      what: 'some steps done',
    });
    const victim = fleet.workers[0];
    victim.kill('SIGKILL');
    const doneBeforeKill = await finishedSteps(fleet.db, courses);

    const statuses = await waitAllTerminal(fleet, jobs, 90_000);
    expect(Object.values(statuses)).toEqual(Array(10).fill('completed'));
    expect(await fleet.shapeProblems(courses)).toEqual([]);
    expect(fleet.progressRegressions()).toEqual([]);
    const calls = fleet.callsPerStep(jobs);
    expect(calls.size).toBe(10 * (3 + 9));
    // A step that had written its items before the kill was never asked for again.
    expect(doneBeforeKill.filter((s) => calls.get(s) !== 1)).toEqual([]);
    // One step row per step per run, each succeeded, its attempts the model calls it made (the killed ones too).
    await expectStepRowsConsistent(fleet.db, jobs);
    const rows = await stepRows(fleet.db, jobs);
    expect(rows).toHaveLength(10 * (3 + 9));
    expect(rows.filter((r) => r.status !== 'succeeded')).toEqual([]);
    // An attempt the kill cut short is closed as `interrupted`; its call may not have reached the model.
    const miscounted = rows.filter((r) => {
      const made = calls.get(`${r.kind}:${r.item_id}`) ?? 0;
      return r.attempts < made || r.attempts > made + r.interrupted;
    });
    expect(miscounted).toEqual([]);
  });

  it('Redis emptied (FLUSHALL) mid-run: every job completes, each item once', async () => {
    const redis = await PrivateRedis.start(['--maxmemory-policy', 'noeviction']);
    try {
      fleet = await Fleet.start(fake, { workers: 1, redisUrl: redis.url });
      fleet.startProgressMonitor();
      const courses = await fleet.createCourses(5, 3, 'Flushed');
      const jobs = await Promise.all(courses.map((c) => queueCourse(fleet!.agent, c)));
      await waitFor(async () => (await finishedSteps(fleet!.db, courses)).length >= 5, {
        what: 'some steps done',
      });
      const client = new Redis(redis.url);
      await client.flushall();
      await client.quit();

      const statuses = await waitAllTerminal(fleet, jobs, 90_000);
      expect(Object.values(statuses)).toEqual(Array(5).fill('completed'));
      expect(await fleet.shapeProblems(courses)).toEqual([]);
      expect(fleet.progressRegressions()).toEqual([]);
      const logs = await Promise.all(jobs.map((j) => jobLogs(fleet!.db, j)));
      // The reconciler noticed the lost queue entries and said so in the jobs' logs.
      expect(logs.some((l) => l.some((e) => /re-enqueued/.test(e.message)))).toBe(true);
      // The re-enqueued fan-out reused the steps' rows: one per step per run, none left queued or running, and
      // every item of every course covered by a succeeded row.
      await expectStepRowsConsistent(fleet.db, jobs);
      const rows = await stepRows(fleet.db, jobs);
      expect(rows).toHaveLength(5 * (3 + 9));
      expect(rows.filter((r) => r.status !== 'succeeded' || r.run !== 0)).toEqual([]);
    } finally {
      await fleet?.close();
      fleet = undefined;
      await redis.stop();
    }
  });

  it('cancel from the API while a worker process runs the job: it stays cancelled, and no model request for it starts after the cancel answered', async () => {
    fake.script({ latencyMs: 400 });
    fleet = await Fleet.start(fake, { workers: 1 });
    const [course] = await fleet.createCourses(1, 4, 'Cancelled');
    const jobId = await queueCourse(fleet.agent, course);
    await waitFor(() => fake.requestsMatching({ job: jobId }).length >= 2, { what: 'model calls in flight' });

    await fleet.agent
      .post(`/api/admin/curriculum/generate/jobs/${jobId}/cancel`)
      .expect(200, { success: true });
    const answeredAt = Date.now();
    const lessonsAtCancel = (await fleet.db.query(`SELECT count(*)::int AS n FROM lessons`))[0].n;

    // Wait until the queue holds nothing more for this job (removed, or run and skipped).
    const steps = fleet.app.app.get(JobQueue).steps;
    await waitFor(
      async () => {
        const left = await steps.getJobs(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);
        return left.every((j) => j.data.job_id !== jobId);
      },
      { what: 'the job’s steps to leave the queue' },
    );
    const detail = await fleet.agent.get(`/api/admin/curriculum/generate/jobs/${jobId}`).expect(200);
    expect(detail.body.job.status).toBe('cancelled');
    expect(detail.body.logs.at(-1).message).toMatch(/^Cancelled by /);
    expect(fake.requestsMatching({ job: jobId }).filter((r) => r.at > answeredAt)).toEqual([]);
    // In-flight calls were aborted (the fake saw the connection close) or finished without being written.
    expect((await fleet.db.query(`SELECT count(*)::int AS n FROM lessons`))[0].n).toBe(lessonsAtCancel);
    const course1 = await fleet.agent.get(`/api/admin/curriculum/courses/${course}`).expect(200);
    expect(course1.body.status).toBe('draft');
  });

  it('SIGTERM: the worker finishes its running steps and exits 0; the other worker completes every job', async () => {
    fleet = await Fleet.start(fake, { workers: 2, env: { STEP_CONCURRENCY: '4' } });
    const courses = await fleet.createCourses(6, 3, 'Drained');
    const jobs = await Promise.all(courses.map((c) => queueCourse(fleet!.agent, c)));
    await waitFor(async () => (await finishedSteps(fleet!.db, courses)).length >= 4, {
      what: 'some steps done',
    });
    const leaving = fleet.workers[0];
    const sentAt = Date.now();
    leaving.kill('SIGTERM');
    const exit = await leaving.waitForExit(15_000);
    expect(exit.code).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(10_000 + 2_000);
    expect(leaving.output).toMatch(/Shut down cleanly/);

    const statuses = await waitAllTerminal(fleet, jobs, 90_000);
    expect(Object.values(statuses)).toEqual(Array(6).fill('completed'));
    expect(await fleet.shapeProblems(courses)).toEqual([]);
    // Steps it let finish were written once; nothing was asked twice.
    expect([...fleet.callsPerStep(jobs).values()].filter((n) => n !== 1)).toEqual([]);
  });
});
