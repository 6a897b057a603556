import { DataSource } from 'typeorm';
import type {
  CourseDetail,
  JobStepsResponse,
  RegenerateRequest,
  RegenerationTarget,
  StepView,
} from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { FakeLlmServer, fakeModelEnv, LoggedRequest, startFakeLlmServer } from '../support/fake-llm-server';
import { GENERATE, jobDetail, queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const CURRICULUM = '/api/admin/curriculum';
const INSTRUCTIONS = 'More hands-on, fewer definitions.';
const LESSONS_STEP = /^regenerate_lessons:/;
const TASKS_STEP = /^regenerate_tasks:/;

/** The user message of a logged chat-completion request (the rendered prompt). */
const promptOf = (r: LoggedRequest): string =>
  (r.body as { messages: { role: string; content: string }[] }).messages.find((m) => m.role === 'user')!
    .content;

/**
 * The course as the API shows it, with the regenerated part cut out: everything that must not move — every other
 * project, lesson and task with its id, content and order, and the target's own fields. What a regeneration may
 * change besides its part (usage rows, updated_at, the published-course rule's fields) is left out.
 */
function outsideTarget(course: CourseDetail, target: RegenerationTarget, id: string): string {
  const projects = course.projects.map((p) =>
    target === 'project_lessons' && p.id === id
      ? { ...p, lessons: '<regenerated>' }
      : {
          ...p,
          lessons: p.lessons.map((l) =>
            target === 'lesson_tasks' && l.id === id ? { ...l, tasks: '<regenerated>' } : l,
          ),
        },
  );
  const { title, description, topic, audience, level, language, created_at, created_by } = course;
  return JSON.stringify({
    title,
    description,
    topic,
    audience,
    level,
    language,
    created_at,
    created_by,
    projects,
  });
}

describe('regenerating part of a course as a job (real PostgreSQL, Redis, BullMQ worker; the fake model server)', () => {
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

  /** Three projects × two lessons × two tasks, written in full. */
  const newCourse = (title: string, options: Parameters<typeof createCourse>[3] = {}): Promise<string> =>
    createCourse(
      app,
      user,
      { ...courseSpec({ projects: 3, lessons: 2, tasks: 2, title }), topic: 'pottery' },
      options,
    );
  const course = async (id: string, as = agent): Promise<CourseDetail> =>
    (await as.get(`${CURRICULUM}/courses/${id}`).expect(200)).body as CourseDetail;
  const regenerate = (courseId: string, body: object, as = agent) =>
    as.post(`${GENERATE}/${courseId}/regenerate`).send(body);
  const queueRegeneration = async (courseId: string, body: RegenerateRequest): Promise<string> => {
    const res = await regenerate(courseId, body);
    if (res.status !== 201) throw new Error(`regenerate answered ${res.status}: ${JSON.stringify(res.body)}`);
    expect(res.body).toEqual({ success: true, job_id: expect.any(String) });
    return res.body.job_id as string;
  };
  const steps = async (jobId: string, run?: number): Promise<StepView[]> =>
    (
      (
        await agent
          .get(`${GENERATE}/jobs/${jobId}/steps${run === undefined ? '' : `?run=${run}`}`)
          .expect(200)
      ).body as JobStepsResponse
    ).steps;
  const staged = async (jobId: string): Promise<{ kind: string; parent_id: string }[]> =>
    db.query(
      `SELECT kind, parent_id FROM regeneration_drafts WHERE job_id = $1 ORDER BY kind, parent_id, position`,
      [jobId],
    );
  const courseStatus = async (id: string): Promise<string> =>
    (await db.query(`SELECT status FROM courses WHERE id = $1`, [id]))[0].status;

  describe('when the lessons of one project are regenerated with instructions', () => {
    it('replaces that project’s lessons (and writes their tasks); everything else keeps its ids, content and order', async () => {
      const courseId = await newCourse('Project regenerated', { status: 'ready' });
      const before = await course(courseId);
      const target = before.projects[1];
      const jobId = await queueRegeneration(courseId, {
        target: 'project_lessons',
        id: target.id,
        instructions: INSTRUCTIONS,
      });
      const { job, logs } = await waitForJob(agent, jobId, 'completed');

      const after = await course(courseId);
      expect(outsideTarget(after, 'project_lessons', target.id)).toBe(
        outsideTarget(before, 'project_lessons', target.id),
      );
      const lessons = after.projects[1].lessons;
      // As many lessons as the project had, each new, each with the default three tasks.
      expect(lessons.map((l) => l.title)).toEqual([
        `Fake lesson 1 (regenerate_lessons:${target.id})`,
        `Fake lesson 2 (regenerate_lessons:${target.id})`,
      ]);
      expect(lessons.map((l) => l.position)).toEqual([0, 1]);
      for (const lesson of lessons) {
        expect(target.lessons.map((l) => l.id)).not.toContain(lesson.id);
        expect(lesson.tasks.map((t) => t.title)).toEqual(
          [1, 2, 3].map((i) => `Fake task ${i} (regenerate_tasks:${lesson.id})`),
        );
      }
      expect(await courseStatus(courseId)).toBe('ready');

      // The instructions reached every prompt; the siblings went in so the new part does not repeat them.
      const calls = fake.requestsMatching({ job: jobId });
      expect(calls).toHaveLength(3);
      const [lessonsCall, ...taskCalls] = calls;
      expect(lessonsCall.headers['x-courseloom-step']).toBe(`regenerate_lessons:${target.id}`);
      expect(lessonsCall.headers['x-courseloom-prompt']).toBe('lessons@3');
      expect(promptOf(lessonsCall)).toContain(`"""\n${INSTRUCTIONS}\n"""`);
      expect(promptOf(lessonsCall)).toContain(
        'The projects of the course, in order:\n- Project 1\n- Project 2\n- Project 3',
      );
      expect(promptOf(lessonsCall)).toMatch(/do not repeat them\):\n\(none\)/);
      for (const call of taskCalls) {
        expect(promptOf(call)).toContain(`"""\n${INSTRUCTIONS}\n"""`);
        const own = lessons.find((l) => call.headers['x-courseloom-step'] === `regenerate_tasks:${l.id}`)!;
        const sibling = lessons.find((l) => l !== own)!;
        expect(promptOf(call)).toContain(`): ${own.title}\nLesson summary:`);
        expect(promptOf(call)).toContain(
          'The lessons of this project, in order (the others are practised elsewhere):\n',
        );
        expect(promptOf(call)).toContain(`\n- ${sibling.title}\n`);
      }

      // The job's steps cover only the target: its lessons step, then the tasks steps of the new lessons.
      const list = await steps(jobId);
      expect(list.map((s) => `${s.kind}:${s.item_id}`)).toEqual([
        `regenerate_lessons:${target.id}`,
        ...lessons.map((l) => `regenerate_tasks:${l.id}`),
      ]);
      expect(list.every((s) => s.status === 'succeeded' && s.attempts === 1)).toBe(true);
      expect(list.map((s) => s.prompt_id)).toEqual(['lessons@3', 'tasks@3', 'tasks@3']);

      expect(job).toMatchObject({
        job_type: 'course_regeneration',
        course_id: courseId,
        items_completed: 2,
        items_total: 2,
        target: {
          target: 'project_lessons',
          item_id: target.id,
          item_title: 'Project 2',
          instructions: INSTRUCTIONS,
        },
      });
      const messages = logs.map((l) => l.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          'Starting regeneration of the lessons of "Project 2"',
          `Instructions: ${INSTRUCTIONS}`,
          'Regenerating the lessons of "Project 2"',
          'Generated 2 lessons for "Project 2"',
          'Generating the tasks of the 2 new lessons',
          `Generated 3 tasks for "${lessons[0].title}"`,
          'Replaced the lessons of "Project 2" (the previous ones are kept as a version)',
        ]),
      );
      expect(await staged(jobId)).toEqual([]);
      const listed = (await agent.get(`${GENERATE}/jobs?course_id=${courseId}`).expect(200)).body.jobs;
      expect(listed).toEqual([expect.objectContaining({ id: jobId, job_type: 'course_regeneration' })]);
      expect(listed[0].target).toEqual(job.target);
    });

    it('writes lessons for a project that has none', async () => {
      const courseId = await createCourse(app, user, {
        ...courseSpec({ projects: 2, lessons: 0, title: 'Empty project' }),
        topic: 'pottery',
      });
      const before = await course(courseId);
      const jobId = await queueRegeneration(courseId, {
        target: 'project_lessons',
        id: before.projects[0].id,
      });
      await waitForJob(agent, jobId, 'completed');
      const after = await course(courseId);
      expect(after.projects[0].lessons.map((l) => l.tasks.length)).toEqual([3, 3, 3]);
      expect(after.projects[1].lessons).toEqual([]);
      // Without instructions, the prompt is the one a course generation sends.
      expect(promptOf(fake.requestsMatching({ job: jobId })[0])).not.toContain(
        'instructions for this version',
      );
    });
  });

  describe('when the tasks of one lesson are regenerated', () => {
    it('replaces that lesson’s tasks only; the lesson and everything else are unchanged', async () => {
      const courseId = await newCourse('Lesson regenerated');
      const before = await course(courseId);
      const lesson = before.projects[0].lessons[1];
      const jobId = await queueRegeneration(courseId, {
        target: 'lesson_tasks',
        id: lesson.id,
        instructions: INSTRUCTIONS,
      });
      const { job, logs } = await waitForJob(agent, jobId, 'completed');

      const after = await course(courseId);
      expect(outsideTarget(after, 'lesson_tasks', lesson.id)).toBe(
        outsideTarget(before, 'lesson_tasks', lesson.id),
      );
      const tasks = after.projects[0].lessons[1].tasks;
      expect(tasks.map((t) => t.title)).toEqual(
        [1, 2].map((i) => `Fake task ${i} (regenerate_tasks:${lesson.id})`),
      );
      expect(tasks.map((t) => t.id)).not.toContain(lesson.tasks[0].id);

      const [call] = fake.requestsMatching({ job: jobId });
      expect(fake.requestsMatching({ job: jobId })).toHaveLength(1);
      expect(promptOf(call)).toContain(`"""\n${INSTRUCTIONS}\n"""`);
      expect(promptOf(call)).toContain('This lesson (lesson 2 of ');
      expect(promptOf(call)).toContain('): Lesson 1.2\nLesson summary:');
      expect(promptOf(call)).toContain('practised elsewhere):\n- Lesson 1.1\n- Lesson 1.2\n');

      expect((await steps(jobId)).map((s) => [s.kind, s.item_id, s.status])).toEqual([
        ['regenerate_tasks', lesson.id, 'succeeded'],
      ]);
      expect(job).toMatchObject({
        items_completed: 1,
        items_total: 1,
        target: {
          target: 'lesson_tasks',
          item_id: lesson.id,
          item_title: 'Lesson 1.2',
          instructions: INSTRUCTIONS,
        },
      });
      expect(logs.map((l) => l.message)).toEqual(
        expect.arrayContaining([
          'Regenerating the tasks of "Lesson 1.2"',
          'Generated 2 tasks for "Lesson 1.2"',
          'Replaced the tasks of "Lesson 1.2" (the previous ones are kept as a version)',
        ]),
      );
      expect(await staged(jobId)).toEqual([]);
    });
  });

  describe('when the job is cancelled mid-way', () => {
    it('leaves the old content in place; what it staged is never visible and is removed', async () => {
      const courseId = await newCourse('Cancelled regeneration', { status: 'published' });
      const before = await course(courseId);
      const target = before.projects[2];
      fake.script({ match: { course: courseId, step: TASKS_STEP }, hang: true });
      const jobId = await queueRegeneration(courseId, { target: 'project_lessons', id: target.id });
      await waitFor(() => fake.requestsMatching({ job: jobId, step: TASKS_STEP }).length === 2, {
        what: 'the new lessons’ tasks steps to call the model',
      });

      // The lessons are staged, yet the course shows the old ones, and stays published and readable.
      expect((await staged(jobId)).filter((d) => d.kind === 'lesson')).toHaveLength(2);
      const during = await course(courseId);
      expect(during.projects).toEqual(before.projects);
      expect(during.status).toBe('published');

      await agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200, { success: true });
      await waitForJob(agent, jobId, 'cancelled');
      await waitFor(() => fake.requestsMatching({ job: jobId }).every((r) => r.closedEarly || r.status), {
        what: 'the aborted model calls to end',
      });
      const after = await course(courseId);
      expect(after.projects).toEqual(before.projects);
      expect(after.status).toBe('published');
      expect(await staged(jobId)).toEqual([]);
    });
  });

  describe('when a step fails for good and the job is retried', () => {
    it('changes nothing in the course; the retry runs only the steps that had not written, then replaces the part', async () => {
      const courseId = await newCourse('Failed regeneration');
      const before = await course(courseId);
      const target = before.projects[0];
      fake.script({
        match: { course: courseId, step: TASKS_STEP, nth: 1 },
        status: 401,
        errorMessage: 'invalid api key',
      });
      const jobId = await queueRegeneration(courseId, { target: 'project_lessons', id: target.id });
      const failed = await waitForJob(agent, jobId, 'failed');
      expect(failed.job.failed_step).toBe('tasks');
      expect(failed.job.error_message).toMatch(/^Could not generate the tasks of "Fake lesson \d/);
      // The sibling step in flight finishes (its call was paid) before the retry.
      await waitFor(() => fake.requestsMatching({ job: jobId }).every((r) => r.closedEarly || r.status), {
        what: 'the in-flight calls to end',
      });

      expect((await course(courseId)).projects).toEqual(before.projects);
      const run0 = await steps(jobId);
      const newLessons = run0.filter((s) => s.kind === 'regenerate_tasks').map((s) => s.item_id);
      expect(newLessons).toHaveLength(2);
      const withTasks = new Set(
        (await staged(jobId)).filter((d) => d.kind === 'task').map((d) => d.parent_id),
      );
      const missing = newLessons.filter((id) => !withTasks.has(id));
      expect(missing.length).toBeGreaterThanOrEqual(1);

      await agent.post(`${GENERATE}/jobs/${jobId}/retry`).expect(200, { success: true });
      const { job } = await waitForJob(agent, jobId, 'completed');
      expect(job.retry_count).toBe(1);
      // Run 1: no lessons step (they were staged), a tasks step only for each lesson still missing its tasks.
      expect((await steps(jobId, 1)).map((s) => [s.kind, s.item_id, s.status])).toEqual(
        missing.map((id) => ['regenerate_tasks', id, 'succeeded']),
      );
      expect(fake.requestsMatching({ job: jobId, step: LESSONS_STEP })).toHaveLength(1);
      for (const id of newLessons)
        expect(fake.requestsMatching({ job: jobId, step: `regenerate_tasks:${id}` })).toHaveLength(
          withTasks.has(id) ? 1 : 2,
        );

      // The lessons staged in run 0 are the ones written, with their ids.
      const after = await course(courseId);
      expect(after.projects[0].lessons.map((l) => l.id)).toEqual(newLessons);
      expect(after.projects[0].lessons.every((l) => l.tasks.length === 3)).toBe(true);
      expect(outsideTarget(after, 'project_lessons', target.id)).toBe(
        outsideTarget(before, 'project_lessons', target.id),
      );
      expect(await staged(jobId)).toEqual([]);
    });
  });

  describe('one active job per course', () => {
    it('answers 409 naming the running job, to a regeneration and to a course generation alike', async () => {
      const courseId = await newCourse('Busy course');
      const { projects } = await course(courseId);
      fake.script({ match: { course: courseId }, hang: true });
      const jobId = await queueRegeneration(courseId, {
        target: 'lesson_tasks',
        id: projects[0].lessons[0].id,
      });
      const refused = await regenerate(courseId, { target: 'project_lessons', id: projects[1].id }).expect(
        409,
      );
      expect(refused.body).toMatchObject({
        message: 'This course already has an active generation job',
        job_id: jobId,
      });
      await regenerate(courseId, { target: 'lesson_tasks', id: projects[0].lessons[0].id }).expect(409);
      await expect(queueCourse(agent, courseId)).rejects.toThrow(/409.*"job_id":"/);
      // Hand edits of the tree wait too: the job replaces its part when it completes.
      const edit = await agent
        .patch(`/api/admin/curriculum/tasks/${projects[0].lessons[0].tasks[0].id}`)
        .send({ title: 'Edited meanwhile' })
        .expect(409);
      expect(edit.body).toMatchObject({ job_id: jobId });
      await agent
        .patch(`/api/admin/curriculum/lessons/${projects[1].lessons[0].id}`)
        .send({ title: 'X y z' })
        .expect(409);
      expect((await course(courseId)).projects[0].lessons[0].tasks[0].title).toBe(
        projects[0].lessons[0].tasks[0].title,
      );

      await agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200);
      await waitForJob(agent, jobId, 'cancelled');
    });

    it('answers 409 for an archived course and for a course being generated', async () => {
      for (const [status, message] of [
        ['archived', 'The course is archived; its parts cannot be regenerated'],
        ['generating', 'The course is being generated; regenerate a part once it has finished'],
      ] as const) {
        const courseId = await newCourse(`A ${status} course`, { status });
        const { projects } = await course(courseId);
        const res = await regenerate(courseId, { target: 'project_lessons', id: projects[0].id }).expect(409);
        expect(res.body.message).toBe(message);
      }
    });
  });

  describe('another organization', () => {
    it('gets 404 for every route: its course, its items, and the regeneration job’s routes', async () => {
      const courseId = await newCourse('Private regeneration');
      const { projects } = await course(courseId);
      fake.script({ match: { course: courseId }, hang: true });
      const jobId = await queueRegeneration(courseId, { target: 'project_lessons', id: projects[0].id });
      const other = await signIn(app);
      const otherCourse = await createCourse(
        app,
        other.user,
        courseSpec({ projects: 1, lessons: 1, tasks: 1 }),
      );

      const courseRes = await regenerate(
        courseId,
        { target: 'project_lessons', id: projects[0].id },
        other.agent,
      );
      expect(courseRes.status).toBe(404);
      expect(courseRes.body.message).toBe('Course not found');
      // Its own course, with an item of ours: the item is not found in its course.
      const itemRes = await regenerate(
        otherCourse,
        { target: 'project_lessons', id: projects[1].id },
        other.agent,
      );
      expect(itemRes.status).toBe(404);
      expect(itemRes.body.message).toBe('Project not found');
      const lessonRes = await regenerate(
        otherCourse,
        { target: 'lesson_tasks', id: projects[1].lessons[0].id },
        other.agent,
      );
      expect(lessonRes.body).toMatchObject({ statusCode: 404, message: 'Lesson not found' });
      await other.agent.get(`${GENERATE}/jobs/${jobId}`).expect(404);
      await other.agent.get(`${GENERATE}/jobs/${jobId}/steps`).expect(404);
      await other.agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(404);
      await other.agent.post(`${GENERATE}/jobs/${jobId}/retry`).expect(404);
      const listed = (await other.agent.get(`${GENERATE}/jobs?scope=organization`).expect(200)).body.jobs;
      expect(listed.map((j: { id: string }) => j.id)).not.toContain(jobId);

      expect((await jobDetail(agent, jobId)).job.status).not.toBe('cancelled');
      await agent.post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200);
      await waitForJob(agent, jobId, 'cancelled');
    });
  });

  describe('when the request is invalid', () => {
    it('answers 400 with a clear message, and 404 for an item of another course or of the other kind', async () => {
      const courseId = await newCourse('Validated regeneration');
      const elsewhere = await newCourse('Another course');
      const { projects } = await course(courseId);
      const projectId = projects[0].id;
      const jobsBefore = (await db.query(`SELECT count(*)::int AS n FROM course_generation_jobs`))[0].n;
      const cases: [Record<string, unknown>, string | string[]][] = [
        [{ id: projectId }, ['target must be one of the following values: project_lessons, lesson_tasks']],
        [
          { target: 'course', id: projectId },
          ['target must be one of the following values: project_lessons, lesson_tasks'],
        ],
        [{ target: 'project_lessons', id: 'p1' }, ['id must be a UUID']],
        [{ target: 'project_lessons' }, ['id must be a UUID']],
        [
          { target: 'project_lessons', id: projectId, instructions: 'x'.repeat(1001) },
          ['instructions must be shorter than or equal to 1000 characters'],
        ],
        [
          { target: 'project_lessons', id: projectId, instructions: 42 },
          ['instructions must be shorter than or equal to 1000 characters', 'instructions must be a string'],
        ],
        [{ target: 'project_lessons', id: projectId, priority: 1 }, ['property priority should not exist']],
        [
          { target: 'project_lessons', id: projectId, instructions: 'more\u0000' },
          'instructions: must not contain NUL characters',
        ],
      ];
      for (const [body, message] of cases) {
        const res = await regenerate(courseId, body);
        expect({ body, status: res.status, message: res.body.message }).toEqual({
          body,
          status: 400,
          message,
        });
      }
      const badCourse = await agent
        .post(`${GENERATE}/not-a-uuid/regenerate`)
        .send({ target: 'project_lessons', id: projectId })
        .expect(400);
      expect(badCourse.body.message).toEqual(['courseId must be a UUID']);

      const { projects: theirs } = await course(elsewhere);
      await regenerate(courseId, { target: 'project_lessons', id: theirs[0].id }).expect(404);
      await regenerate(courseId, { target: 'lesson_tasks', id: projectId }).expect(404);
      await regenerate(courseId, { target: 'project_lessons', id: projects[0].lessons[0].id }).expect(404);
      expect((await db.query(`SELECT count(*)::int AS n FROM course_generation_jobs`))[0].n).toBe(jobsBefore);

      // 1,000 characters is allowed.
      const ok = await queueRegeneration(courseId, {
        target: 'lesson_tasks',
        id: projects[0].lessons[0].id,
        instructions: 'x'.repeat(1000),
      });
      await waitForJob(agent, ok, 'completed');
    });
  });
});
