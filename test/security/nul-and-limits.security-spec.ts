import request from 'supertest';
import { DataSource } from 'typeorm';
import type { CourseDetail } from '../../contracts/api';
import { AuthedAgent, randomIp, signIn, TestUser } from '../support/accounts';
import { countRows, courseSpec, createCourse } from '../support/curriculum-builders';
import { fakeModelEnv, startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server';
import { GENERATE, queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const CURRICULUM = '/api/admin/curriculum';

/** Rows of every table a rejected request could have touched. */
async function snapshot(app: TestApp): Promise<Record<string, number>> {
  const [jobs] = await app.app.get(DataSource).query(`SELECT count(*)::int AS n FROM course_generation_jobs`);
  return { ...(await countRows(app)), course_generation_jobs: jobs.n };
}

describe('NUL characters in requests (PostgreSQL cannot store U+0000)', () => {
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;
  let course: CourseDetail;

  beforeAll(async () => {
    app = await startTestApp();
    ({ user, agent } = await signIn(app));
    const id = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
    course = (await agent.get(`${CURRICULUM}/courses/${id}`).expect(200)).body;
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Expects 400 naming `path`, and no row added or removed anywhere. */
  const expectRejected = async (send: () => request.Test, path: string): Promise<void> => {
    const before = await snapshot(app);
    const res = await send().expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: `${path}: must not contain NUL characters`,
      path,
    });
    expect(await snapshot(app)).toEqual(before);
  };

  describe('when a JSON body holds one in any string', () => {
    it('approving an outline → 400 naming the nested field, and no course is created', async () => {
      const outline = {
        title: 'Bees',
        description: 'All about bees.',
        projects: [
          { title: 'Hives', description: 'Hives.', objectives: ['Build one'] },
          { title: 'Honey\u0000', description: 'Honey.', objectives: ['Harvest it'] },
        ],
      };
      await expectRejected(
        () => agent.post(`${GENERATE}/outlines/approve`).send({ outline, topic: 'Bees' }),
        'outline.projects[1].title',
      );
    });

    it('PATCH of a lesson → 400 naming the field, and the lesson is unchanged', async () => {
      const lesson = course.projects[0].lessons[0];
      await expectRejected(
        () => agent.patch(`${CURRICULUM}/lessons/${lesson.id}`).send({ title: 'Fine', content: 'x\u0000y' }),
        'content',
      );
      const after: CourseDetail = (await agent.get(`${CURRICULUM}/courses/${course.id}`).expect(200)).body;
      expect(after.projects[0].lessons[0]).toMatchObject({ title: lesson.title, content: lesson.content });
    });

    it('queueing a course → 400, and no job is created', async () => {
      await expectRejected(
        () => agent.post(`${GENERATE}/${course.id}/queue`).send({ auto_publish: false, ['x\u0000']: 1 }),
        'x\\0',
      );
    });

    it('regenerating a part with instructions → 400 naming the field, and no job is created', async () => {
      await expectRejected(
        () =>
          agent.post(`${GENERATE}/${course.id}/regenerate`).send({
            target: 'lesson_tasks',
            id: course.projects[0].lessons[0].id,
            instructions: 'more\u0000hands-on',
          }),
        'instructions',
      );
    });

    it('an outline uploaded as a JSON body → 400 naming the field', async () => {
      const outline = {
        title: 'Bees',
        projects: [{ title: 'Hives', lessons: [{ title: 'Frames', tasks: [{ title: 'Count\u0000' }] }] }],
      };
      await expectRejected(
        () => agent.post(`${CURRICULUM}/upload`).send(outline),
        'projects[0].lessons[0].tasks[0].title',
      );
    });

    it('proposing outlines → 400 before any model call', async () => {
      await expectRejected(() => agent.post(`${GENERATE}/outlines`).send({ topic: 'Bees\u0000' }), 'topic');
    });

    it('signing in → 400, not a 500', async () => {
      const res = await request(app.baseUrl)
        .post('/api/auth/login')
        .set('X-Forwarded-For', randomIp())
        .send({ email: `${user.email}\u0000`, password: user.password })
        .expect(400);
      expect(res.body.path).toBe('email');
    });
  });

  describe('when a query string holds one', () => {
    it('→ 400 naming the parameter', async () => {
      const res = await agent.get(`${GENERATE}/jobs?status=active%00`).expect(400);
      expect(res.body).toMatchObject({ path: 'query.status' });
    });
  });

  describe('when an uploaded outline file holds one', () => {
    it('NUL bytes in a Markdown file → 400, and nothing is written', async () => {
      const before = await snapshot(app);
      const res = await agent
        .post(`${CURRICULUM}/upload`)
        .attach('file', Buffer.from('# Bees\n\n## Hives\n### Frames\n- Count\u0000 them\n'), {
          filename: 'bees.md',
          contentType: 'text/markdown',
        })
        .expect(400);
      expect(res.body.message).toMatch(/NUL/);
      expect(await snapshot(app)).toEqual(before);
    });

    it('an escaped \\u0000 in a JSON file → 400 naming the field, and nothing is written', async () => {
      const file = '{"title": "Bees", "projects": [{"title": "Hives\\u0000"}]}';
      await expectRejected(
        () =>
          agent
            .post(`${CURRICULUM}/upload`)
            .attach('file', Buffer.from(file), { filename: 'bees.json', contentType: 'application/json' }),
        'projects[0].title',
      );
    });
  });
});

describe('model output and provider limits (openai-compatible against the fake server)', () => {
  let fake: FakeLlmServer;
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    app = await startTestApp({
      env: {
        START_WORKER: 'true',
        ...fakeModelEnv(fake),
        STEP_BACKOFF_MS: '50',
        RETRY_AFTER_MAX_MS: '400',
      },
    });
    ({ user, agent } = await signIn(app));
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const newCourse = (title: string): Promise<string> =>
    createCourse(app, user, { ...courseSpec({ projects: 2, lessons: 0, title }), topic: 'bees' });

  describe.each(['escaped', 'raw'] as const)(
    'when the model writes NUL characters (%s) in every string',
    (nul) => {
      it('the course completes with them removed, and no step spends a retry', async () => {
        fake.script({ nul });
        const courseId = await newCourse(`NUL ${nul}`);
        const jobId = await queueCourse(agent, courseId);
        const { job, logs } = await waitForJob(agent, jobId, 'completed');
        expect(job.items_completed).toBe(6);
        expect(logs.filter((l) => l.level === 'warning' || l.level === 'error')).toEqual([]);

        // One call per step: 2 lesson steps + 6 task steps, none repeated.
        const steps = fake.requestsMatching({ job: jobId }).map((r) => r.headers['x-courseloom-step']);
        expect(steps).toHaveLength(8);
        expect(new Set(steps).size).toBe(8);

        const course: CourseDetail = (await agent.get(`${CURRICULUM}/courses/${courseId}`).expect(200)).body;
        const lessons = course.projects.flatMap((p) => p.lessons);
        expect(lessons.map((l) => l.title)).toEqual(
          [1, 2, 3, 1, 2, 3].map((i) => expect.stringMatching(new RegExp(`^Fake lesson ${i} \\(lessons:`))),
        );
        expect(lessons[0].tasks[0]).toMatchObject({
          title: expect.stringMatching(/^Fake task 1 \(tasks:/),
          kind: 'exercise',
          estimated_minutes: 15,
        });
      });
    },
  );

  describe('when the provider answers 429 with Retry-After: 86400', () => {
    it('a step waits RETRY_AFTER_MAX_MS, not a day, and the course completes', async () => {
      const courseId = await newCourse('Rate limited for a day');
      const [{ id: p1 }] = await app.app
        .get(DataSource)
        .query(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position LIMIT 1`, [courseId]);
      fake.script({ match: { step: `lessons:${p1}` }, status: 429, retryAfterSeconds: 86_400, times: 1 });
      const jobId = await queueCourse(agent, courseId);
      const { logs } = await waitForJob(agent, jobId, 'completed', 20_000);
      const calls = fake.requestsMatching({ step: `lessons:${p1}` });
      expect(calls).toHaveLength(2);
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(400);
      expect(logs.find((l) => l.level === 'warning')?.message).toMatch(
        /retry after 1 s \(capped; the provider asked 86400 s\)/,
      );
    });

    it('the outline endpoint passes on the capped Retry-After, not the provider’s', async () => {
      fake.script({ status: 429, retryAfterSeconds: 86_400 });
      const res = await agent.post(`${GENERATE}/outlines`).send({ topic: 'Bees' }).expect(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body.retry_after_seconds).toBe(1);
    });
  });
});
