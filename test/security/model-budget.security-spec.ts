import type { Response } from 'supertest';
import { JobQueue } from '../../server/src/jobs/engine/job-queue';
import { MODEL_CALL_JOB } from '../../server/src/jobs/jobs.constants';
import { AuthedAgent, authedAgent, signIn } from '../support/accounts';
import { countRows, courseSpec, createCourse } from '../support/curriculum-builders';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server';
import { startInFlightMeter, type InFlightMeter } from '../support/in-flight-meter';
import { GENERATE, queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * One model budget (docs/queue.md): the synchronous endpoints' model calls take the same cluster-wide slots
 * (MODEL_CONCURRENCY) and per-minute calls (MODEL_CALLS_PER_MINUTE) as the queue's steps, in every process; on
 * top, each organization has a per-minute limit on them and one manual request a cap (docs/generation.md).
 */

const modelEnv = (url: string): Record<string, string> => ({
  LLM_PROVIDER: 'openai-compatible',
  LLM_BASE_URL: url,
  LLM_MODEL: 'fake-model',
  START_WORKER: 'true',
});

const outlineBody = { topic: 'Beekeeping', project_count: 2, proposals: 1 };

/** A course of `projects` projects and no lessons, owned by the agent's organization. */
const emptyCourse = (app: TestApp, owner: { organization_id: string }, projects: number): Promise<string> =>
  createCourse(app, owner, courseSpec({ projects, lessons: 0 }));

const retryAfterSeconds = (res: Response): number => Number(res.headers['retry-after']);

describe('one model budget for the queue and the synchronous endpoints', () => {
  describe('when MODEL_CONCURRENCY=2 and a queued course runs while admins call the synchronous endpoints of two API processes', () => {
    let fake: FakeLlmServer;
    let meter: InFlightMeter;
    let first: TestApp;
    let second: TestApp | undefined;

    beforeAll(async () => {
      fake = await startFakeLlmServer({ latencyMs: 200 });
      meter = await startInFlightMeter(fake.url);
      const env = { ...modelEnv(meter.url), MODEL_CONCURRENCY: '2', STEP_CONCURRENCY: '10' };
      first = await startTestApp({ env });
      // A second API process with its own in-process worker: same database, same Redis prefix.
      second = await startTestApp({
        databaseUrl: first.databaseUrl,
        env: { ...env, REDIS_PREFIX: first.config.REDIS_PREFIX },
      });
    });
    afterAll(async () => {
      await second?.close();
      await first?.close();
      await meter?.close();
      await fake?.close();
    });

    it('never has more than 2 model calls in flight at the model server, and every call is still made', async () => {
      const { user, session } = await signIn(first);
      const viaFirst = authedAgent(first, session.token);
      const viaSecond = authedAgent(second!, session.token);
      const queued = await emptyCourse(first, user, 3);
      const manual = await emptyCourse(first, user, 3);

      const jobId = await queueCourse(viaFirst, queued);
      const answers = await Promise.all([
        viaFirst.post(`${GENERATE}/outlines`).send(outlineBody),
        viaSecond.post(`${GENERATE}/outlines`).send(outlineBody),
        viaFirst.post(`${GENERATE}/outlines`).send(outlineBody),
        viaSecond.post(`${GENERATE}/outlines`).send(outlineBody),
        viaSecond.post(`${GENERATE}/${manual}/lessons`).send({}),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      await waitForJob(viaFirst, jobId, 'completed');

      // 3 lessons + 9 tasks calls of the queued course, 4 outline calls, 3 manual lessons calls.
      expect(fake.requests).toHaveLength(19);
      expect(meter.maxInFlight).toBe(2);
    });
  });

  describe('when the queue has spent MODEL_CALLS_PER_MINUTE', () => {
    let fake: FakeLlmServer;
    let app: TestApp;
    let agent: AuthedAgent;

    const waitingModelCalls = async (): Promise<number> =>
      (await app.app.get(JobQueue).steps.getJobs(['wait', 'prioritized', 'delayed', 'active'])).filter(
        (j) => j.name === MODEL_CALL_JOB,
      ).length;

    beforeAll(async () => {
      fake = await startFakeLlmServer();
      app = await startTestApp({
        env: { ...modelEnv(fake.url), MODEL_CALLS_PER_MINUTE: '3', SYNC_MODEL_WAIT_MS: '1500' },
      });
      const signedIn = await signIn(app);
      agent = signedIn.agent;
      const user = signedIn.user;
      await queueCourse(agent, await emptyCourse(app, user, 3));
      await waitFor(() => fake.requests.length >= 3, { what: 'the 3 lessons calls of the queued course' });
    });
    afterAll(async () => {
      await app?.close();
      await fake?.close();
    });

    it('a synchronous call waits for the window, then answers 503 with Retry-After and never reaches the model', async () => {
      const started = Date.now();
      const res = await agent.post(`${GENERATE}/outlines`).send(outlineBody).expect(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(res.body).toMatchObject({ statusCode: 503, kind: 'rate_limited' });
      expect(res.body.message).toMatch(/^Model budget.*no model call could start within 1\.5 s/);
      expect(retryAfterSeconds(res)).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds(res)).toBeLessThanOrEqual(60);
      expect(fake.requests).toHaveLength(3);
      expect(fake.requestsMatching({ stage: 'outline' })).toEqual([]);
      expect(await waitingModelCalls()).toBe(0); // withdrawn from the queue, not left to run later
    });

    it('a call whose client goes away while it waits is withdrawn from the queue', async () => {
      const answer = agent
        .post(`${GENERATE}/outlines`)
        .timeout(800)
        .send(outlineBody)
        .then(
          (r) => `answered ${r.status}`,
          (err: { code?: string }) => err.code ?? String(err),
        );
      await waitFor(async () => (await waitingModelCalls()) === 1, { what: 'the call to wait in the queue' });
      await expect(answer).resolves.toBe('ECONNABORTED');
      await waitFor(async () => (await waitingModelCalls()) === 0, { what: 'the call to be withdrawn' });
      expect(fake.requestsMatching({ stage: 'outline' })).toEqual([]);
    });
  });

  describe('when ORG_SYNC_MODEL_CALLS_PER_MINUTE=3 and MANUAL_MAX_MODEL_CALLS=2', () => {
    let fake: FakeLlmServer;
    let app: TestApp;

    beforeAll(async () => {
      fake = await startFakeLlmServer();
      app = await startTestApp({
        env: { ...modelEnv(fake.url), ORG_SYNC_MODEL_CALLS_PER_MINUTE: '3', MANUAL_MAX_MODEL_CALLS: '2' },
      });
    });
    beforeEach(() => fake.reset());
    afterAll(async () => {
      await app?.close();
      await fake?.close();
    });

    it('answers 429 with Retry-After to the organization past its limit, while another organization still works', async () => {
      const a = (await signIn(app)).agent;
      const b = (await signIn(app)).agent;
      for (let i = 0; i < 3; i++) await a.post(`${GENERATE}/outlines`).send(outlineBody).expect(200);

      const refused = await a.post(`${GENERATE}/outlines`).send(outlineBody).expect(429);
      expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(refused.body.message).toMatch(/^Your organization may make 3 model calls per minute/);
      expect(retryAfterSeconds(refused)).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds(refused)).toBeLessThanOrEqual(60);
      expect(fake.requests).toHaveLength(3);

      await b.post(`${GENERATE}/outlines`).send(outlineBody).expect(200);
      expect(fake.requests).toHaveLength(4);
    });

    it('refuses a manual request whose calls do not all fit in the minute, and writes nothing', async () => {
      const { user, agent } = await signIn(app);
      const course = await emptyCourse(app, user, 2);
      for (let i = 0; i < 2; i++) await agent.post(`${GENERATE}/outlines`).send(outlineBody).expect(200);
      const before = await countRows(app);

      const res = await agent.post(`${GENERATE}/${course}/lessons`).send({}).expect(429);
      expect(res.body.message).toMatch(/this request needs 2/);
      expect(retryAfterSeconds(res)).toBeGreaterThanOrEqual(1);
      expect(await countRows(app)).toEqual(before);
      expect(fake.requestsMatching({ stage: 'lessons' })).toEqual([]);
    });

    it('answers 409 when a manual request would make more calls than one request may, making no call and taking none of the minute', async () => {
      const { user, agent } = await signIn(app);
      const course = await createCourse(app, user, courseSpec({ projects: 1, lessons: 3, tasks: 0 }));
      const before = await countRows(app);

      const res = await agent.post(`${GENERATE}/${course}/tasks`).send({}).expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
        message:
          'This would make 3 model calls; a manual request may make at most 2. ' +
          `Queue the course instead (POST /api/admin/curriculum/generate/${course}/queue)`,
        model_calls: 3,
        max_model_calls: 2,
      });
      expect(await countRows(app)).toEqual(before);
      expect(fake.requests).toEqual([]);

      // Within the cap it works; and the refused request took none of the organization's 3 calls.
      const [lesson] = (await agent.get(`/api/admin/curriculum/courses/${course}`).expect(200)).body
        .projects[0].lessons;
      await agent.post(`${GENERATE}/${course}/tasks`).send({ lesson_id: lesson.id }).expect(200);
      for (let i = 0; i < 2; i++) await agent.post(`${GENERATE}/outlines`).send(outlineBody).expect(200);
      await agent.post(`${GENERATE}/outlines`).send(outlineBody).expect(429);
    });
  });
});
