import { DataSource } from 'typeorm';
import type { JobStepsResponse, StepView } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { cannedContent, FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import { GENERATE, jobDetail, queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** An outline approved: projects, no lessons yet. */
const outline = (projects: number, title: string) =>
  ({ ...courseSpec({ projects, lessons: 0, title }), topic: 'board games' }) as ReturnType<typeof courseSpec>;

describe('job steps as records and the paged job log (real PostgreSQL, Redis, BullMQ; the fake model server)', () => {
  let fake: FakeLlmServer;
  let app: TestApp;
  let db: DataSource;
  let user: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 20 });
    app = await startTestApp({
      env: {
        START_WORKER: 'true',
        ...fakeModelEnv(fake),
        STEP_BACKOFF_MS: '50',
        RECONCILE_INTERVAL_MS: '1000',
      },
    });
    db = app.app.get(DataSource);
    ({ user, agent } = await signIn(app));
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const projectIds = async (courseId: string): Promise<string[]> =>
    (await db.query(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`, [courseId])).map(
      (r: { id: string }) => r.id,
    );
  const steps = async (jobId: string, query = ''): Promise<StepView[]> =>
    ((await agent.get(`${GENERATE}/jobs/${jobId}/steps${query}`).expect(200)).body as JobStepsResponse).steps;
  const retry = (jobId: string) => agent.post(`${GENERATE}/jobs/${jobId}/retry`).expect(200);

  describe('when a course is generated with one transient failure', () => {
    it('lists one step per model call in course order, each succeeded, with attempts, model, prompt id and tokens', async () => {
      const courseId = await createCourse(app, user, outline(2, 'Steps in order'));
      const [p1, p2] = await projectIds(courseId);
      fake.script({ match: { step: `lessons:${p1}` }, status: 500, times: 1 });
      const jobId = await queueCourse(agent, courseId);
      const { job } = await waitForJob(agent, jobId, 'completed');

      const list = await steps(jobId);
      const lessons: { id: string; project_id: string }[] = await db.query(
        `SELECT l.id, l.project_id FROM lessons l JOIN course_projects p ON p.id = l.project_id
         WHERE p.course_id = $1 ORDER BY p.position, l.position`,
        [courseId],
      );
      // Course order: a project's lessons step, then the tasks steps of its lessons, then the next project.
      expect(list.map((s) => `${s.kind}:${s.item_id}`)).toEqual([
        `lessons:${p1}`,
        ...lessons.filter((l) => l.project_id === p1).map((l) => `tasks:${l.id}`),
        `lessons:${p2}`,
        ...lessons.filter((l) => l.project_id === p2).map((l) => `tasks:${l.id}`),
      ]);
      expect(list.every((s) => s.status === 'succeeded' && s.run === 0 && s.job_id === jobId)).toBe(true);
      expect(list[0]).toMatchObject({
        item_title: 'Project 1',
        parent_item_id: null,
        project_position: 0,
        lesson_position: null,
        attempts: 2,
        model: 'fake-model',
        prompt_id: 'lessons@3',
        error_kind: null,
        error_message: null,
      });
      expect(list[0].attempt_history.map((a) => [a.attempt, a.outcome, a.error_kind])).toEqual([
        [1, 'retrying', 'transient'],
        [2, 'succeeded', null],
      ]);
      expect(list[0].attempt_history[0].error_message).toMatch(/500/);
      expect(list[1]).toMatchObject({ parent_item_id: p1, project_position: 0, lesson_position: 0 });
      for (const s of list.slice(1)) {
        expect(s.attempts).toBe(1);
        expect(s.attempt_history).toEqual([
          expect.objectContaining({ attempt: 1, outcome: 'succeeded', finished_at: expect.any(String) }),
        ]);
        expect(s.prompt_id).toBe(s.kind === 'lessons' ? 'lessons@3' : 'tasks@3');
      }
      for (const s of list) {
        expect(s.prompt_tokens).toBeGreaterThan(0);
        expect(s.completion_tokens).toBeGreaterThan(0);
        expect(s.duration_ms).toBeGreaterThanOrEqual(0);
        expect(s.started_at).not.toBeNull();
        expect(s.finished_at).not.toBeNull();
      }
      // The job's tokens are the sum of its steps'; its view counts them per status.
      expect(job.prompt_tokens).toBe(list.reduce((n, s) => n + (s.prompt_tokens ?? 0), 0));
      expect(job.job_type).toBe('course_generation');
      expect(job.step_counts).toEqual({
        queued: 0,
        running: 0,
        succeeded: 8,
        failed: 0,
        skipped: 0,
        cancelled: 0,
      });
      const listed = await agent.get(`${GENERATE}/jobs?course_id=${courseId}`).expect(200);
      expect(listed.body.jobs[0].step_counts).toEqual(job.step_counts);
    });
  });

  describe('when a step fails for good and the job is retried', () => {
    it('keeps one row per step per run; the failed step shows its error; the retry runs only what is missing', async () => {
      const courseId = await createCourse(app, user, outline(2, 'Steps per run'));
      const [p1, p2] = await projectIds(courseId);
      fake.script({ match: { step: `lessons:${p2}` }, status: 500, times: 4 });
      const jobId = await queueCourse(agent, courseId);
      const failed = await waitForJob(agent, jobId, 'failed');

      const run0 = await steps(jobId);
      expect(run0.map((s) => [s.kind, s.item_id, s.status, s.attempts])).toEqual([
        ['lessons', p1, 'succeeded', 1],
        ['lessons', p2, 'failed', 4],
      ]);
      expect(run0[1].error_kind).toBe('transient');
      expect(run0[1].error_message).toMatch(/500/);
      expect(run0[1].attempt_history.map((a) => a.outcome)).toEqual([
        'retrying',
        'retrying',
        'retrying',
        'failed',
      ]);
      expect(failed.job.step_counts).toMatchObject({ succeeded: 1, failed: 1, queued: 0, running: 0 });

      await retry(jobId);
      const done = await waitForJob(agent, jobId, 'completed');
      const run1 = await steps(jobId);
      expect(run1.every((s) => s.run === 1 && s.status === 'succeeded' && s.attempts === 1)).toBe(true);
      // Project 1 had its lessons: no lessons step for it in run 1; its tasks steps are there.
      expect(run1.filter((s) => s.kind === 'lessons').map((s) => s.item_id)).toEqual([p2]);
      expect(run1.filter((s) => s.kind === 'tasks')).toHaveLength(6);
      expect(done.job.step_counts.succeeded).toBe(7);
      // The first run is still there, unchanged.
      expect((await steps(jobId, '?run=0')).map((s) => [s.item_id, s.status])).toEqual([
        [p1, 'succeeded'],
        [p2, 'failed'],
      ]);
      const dup: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM generation_steps WHERE job_id = $1
         GROUP BY run, kind, item_id HAVING count(*) > 1`,
        [jobId],
      );
      expect(dup).toEqual([]);
    });
  });

  describe('when a step fails for good while a sibling’s model call is in flight', () => {
    it('stores the sibling’s paid result as a succeeded step without moving the failed job; the retry does not call for it again', async () => {
      const courseId = await createCourse(app, user, outline(2, 'Paid sibling'));
      const [p1, p2] = await projectIds(courseId);
      fake.script(
        { match: { step: `lessons:${p1}` }, status: 401, times: 1 },
        { match: { step: `lessons:${p2}` }, latencyMs: 1500, times: 1 },
      );
      const jobId = await queueCourse(agent, courseId);
      await waitForJob(agent, jobId, 'failed');
      expect(fake.requestsMatching({ step: `lessons:${p2}` })).toHaveLength(1);

      const sibling = await waitFor(
        async () => (await steps(jobId)).find((s) => s.item_id === p2 && s.status === 'succeeded') ?? null,
        { what: 'the sibling’s step to succeed', timeoutMs: 10_000 },
      );
      expect(sibling.attempts).toBe(1);
      const stored: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM lessons WHERE project_id = $1`,
        [p2],
      );
      expect(stored[0].n).toBe(3);
      const after = await jobDetail(agent, jobId);
      expect(after.job.status).toBe('failed');
      expect(after.job.failed_step).toBe('lessons');
      expect((await steps(jobId)).find((s) => s.item_id === p1)).toMatchObject({
        status: 'failed',
        error_kind: 'permanent',
      });

      await retry(jobId);
      await waitForJob(agent, jobId, 'completed');
      expect(fake.requestsMatching({ step: `lessons:${p2}` })).toHaveLength(1);
      expect(fake.requestsMatching({ step: `lessons:${p1}` })).toHaveLength(2);
    });
  });

  describe('when a step of an older run finishes after the retry started', () => {
    it('writes nothing: neither its items, nor its step, nor the job’s progress', async () => {
      const courseId = await createCourse(app, user, outline(2, 'Late old run'));
      const [p1, p2] = await projectIds(courseId);
      fake.script(
        { match: { step: `lessons:${p1}` }, status: 401, times: 1 },
        // Run 0's call for project 2 answers late with recognisable lessons; run 1's answers later still.
        {
          match: { step: `lessons:${p2}`, nth: 1 },
          latencyMs: 2500,
          content: cannedContent('lessons', 3, 5, 'stale'),
        },
        { match: { step: `lessons:${p2}`, nth: 2 }, latencyMs: 5000 },
      );
      const jobId = await queueCourse(agent, courseId);
      await waitForJob(agent, jobId, 'failed');
      await retry(jobId);
      await waitFor(() => fake.requestsMatching({ step: `lessons:${p2}` }).length === 2, {
        what: 'run 1’s call for project 2',
      });
      // Run 0's late answer arrives while run 1's call is still out.
      await waitFor(() => fake.requestsMatching({ step: `lessons:${p2}` })[0].status === 200, {
        what: 'run 0’s late answer',
      });
      await waitForJob(agent, jobId, 'completed');

      const titles: { title: string }[] = await db.query(`SELECT title FROM lessons WHERE project_id = $1`, [
        p2,
      ]);
      expect(titles.map((t) => t.title)).not.toContainEqual(expect.stringContaining('stale'));
      expect((await steps(jobId, '?run=0')).find((s) => s.item_id === p2)?.status).toBe('cancelled');
      expect((await steps(jobId)).find((s) => s.item_id === p2)).toMatchObject({
        status: 'succeeded',
        run: 1,
      });
    });
  });

  describe('when returning the course to draft fails while a step fails the job', () => {
    it('does not fail the job either (one transaction): the course never stays generating under a failed job', async () => {
      const courseId = await createCourse(app, user, outline(1, 'Atomic failure'));
      const [p1] = await projectIds(courseId);
      // The course's move back to draft fails once, as a crash between the two writes would leave it.
      // A sequence, not a table: nextval survives the rollback of the transaction it refused.
      await db.query(`CREATE SEQUENCE test_draft_refusals`);
      await db.query(`
        CREATE FUNCTION test_refuse_draft() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.id = '${courseId}' AND OLD.status = 'generating' AND NEW.status = 'draft'
             AND nextval('test_draft_refusals') = 1 THEN
            RAISE EXCEPTION 'test: the course could not be updated';
          END IF;
          RETURN NEW;
        END $$`);
      await db.query(
        `CREATE TRIGGER test_refuse_draft BEFORE UPDATE ON courses FOR EACH ROW EXECUTE FUNCTION test_refuse_draft()`,
      );
      try {
        fake.script({ match: { step: `lessons:${p1}` }, status: 401, times: 1 });
        const jobId = await queueCourse(agent, courseId);
        // The failure was rolled back whole; the step's next attempt completes.
        const { job } = await waitForJob(agent, jobId, 'completed');
        expect(job.error_message).toBeNull();
        expect(fake.requestsMatching({ step: `lessons:${p1}` })).toHaveLength(2);
        const [lessons] = await steps(jobId);
        expect(lessons.attempt_history.map((a) => a.outcome)).toEqual(['failed', 'succeeded']);
        expect((await jobDetail(agent, jobId)).logs.filter((l) => l.level === 'error')).toEqual([]);
      } finally {
        await db.query(`DROP TRIGGER test_refuse_draft ON courses`);
        await db.query(`DROP FUNCTION test_refuse_draft()`);
        await db.query(`DROP SEQUENCE test_draft_refusals`);
      }
    });
  });

  describe('when a job’s log is longer than a page', () => {
    it('serves it a page at a time; logs_after returns the rest; the old fields stay', async () => {
      const courseId = await createCourse(app, user, outline(1, 'Long log'));
      const jobId = await queueCourse(agent, courseId);
      await waitForJob(agent, jobId, 'completed');
      const own = (await jobDetail(agent, jobId)).logs.length;
      await db.query(
        `INSERT INTO job_logs (job_id, level, message) SELECT $1, 'info', 'Extra line ' || n
         FROM generate_series(1, 700) AS n`,
        [jobId],
      );

      const first = await jobDetail(agent, jobId);
      expect(first.job.id).toBe(jobId);
      expect(first.logs).toHaveLength(500);
      expect(first.logs[0].message).toBe('Starting course generation job');
      expect(first.logs_more).toBe(true);
      expect(first.logs_cursor).toMatch(/^\d+$/);

      const second = (
        await agent.get(`${GENERATE}/jobs/${jobId}?logs_after=${first.logs_cursor}`).expect(200)
      ).body as typeof first;
      expect(second.logs).toHaveLength(own + 700 - 500);
      expect(second.logs.at(-1)!.message).toBe('Extra line 700');
      expect(second.logs_more).toBe(false);
      expect(second.job.status).toBe('completed');
      // The two pages are the whole log in order: the job's own lines, then the extra ones 1 … 700.
      const all = [...first.logs, ...second.logs].map((l) => l.message);
      expect(all.slice(0, own)).toEqual(
        (await jobDetail(agent, jobId)).logs.slice(0, own).map((l) => l.message),
      );
      expect(all.slice(own)).toEqual(Array.from({ length: 700 }, (_, i) => `Extra line ${i + 1}`));
      expect(all.slice(0, 3)).toEqual([
        'Starting course generation job',
        'Course: Long log',
        'Projects to process: 1',
      ]);

      // At the tail: nothing new, and the cursor stays where it was.
      const tail = (await agent.get(`${GENERATE}/jobs/${jobId}?logs_after=${second.logs_cursor}`).expect(200))
        .body as typeof first;
      expect(tail).toMatchObject({ logs: [], logs_cursor: second.logs_cursor, logs_more: false });
    });
  });

  describe('when the request is wrong', () => {
    it('answers 400 for a bad cursor or run, and 404 for another organization’s job', async () => {
      const courseId = await createCourse(app, user, outline(1, 'Private steps'));
      const jobId = await queueCourse(agent, courseId);
      await waitForJob(agent, jobId, 'completed');
      await agent.get(`${GENERATE}/jobs/${jobId}?logs_after=abc`).expect(400);
      await agent.get(`${GENERATE}/jobs/${jobId}?logs_after=-1`).expect(400);
      await agent.get(`${GENERATE}/jobs/${jobId}?extra=1`).expect(400);
      await agent.get(`${GENERATE}/jobs/${jobId}/steps?run=x`).expect(400);
      await agent.get(`${GENERATE}/jobs/${jobId}/steps?run=-1`).expect(400);
      await agent.get(`${GENERATE}/jobs/not-a-uuid/steps`).expect(400);
      expect(await steps(jobId, '?run=7')).toEqual([]);

      const other = await signIn(app);
      await other.agent.get(`${GENERATE}/jobs/${jobId}/steps`).expect(404);
      await other.agent.get(`${GENERATE}/jobs/${jobId}?logs_after=0`).expect(404);
    });
  });
});
