import { DataSource } from 'typeorm';
import type {
  CourseDetail,
  GenerateLessonsResponse,
  GenerateOutlinesResponse,
  GenerateTasksResponse,
  Outline,
} from '../../contracts/api';
import { AuthedAgent, signIn } from '../support/accounts';
import { createCourse } from '../support/curriculum-builders';
import { startFakeLlmServer, type FakeLlmServer } from '../support/fake-llm-server';
import { startTestApp, TestApp } from '../support/test-app';

const BASE = '/api/admin/curriculum/generate';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Stage 1 and the manual path: outline → approve → lessons → tasks → publish (sample provider, HTTP)', () => {
  let app: TestApp;
  let agent: AuthedAgent;

  beforeAll(async () => {
    // Model calls run in the workers' slots of the one model budget (docs/queue.md), so a worker must run.
    app = await startTestApp({ env: { START_WORKER: 'true' } });
    ({ agent } = await signIn(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const detail = async (id: string): Promise<CourseDetail> =>
    (await agent.get(`/api/admin/curriculum/courses/${id}`).expect(200)).body;

  const propose = async (body: object = {}): Promise<GenerateOutlinesResponse> =>
    (
      await agent
        .post(`${BASE}/outlines`)
        .send({ topic: 'Beekeeping for beginners', audience: 'hobby gardeners', level: 'beginner', ...body })
        .expect(200)
    ).body;

  const approve = async (outline: Outline, extra: object = {}): Promise<string> => {
    const res = await agent
      .post(`${BASE}/outlines/approve`)
      .send({
        outline,
        topic: 'Beekeeping for beginners',
        audience: 'hobby gardeners',
        level: 'beginner',
        ...extra,
      })
      .expect(201);
    expect(res.body.course_id).toMatch(UUID);
    return res.body.course_id;
  };

  it('end to end, with the usage of every model call on the course', async () => {
    const proposals = await propose({ project_count: 3, proposals: 2, language: 'en' });
    expect(proposals.outlines).toHaveLength(2);
    for (const o of proposals.outlines) expect(o.projects).toHaveLength(3);
    expect(proposals.provider).toEqual({ name: 'sample', model: 'sample-v1', sample: true });
    expect(proposals.generation_id).toMatch(UUID);
    expect(JSON.stringify(proposals.outlines)).toMatch(/[Bb]eekeeping/);

    // The admin edits the chosen proposal before approving it.
    const chosen: Outline = { ...proposals.outlines[1], title: 'Bees, Hives and Honey' };
    const courseId = await approve(chosen, { language: 'en', generation_id: proposals.generation_id });
    const draft = await detail(courseId);
    expect(draft).toMatchObject({
      title: 'Bees, Hives and Honey',
      topic: 'Beekeeping for beginners',
      audience: 'hobby gardeners',
      level: 'beginner',
      language: 'en',
      status: 'draft',
      counts: { projects: 3, lessons: 0, tasks: 0 },
    });
    expect(draft.projects.map((p) => p.title)).toEqual(chosen.projects.map((p) => p.title));
    expect(draft.projects[0].objectives).toEqual(chosen.projects[0].objectives);
    expect(draft.usage.rows).toEqual([
      {
        stage: 'outline',
        model: 'sample-v1',
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        cached_tokens: 0,
        cost_usd: 0, // the sample generator is free (docs/costs.md)
        duration_ms: expect.any(Number),
        created_at: expect.any(String),
      },
    ]);
    expect(draft.usage.totals.calls).toBe(1);

    // Lessons of every project.
    const lessons: GenerateLessonsResponse = (
      await agent.post(`${BASE}/${courseId}/lessons`).send({}).expect(200)
    ).body;
    expect(lessons.projects.map((p) => p.id)).toEqual(draft.projects.map((p) => p.id));
    for (const p of lessons.projects) {
      expect(p.lessons.map((l) => l.position)).toEqual([0, 1, 2]);
      expect(p.lessons[0].content).toMatch(/^## /);
    }
    const lessonTitles = lessons.projects.flatMap((p) => p.lessons.map((l) => l.title));
    expect(new Set(lessonTitles).size).toBe(lessonTitles.length);

    // Nothing left to write: an empty answer, and nothing is duplicated.
    expect((await agent.post(`${BASE}/${courseId}/lessons`).send({}).expect(200)).body).toEqual({
      projects: [],
    });
    const project0 = lessons.projects[0];
    const again = await agent
      .post(`${BASE}/${courseId}/lessons`)
      .send({ project_id: project0.id })
      .expect(409);
    expect(again.body.message).toBe('The project already has lessons');

    // Tasks of one lesson (with a count), then of all the others.
    const firstLesson = project0.lessons[0];
    const one: GenerateTasksResponse = (
      await agent
        .post(`${BASE}/${courseId}/tasks`)
        .send({ lesson_id: firstLesson.id, task_count: 2 })
        .expect(200)
    ).body;
    expect(one.lessons).toHaveLength(1);
    expect(one.lessons[0].id).toBe(firstLesson.id);
    expect(one.lessons[0].tasks.map((t) => t.position)).toEqual([0, 1]);

    const rest: GenerateTasksResponse = (await agent.post(`${BASE}/${courseId}/tasks`).send({}).expect(200))
      .body;
    expect(rest.lessons).toHaveLength(8);
    for (const l of rest.lessons) expect(l.tasks).toHaveLength(3);

    // Publish through the curriculum's endpoint.
    const published = (await agent.post(`/api/admin/curriculum/courses/${courseId}/publish`).expect(200))
      .body;
    expect(published).toMatchObject({ status: 'published', counts: { projects: 3, lessons: 9, tasks: 26 } });

    // 1 outline + 3 lesson calls + 9 task calls, all recorded with their tokens.
    const { usage } = await detail(courseId);
    expect(usage.rows.map((r) => r.stage)).toEqual([
      'outline',
      ...Array(3).fill('lessons'),
      ...Array(9).fill('tasks'),
    ]);
    expect(usage.totals.calls).toBe(13);
    expect(usage.totals.prompt_tokens).toBe(usage.rows.reduce((n, r) => n + r.prompt_tokens, 0));
    expect(usage.totals.completion_tokens).toBe(usage.rows.reduce((n, r) => n + r.completion_tokens, 0));
    expect(usage.rows.every((r) => r.model === 'sample-v1' && r.completion_tokens > 100)).toBe(true);
  });

  it('an outline call’s usage is recorded once, and only for its own organization', async () => {
    const proposals = await propose({ project_count: 1, proposals: 1 });
    const first = await approve(proposals.outlines[0], { generation_id: proposals.generation_id });
    const second = await approve(proposals.outlines[0], { generation_id: proposals.generation_id });
    expect((await detail(first)).usage.totals.calls).toBe(1);
    expect((await detail(second)).usage.totals.calls).toBe(0);

    const other = await signIn(app);
    const theirs = await propose({ project_count: 1, proposals: 1 });
    const res = await other.agent
      .post(`${BASE}/outlines/approve`)
      .send({ outline: theirs.outlines[0], topic: 'Bees', generation_id: theirs.generation_id })
      .expect(201);
    const otherCourse = (
      await other.agent.get(`/api/admin/curriculum/courses/${res.body.course_id}`).expect(200)
    ).body;
    expect(otherCourse.usage.totals.calls).toBe(0);
    expect(otherCourse.language).toBe('en');
  });

  it('refuses the manual path with 409 while a job generates the course', async () => {
    const proposals = await propose({ project_count: 2, proposals: 1 });
    const courseId = await approve(proposals.outlines[0]);
    const db = app.app.get(DataSource);
    await db.query(`UPDATE courses SET status = 'generating' WHERE id = $1`, [courseId]);
    const res = await agent.post(`${BASE}/${courseId}/lessons`).send({}).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    await agent.post(`${BASE}/${courseId}/tasks`).send({}).expect(409);
    await db.query(`UPDATE courses SET status = 'draft' WHERE id = $1`, [courseId]);
    expect((await detail(courseId)).counts.lessons).toBe(0);
  });

  it('another organization’s course, project or lesson is 404', async () => {
    const other = await signIn(app);
    const theirs = await createCourse(app, other.user, {
      title: 'Theirs',
      projects: [{ title: 'P', lessons: [{ title: 'L' }] }],
    });
    await agent.post(`${BASE}/${theirs}/lessons`).send({}).expect(404);
    await agent.post(`${BASE}/${theirs}/tasks`).send({}).expect(404);

    const proposals = await propose({ project_count: 1, proposals: 1 });
    const mine = await approve(proposals.outlines[0]);
    const [{ id: theirProject }] = await app.app
      .get(DataSource)
      .query(`SELECT id FROM course_projects WHERE course_id = $1`, [theirs]);
    await agent.post(`${BASE}/${mine}/lessons`).send({ project_id: theirProject }).expect(404);
  });

  it('validates every body: 400 with the field named', async () => {
    const bad = async (path: string, body: object, pattern: RegExp) => {
      const res = await agent.post(`${BASE}/${path}`).send(body).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(pattern);
    };
    await bad('outlines', {}, /topic/);
    await bad('outlines', { topic: '   ' }, /topic must not be empty/);
    await bad('outlines', { topic: 'x'.repeat(201) }, /topic/);
    await bad('outlines', { topic: 'Bees', project_count: 13 }, /project_count/);
    await bad('outlines', { topic: 'Bees', proposals: 0 }, /proposals/);
    await bad('outlines', { topic: 'Bees', level: 'expert' }, /level/);
    await bad('outlines', { topic: 'Bees', language: 'English please' }, /language/);
    await bad('outlines', { topic: 'Bees', colour: 'red' }, /colour/);
    const outline = {
      title: 'T',
      description: 'D',
      projects: [{ title: 'P', description: 'd', objectives: ['o'] }],
    };
    await bad('outlines/approve', { outline }, /topic/);
    await bad(
      'outlines/approve',
      { topic: 'Bees', outline: { ...outline, projects: [] } },
      /at least one project/,
    );
    await bad('outlines/approve', { topic: 'Bees', outline: { ...outline, title: '' } }, /title/);
    await bad(
      'outlines/approve',
      { topic: 'Bees', outline: { ...outline, projects: [{ title: 'P' }] } },
      /objectives/,
    );
    await bad('outlines/approve', { topic: 'Bees', outline, generation_id: 'nope' }, /generation_id/);
    await bad('not-a-uuid/lessons', {}, /courseId/);
    const proposals = await propose({ project_count: 1, proposals: 1 });
    const courseId = await approve(proposals.outlines[0]);
    await bad(`${courseId}/lessons`, { project_id: 'x' }, /project_id/);
    await bad(`${courseId}/lessons`, { lesson_count: 9 }, /lesson_count/);
    await bad(`${courseId}/tasks`, { lesson_id: 'x' }, /lesson_id/);
  });
});

describe('the same endpoints with a failing provider (openai-compatible against the fake server)', () => {
  const KEY = 'sk-e2e-never-in-a-response-123456';
  let app: TestApp;
  let agent: AuthedAgent;
  let fake: FakeLlmServer;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    app = await startTestApp({
      env: {
        LLM_PROVIDER: 'openai-compatible',
        LLM_BASE_URL: fake.url,
        LLM_API_KEY: KEY,
        LLM_MODEL: 'fake-chat',
        START_WORKER: 'true',
      },
    });
    ({ agent } = await signIn(app));
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('a rate limit → 503 with Retry-After, naming the provider and never the key', async () => {
    fake.script({ status: 429, retryAfterSeconds: 30, errorMessage: `slow down, ${KEY}` });
    const res = await agent.post(`${BASE}/outlines`).send({ topic: 'Bees' }).expect(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      kind: 'rate_limited',
      provider: 'openai-compatible',
      retry_after_seconds: 30,
    });
    expect(res.body.message).toMatch(/^openai-compatible \(model fake-chat\): rate limited/);
    expect(JSON.stringify(res.body)).not.toContain(KEY);
  });

  it('other provider failures → 502 with the kind; the outline call carries its tags', async () => {
    fake.script({ status: 401, errorMessage: `bad key ${KEY}`, times: 1 });
    const res = await agent.post(`${BASE}/outlines`).send({ topic: 'Bees' }).expect(502);
    expect(res.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway', kind: 'permanent' });
    expect(JSON.stringify(res.body)).not.toContain(KEY);
    expect(fake.requests[0].headers).toMatchObject({
      'x-courseloom-stage': 'outline',
      'x-courseloom-step': 'outline',
    });

    fake.script({ schemaViolation: true });
    expect((await agent.post(`${BASE}/outlines`).send({ topic: 'Bees' }).expect(502)).body.kind).toBe(
      'invalid_output',
    );
  });

  it('the manual path keeps what was written before a failure, and a second call finishes the rest', async () => {
    const proposals: GenerateOutlinesResponse = (
      await agent.post(`${BASE}/outlines`).send({ topic: 'Bees', project_count: 3, proposals: 1 }).expect(200)
    ).body;
    expect(proposals.provider).toEqual({ name: 'openai-compatible', model: 'fake-chat', sample: false });
    const created = await agent
      .post(`${BASE}/outlines/approve`)
      .send({ outline: proposals.outlines[0], topic: 'Bees', generation_id: proposals.generation_id })
      .expect(201);
    const courseId: string = created.body.course_id;
    const course: CourseDetail = (await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200))
      .body;
    const failing = course.projects[1].id;

    fake.reset();
    fake.script({ match: { step: `lessons:${failing}` }, status: 500, times: 1 });
    const res = await agent.post(`${BASE}/${courseId}/lessons`).send({ lesson_count: 2 }).expect(502);
    expect(res.body.kind).toBe('transient');
    expect(fake.requestsMatching({ course: courseId }).length).toBeGreaterThanOrEqual(2);

    const after: CourseDetail = (await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200))
      .body;
    expect(after.projects.find((p) => p.id === failing)!.lessons).toHaveLength(0);

    const rest: GenerateLessonsResponse = (
      await agent.post(`${BASE}/${courseId}/lessons`).send({ lesson_count: 2 }).expect(200)
    ).body;
    expect(rest.projects.map((p) => p.id)).toContain(failing);
    const final: CourseDetail = (await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200))
      .body;
    for (const p of final.projects) expect(p.lessons).toHaveLength(2);
    expect(final.usage.rows[0]).toMatchObject({ stage: 'outline', model: 'fake-chat' });
    expect(final.usage.rows.filter((r) => r.stage === 'lessons')).toHaveLength(3); // the failed call cost nothing
  });
});
