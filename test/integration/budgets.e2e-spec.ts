import { DataSource } from 'typeorm';
import type { GenerationEstimate, JobView, OrganizationSettingsView, StepView } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import { GENERATE, jobDetail, queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** Every call reports this usage; LLM_PRICES prices fake-model at $1 / $2 per million: $0.20 a call. */
const USAGE = { prompt_tokens: 100_000, completion_tokens: 50_000 };
const CALL_USD = 0.2;

/** An approved outline: projects, no lessons yet — 2 projects = 2 lessons calls + 6 tasks calls. */
const outline = (projects: number, title: string) => courseSpec({ projects, lessons: 0, title });

describe('budgets: job cost caps, the monthly budget and the estimate (real PostgreSQL, Redis, BullMQ; the fake model server)', () => {
  let fake: FakeLlmServer;
  let app: TestApp;
  let db: DataSource;
  let owner: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 10 });
    app = await startTestApp({
      env: {
        START_WORKER: 'true',
        ...fakeModelEnv(fake),
        LLM_PRICES: 'fake-model=1/2',
        // One step at a time: the cap is reached by exactly one call, with none in flight beside it.
        STEP_CONCURRENCY: '1',
        STEP_BACKOFF_MS: '50',
        RECONCILE_INTERVAL_MS: '1000',
      },
    });
    db = app.app.get(DataSource);
    ({ user: owner, agent } = await signIn(app, { role: 'owner' }));
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.script({ usage: USAGE });
  });

  const steps = async (jobId: string, run: number): Promise<StepView[]> =>
    (await agent.get(`${GENERATE}/jobs/${jobId}/steps?run=${run}`).expect(200)).body.steps as StepView[];
  const tasksWritten = async (courseId: string): Promise<number> =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM tasks t JOIN lessons l ON l.id = t.lesson_id
         JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1`,
        [courseId],
      )
    )[0].n;
  const lessonsWithTasks = async (courseId: string): Promise<number> =>
    (
      await db.query(
        `SELECT count(DISTINCT l.id)::int AS n FROM tasks t JOIN lessons l ON l.id = t.lesson_id
         JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1`,
        [courseId],
      )
    )[0].n;
  const putSettings = (a: AuthedAgent, body: object) => a.put('/api/admin/settings').send(body);
  const waitForStatus = async (
    jobId: string,
    status: JobView['status'],
    as: AuthedAgent = agent,
  ): Promise<JobView> => {
    let job: JobView | undefined;
    await waitFor(async () => (job = (await jobDetail(as, jobId)).job).status === status, {
      timeoutMs: 30_000,
      what: `job ${jobId} to be ${status}`,
    });
    return job!;
  };

  describe('when a job reaches its cost cap', () => {
    it('pauses with nothing written past the cap, then resumes with a higher cap to completion', async () => {
      const courseId = await createCourse(app, owner, outline(2, 'Capped course'));
      const res = await agent
        .post(`${GENERATE}/${courseId}/queue`)
        .send({ auto_publish: false, max_cost_usd: 0.5 })
        .expect(201);
      const jobId = res.body.job_id as string;

      // 2 lessons calls ($0.40), then the first tasks call takes it to $0.60 ≥ $0.50.
      const paused = await waitForStatus(jobId, 'paused');
      expect(paused).toMatchObject({
        max_cost_usd: 0.5,
        pause_reason: 'Reached its cost cap of $0.50 ($0.60 spent)',
      });
      // Nothing starts after the pause: wait until the run has no running step, then count.
      await waitFor(async () => (await steps(jobId, 0)).every((s) => s.status !== 'running'), {
        timeoutMs: 10_000,
        what: 'the paused run to settle',
      });
      const run0 = await steps(jobId, 0);
      expect(run0.filter((s) => s.status === 'succeeded').map((s) => s.kind)).toEqual([
        'lessons',
        'tasks',
        'lessons',
      ]);
      expect(run0.filter((s) => s.status === 'queued')).toHaveLength(5);
      expect(await lessonsWithTasks(courseId)).toBe(1);
      expect(await tasksWritten(courseId)).toBe(3);
      expect(fake.requests.length).toBe(3);
      const { job, logs } = await jobDetail(agent, jobId);
      expect(job.cost_usd).toBeCloseTo(3 * CALL_USD, 6);
      expect(logs.map((l) => `${l.level}: ${l.message}`)).toContain(
        'warning: Paused: Reached its cost cap of $0.50 ($0.60 spent)',
      );

      // A cap not above what was spent is refused; a higher one resumes in a new run.
      await agent.post(`${GENERATE}/jobs/${jobId}/resume`).send({ max_cost_usd: 0.6 }).expect(409);
      await agent.post(`${GENERATE}/jobs/${jobId}/resume`).send({ max_cost_usd: 5 }).expect(200);
      const done = await waitForJob(agent, jobId, 'completed');
      expect(done.job).toMatchObject({ retry_count: 1, max_cost_usd: 5, pause_reason: null });
      expect(done.job.cost_usd).toBeCloseTo(8 * CALL_USD, 6);
      expect(done.logs.map((l) => l.message)).toContain(`Resumed by ${owner.email} (cap $5.00)`);
      expect(await tasksWritten(courseId)).toBe(6 * 3);
      // The old run's never-started steps were closed; the new run wrote only what was missing.
      expect((await steps(jobId, 0)).filter((s) => s.status === 'cancelled')).toHaveLength(5);
      expect((await steps(jobId, 1)).map((s) => s.status)).toEqual(Array(5).fill('succeeded'));
      expect(fake.requests.length).toBe(8);
      await agent.post(`${GENERATE}/jobs/${jobId}/resume`).send({}).expect(409);
    });

    it('lets a paused job be cancelled, which frees its course', async () => {
      const courseId = await createCourse(app, owner, outline(1, 'Cancelled while paused'));
      const jobId = (
        await agent
          .post(`${GENERATE}/${courseId}/queue`)
          .send({ auto_publish: false, max_cost_usd: 0.1 })
          .expect(201)
      ).body.job_id as string;
      await waitForStatus(jobId, 'paused');
      // A paused job still holds its course.
      await agent.post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: false }).expect(409);
      await agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200);
      expect((await jobDetail(agent, jobId)).job.status).toBe('cancelled');
    });
  });

  describe('the estimate', () => {
    it('is within ±25 % of the actual cost of a second course once there is history', async () => {
      const { user, agent: other } = await signIn(app);
      const first = await createCourse(app, user, outline(2, 'First course'));
      await waitForJob(other, await queueCourse(other, first), 'completed');

      const second = await createCourse(app, user, outline(3, 'Second course'));
      const estimate = (await other.get(`${GENERATE}/${second}/estimate`).expect(200))
        .body as GenerationEstimate;
      expect(estimate).toMatchObject({ model_calls: 3 + 9, from_history: true });
      expect(estimate.prompt_tokens).toBe(12 * USAGE.prompt_tokens);
      const { job } = await waitForJob(other, await queueCourse(other, second), 'completed');
      expect(job.cost_usd).not.toBeNull();
      expect(Math.abs(estimate.cost_usd! - job.cost_usd!) / job.cost_usd!).toBeLessThanOrEqual(0.25);
      // The fake answers in milliseconds: the time from the observed latency is well under a minute.
      expect(estimate.minutes).toBeLessThan(1);
    });

    it('uses built-in defaults before there is history, and estimates one part to regenerate', async () => {
      const { user, agent: fresh } = await signIn(app);
      const courseId = await createCourse(app, user, courseSpec({ projects: 2, lessons: 2, tasks: 0 }));
      const whole = (await fresh.get(`${GENERATE}/${courseId}/estimate`).expect(200))
        .body as GenerationEstimate;
      expect(whole).toMatchObject({ model_calls: 4, from_history: false });
      const [project] = await db.query(
        `SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`,
        [courseId],
      );
      const part = (
        await fresh
          .get(`${GENERATE}/${courseId}/estimate?target=project_lessons&id=${project.id}`)
          .expect(200)
      ).body as GenerationEstimate;
      expect(part.model_calls).toBe(1 + 2);
      await fresh.get(`${GENERATE}/${courseId}/estimate?target=nonsense&id=${project.id}`).expect(400);
    });
  });

  describe('the monthly budget', () => {
    it('answers 402 naming the budget for new jobs, regenerations and synchronous calls once used up', async () => {
      const { user, agent: org } = await signIn(app, { role: 'owner' });
      const first = await createCourse(app, user, outline(1, 'Spends the budget'));
      await waitForJob(org, await queueCourse(org, first), 'completed'); // 4 calls: $0.80
      await putSettings(org, { monthly_budget_usd: 0.5, default_job_cap_usd: null }).expect(200);

      const courseId = await createCourse(app, user, outline(1, 'Over budget'));
      const month = new Date().toISOString().slice(0, 7);
      const message = `The organization's monthly model budget of $0.50 is used up ($0.80 spent in ${month})`;
      const queued = await org
        .post(`${GENERATE}/${courseId}/queue`)
        .send({ auto_publish: false })
        .expect(402);
      expect(queued.body.message).toBe(message);
      const [project] = await db.query(`SELECT id FROM course_projects WHERE course_id = $1`, [first]);
      const regen = await org
        .post(`${GENERATE}/${first}/regenerate`)
        .send({ target: 'project_lessons', id: project.id })
        .expect(402);
      expect(regen.body.message).toBe(message);
      const outlines = await org
        .post(`${GENERATE}/outlines`)
        .send({ topic: 'Beekeeping', audience: 'gardeners', level: 'beginner' })
        .expect(402);
      expect(outlines.body.message).toBe(message);
      expect(
        ((await org.get('/api/admin/settings').expect(200)).body as OrganizationSettingsView).month_spent_usd,
      ).toBeCloseTo(0.8, 6);
    });

    it('pauses a running job when the budget is reached, naming the budget', async () => {
      const { user, agent: org } = await signIn(app, { role: 'owner' });
      await putSettings(org, { monthly_budget_usd: 0.5, default_job_cap_usd: null }).expect(200);
      const courseId = await createCourse(app, user, outline(2, 'Reaches the monthly budget'));
      const jobId = await queueCourse(org, courseId);
      // $0.20, $0.40, then $0.60 ≥ $0.50.
      const job = await waitForStatus(jobId, 'paused', org);
      expect(job.pause_reason).toMatch(
        /^The organization's monthly model budget of \$0\.50 is used up \(\$0\.60 spent in /,
      );
      const resumed = await org.post(`${GENERATE}/jobs/${jobId}/resume`).send({}).expect(402);
      expect(resumed.body.message).toMatch(/monthly model budget of \$0\.50 is used up/);
    });
  });

  describe('settings', () => {
    it('lets owners set the budgets, admins only read them, and validates amounts', async () => {
      const { agent: ownerAgent, user } = await signIn(app, { role: 'owner' });
      const { agent: admin } = await signIn(app, { role: 'admin', organizationName: user.organization_name });
      const saved = (
        await putSettings(ownerAgent, { monthly_budget_usd: 50, default_job_cap_usd: 2.5 }).expect(200)
      ).body as OrganizationSettingsView;
      expect(saved).toMatchObject({ monthly_budget_usd: 50, default_job_cap_usd: 2.5, month_spent_usd: 0 });
      expect((await admin.get('/api/admin/settings').expect(200)).body).toMatchObject({
        monthly_budget_usd: 50,
      });
      await putSettings(admin, { monthly_budget_usd: 1, default_job_cap_usd: null }).expect(403);
      const bad = await putSettings(ownerAgent, { monthly_budget_usd: -1, default_job_cap_usd: 'x' }).expect(
        400,
      );
      expect(JSON.stringify(bad.body.message)).toMatch(/monthly_budget_usd must be at least 0\.01/);
      expect(JSON.stringify(bad.body.message)).toMatch(/default_job_cap_usd must be an amount in USD/);
      await putSettings(ownerAgent, { monthly_budget_usd: 10 }).expect(400);

      // The default cap applies to a job queued without one.
      const courseId = await createCourse(app, user, outline(1, 'Default cap'));
      const jobId = await queueCourse(ownerAgent, courseId);
      expect((await jobDetail(ownerAgent, jobId)).job.max_cost_usd).toBe(2.5);
      await waitForJob(ownerAgent, jobId, 'completed');
    });

    it('refuses a cap that is not a positive amount', async () => {
      const courseId = await createCourse(app, owner, outline(1, 'Bad cap'));
      const res = await agent
        .post(`${GENERATE}/${courseId}/queue`)
        .send({ auto_publish: false, max_cost_usd: 0 })
        .expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/max_cost_usd must be above 0/);
    });
  });

  describe('another organization', () => {
    it('gets 404 for the estimate and for resume', async () => {
      const courseId = await createCourse(app, owner, outline(1, 'Not yours'));
      const jobId = (
        await agent
          .post(`${GENERATE}/${courseId}/queue`)
          .send({ auto_publish: false, max_cost_usd: 0.1 })
          .expect(201)
      ).body.job_id as string;
      await waitForStatus(jobId, 'paused');
      const { agent: stranger } = await signIn(app);
      await stranger.get(`${GENERATE}/${courseId}/estimate`).expect(404);
      await stranger.post(`${GENERATE}/jobs/${jobId}/resume`).send({ max_cost_usd: 10 }).expect(404);
      await agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200);
    });
  });
});
