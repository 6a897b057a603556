import { DataSource } from 'typeorm';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import {
  contentIds,
  GENERATE,
  jobDetail,
  queueCourse,
  treeShape,
  waitForJob,
} from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';

/** An outline approved: projects, no lessons yet. */
const outline = (projects: number, title = 'Build a Board Game from Scratch') =>
  ({ ...courseSpec({ projects, lessons: 0, title }), topic: 'board games' }) as ReturnType<typeof courseSpec>;

describe('the generation queue (real PostgreSQL, Redis, BullMQ; the fake model server over HTTP)', () => {
  let fake: FakeLlmServer;
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 30 });
    app = await startTestApp({
      env: {
        START_WORKER: 'true',
        ...fakeModelEnv(fake),
        STEP_BACKOFF_MS: '50',
        RECONCILE_INTERVAL_MS: '1000',
      },
    });
    ({ user, agent } = await signIn(app));
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const projectIds = async (courseId: string): Promise<string[]> =>
    (
      await app.app
        .get(DataSource)
        .query(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`, [courseId])
    ).map((r: { id: string }) => r.id);

  it('runs a course from pending to completed with the plan’s log sequence, and auto-publishes it', async () => {
    const courseId = await createCourse(app, user, outline(3));
    const jobId = await queueCourse(agent, courseId, true);
    const { job, logs } = await waitForJob(agent, jobId, 'completed');

    expect(job).toMatchObject({
      course_id: courseId,
      status: 'completed',
      items_completed: 9,
      items_total: 9,
      retry_count: 0,
    });
    expect(job.started_at).not.toBeNull();
    expect(job.duration_seconds).not.toBeNull();
    expect(job.prompt_tokens).toBeGreaterThan(0);
    expect(job.completion_tokens).toBeGreaterThan(0);

    const messages = logs.map((l) => l.message);
    expect(messages.slice(0, 3)).toEqual([
      'Starting course generation job',
      'Course: Build a Board Game from Scratch',
      'Projects to process: 3',
    ]);
    for (let i = 1; i <= 3; i++) {
      expect(messages).toContain(`Generating lessons for project ${i}/3: Project ${i}`);
      expect(messages).toContain(`Generated 3 lessons for: Project ${i}`);
    }
    const startTasks = messages.indexOf('Starting task generation');
    expect(startTasks).toBeGreaterThan(messages.lastIndexOf('Generated 3 lessons for: Project 3') - 1);
    expect(messages.filter((m) => /^Generating tasks for lesson \d+\/9: /.test(m))).toHaveLength(9);
    expect(messages.filter((m) => /^Generated 3 tasks for: /.test(m))).toHaveLength(9);
    expect(messages.slice(-3)).toEqual([
      'Course generation complete',
      'Summary: 3 projects, 9 lessons, 27 tasks',
      'Course published',
    ]);
    for (const l of logs) {
      expect(l).toEqual(
        expect.objectContaining({
          timestamp: expect.any(String),
          level: expect.stringMatching(/^(info|warning|error|success)$/),
        }),
      );
    }
    expect(logs.find((l) => l.message === 'Generating lessons for project 2/3: Project 2')?.details).toEqual({
      project_index: 2,
      project_total: 3,
    });

    // Every step called the model exactly once.
    const steps = fake.requestsMatching({ job: jobId }).map((r) => r.headers['x-courseloom-step']);
    expect(steps).toHaveLength(3 + 9);
    expect(new Set(steps).size).toBe(12);

    const course = await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200);
    expect(course.body.status).toBe('published');
    expect(await treeShape(app, courseId)).toEqual({
      lessonsPerProject: [3, 3, 3],
      tasksPerLesson: Array(9).fill(3),
    });
  });

  it('without auto_publish the course becomes ready; the list shows the job without logs', async () => {
    const courseId = await createCourse(app, user, outline(1, 'Cooking Mastery'));
    const jobId = await queueCourse(agent, courseId, false);
    await waitForJob(agent, jobId, 'completed');
    const course = await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200);
    expect(course.body.status).toBe('ready');

    const list = await agent.get(`${GENERATE}/jobs?status=completed`).expect(200);
    const listed = list.body.jobs.find((j: { id: string }) => j.id === jobId);
    expect(listed).toMatchObject({ course_title: 'Cooking Mastery', status: 'completed' });
    expect(listed).not.toHaveProperty('logs');
    const active = await agent.get(`${GENERATE}/jobs?status=active`).expect(200);
    expect(active.body.jobs.map((j: { id: string }) => j.id)).not.toContain(jobId);
  });

  it('runs 3 courses at once: their running windows overlap', async () => {
    fake.script({ latencyMs: 250 });
    const courses = await Promise.all(
      [1, 2, 3].map((i) => createCourse(app, user, outline(2, `Parallel ${i}`))),
    );
    const jobIds = await Promise.all(courses.map((c) => queueCourse(agent, c)));
    const done = await Promise.all(jobIds.map((id) => waitForJob(agent, id, 'completed')));
    const starts = done.map((d) => new Date(d.job.started_at!).getTime());
    const ends = done.map((d) => new Date(d.job.completed_at!).getTime());
    // Every job started before any of them finished: all three were running at the same moment.
    expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
  });

  it('a step failing every attempt fails the job at that step; retry resumes it and keeps every item written', async () => {
    const courseId = await createCourse(app, user, outline(3, 'Guitar Basics'));
    const [p1, p2, p3] = await projectIds(courseId);
    fake.script({ match: { step: `lessons:${p2}` }, status: 500, times: 4 });
    const jobId = await queueCourse(agent, courseId);
    const failed = await waitForJob(agent, jobId, 'failed');

    expect(failed.job.failed_step).toBe('lessons');
    expect(failed.job.error_message).toMatch(/Could not generate the lessons of "Project 2"/);
    const warnings = failed.logs.filter((l) => l.level === 'warning').map((l) => l.message);
    expect(warnings).toEqual([
      expect.stringMatching(/^Attempt 1\/4 failed for lessons of "Project 2": .*retrying in/),
      expect.stringMatching(/^Attempt 2\/4 failed/),
      expect.stringMatching(/^Attempt 3\/4 failed/),
    ]);
    expect(failed.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      expect.stringMatching(/^Failed to generate lessons of "Project 2" after 4 attempts/),
    ]);
    expect(fake.requestsMatching({ step: `lessons:${p2}` })).toHaveLength(4);
    const before = await contentIds(app, courseId);
    expect(Object.keys(before.lessons).sort()).toEqual([p1, p3].sort());
    expect((await agent.get(`/api/admin/curriculum/courses/${courseId}`)).body.status).toBe('draft');

    await agent.post(`${GENERATE}/jobs/${jobId}/retry`).expect(200, { success: true });
    const done = await waitForJob(agent, jobId, 'completed');
    expect(done.job.retry_count).toBe(1);
    expect(done.job.error_message).toBeNull();
    expect(done.logs.map((l) => l.message)).toContain('Resuming course generation (retry #1) at lessons');

    const after = await contentIds(app, courseId);
    expect(after.lessons[p1]).toEqual(before.lessons[p1]);
    expect(after.lessons[p3]).toEqual(before.lessons[p3]);
    // The projects written before the failure were not asked for again; the failed one once more.
    expect(fake.requestsMatching({ step: `lessons:${p1}` })).toHaveLength(1);
    expect(fake.requestsMatching({ step: `lessons:${p3}` })).toHaveLength(1);
    expect(fake.requestsMatching({ step: `lessons:${p2}` })).toHaveLength(5);
    expect(await treeShape(app, courseId)).toEqual({
      lessonsPerProject: [3, 3, 3],
      tasksPerLesson: Array(9).fill(3),
    });
  });

  it('a 429 waits at least its Retry-After before the next call', async () => {
    const courseId = await createCourse(app, user, outline(1, 'Rate limited'));
    const [p1] = await projectIds(courseId);
    fake.script({ match: { step: `lessons:${p1}` }, status: 429, retryAfterSeconds: 1, times: 1 });
    const jobId = await queueCourse(agent, courseId);
    const { logs } = await waitForJob(agent, jobId, 'completed');
    const calls = fake.requestsMatching({ step: `lessons:${p1}` });
    expect(calls).toHaveLength(2);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
    expect(logs.find((l) => l.level === 'warning')?.message).toMatch(
      /Attempt 1\/4 failed .*retrying in 1\.0 s/,
    );
  });

  it('queue refuses wrong states with 409 and bad input with 400', async () => {
    const empty = await createCourse(app, user, { title: 'No outline', projects: [] });
    const r1 = await agent.post(`${GENERATE}/${empty}/queue`).send({ auto_publish: false }).expect(409);
    expect(r1.body.message).toMatch(/no approved outline/);

    const published = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
      status: 'published',
    });
    await agent.post(`${GENERATE}/${published}/queue`).send({ auto_publish: false }).expect(409);

    fake.script({ latencyMs: 400 });
    const courseId = await createCourse(app, user, outline(2, 'Busy'));
    const jobId = await queueCourse(agent, courseId);
    const dup = await agent.post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: true }).expect(409);
    expect(dup.body.job_id).toBe(jobId);
    await agent.post(`${GENERATE}/jobs/${jobId}/retry`).expect(409);
    await waitForJob(agent, jobId, 'completed');
    const cancel = await agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(409);
    expect(cancel.body.message).toMatch(/completed/);

    await agent.post(`${GENERATE}/not-a-uuid/queue`).send({ auto_publish: true }).expect(400);
    await agent.post(`${GENERATE}/${courseId}/queue`).send({}).expect(400);
    await agent.post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: 'yes' }).expect(400);
    await agent.post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: true, extra: 1 }).expect(400);
    await agent.get(`${GENERATE}/jobs/not-a-uuid`).expect(400);
    await agent.get(`${GENERATE}/jobs?status=bogus`).expect(400);
    await agent.get(`${GENERATE}/jobs?page_size=1000`).expect(400);
    await agent.get(`${GENERATE}/jobs/00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('another organization can neither see nor touch a job (404), nor queue its course', async () => {
    const courseId = await createCourse(app, user, outline(1, 'Private'));
    fake.script({ latencyMs: 300 });
    const jobId = await queueCourse(agent, courseId);
    const other = await signIn(app);
    await other.agent.get(`${GENERATE}/jobs/${jobId}`).expect(404);
    await other.agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(404);
    await other.agent.post(`${GENERATE}/jobs/${jobId}/retry`).expect(404);
    await other.agent.post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: false }).expect(404);
    const list = await other.agent.get(`${GENERATE}/jobs?scope=organization`).expect(200);
    expect(list.body.jobs).toEqual([]);
    await waitForJob(agent, jobId, 'completed');
  });

  it('scope=organization lists colleagues’ jobs; the default lists only mine', async () => {
    const colleague = await signIn(app, { organizationName: user.organization_name });
    const courseId = await createCourse(app, colleague.user, outline(1, 'Colleague course'));
    const jobId = await queueCourse(colleague.agent, courseId);
    const mine = await agent.get(`${GENERATE}/jobs`).expect(200);
    expect(mine.body.jobs.map((j: { id: string }) => j.id)).not.toContain(jobId);
    const org = await agent.get(`${GENERATE}/jobs?scope=organization`).expect(200);
    expect(org.body.jobs.map((j: { id: string }) => j.id)).toContain(jobId);
    const byCourse = await agent.get(`${GENERATE}/jobs?scope=organization&course_id=${courseId}`).expect(200);
    expect(byCourse.body.jobs.map((j: { id: string }) => j.id)).toEqual([jobId]);
    await waitForJob(agent, jobId, 'completed');
    const detail = await jobDetail(agent, jobId);
    expect(detail.job.user_id).toBe(colleague.user.id);
  });

  it('names the provider that writes content (the UI labels the sample generator)', async () => {
    const res = await agent.get(`${GENERATE}/provider`).expect(200);
    expect(res.body).toEqual({ name: 'openai-compatible', model: 'fake-model', sample: false });
  });
});
