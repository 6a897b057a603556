import { DataSource } from 'typeorm';
import type { CourseDetail, QualityReport } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { cannedContent, FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import { queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';

const CURRICULUM = '/api/admin/curriculum';

/** An approved outline: projects with real titles, no lessons yet. */
const outline = (title: string, projects: string[]) => ({
  ...courseSpec({ projects: 0, title }),
  topic: 'beekeeping',
  projects: projects.map((p) => ({ title: p, lessons: [] })),
});

/** The fake model's canned lessons for a project, with these titles. */
const lessonsTitled = (titles: string[]) => {
  const canned = cannedContent('lessons', titles.length) as { lessons: { title: string }[] };
  return { lessons: canned.lessons.map((l, i) => ({ ...l, title: titles[i] })) };
};

describe('the quality gate before auto-publish (real PostgreSQL, Redis, BullMQ worker; the fake model server)', () => {
  let fake: FakeLlmServer;
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 10 });
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

  const course = async (id: string): Promise<CourseDetail> =>
    (await agent.get(`${CURRICULUM}/courses/${id}`).expect(200)).body as CourseDetail;
  const projectIds = async (courseId: string): Promise<string[]> =>
    (
      await app.app
        .get(DataSource)
        .query(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`, [courseId])
    ).map((r: { id: string }) => r.id);

  describe('when generated lessons of one project have near-duplicate titles', () => {
    it('completes the job with warnings, holds the course in review with the report, and publishes nothing', async () => {
      const courseId = await createCourse(app, user, outline('Bees held', ['Meet the colony', 'Hive tools']));
      const [first] = await projectIds(courseId);
      fake.script({
        match: { step: `lessons:${first}` },
        content: lessonsTitled(['Intro to Bees', 'Intro to bees!', 'The queen and her workers']),
      });

      const jobId = await queueCourse(agent, courseId, true);
      const { logs } = await waitForJob(agent, jobId, 'completed');

      const warnings = logs.filter((l) => l.level === 'warning').map((l) => l.message);
      expect(warnings).toEqual([
        'Quality gate — near-duplicate titles (1): "Intro to bees!": "Intro to bees!" repeats the title of its sibling lesson "Intro to Bees"',
        'Held for review: the quality gate found 1 problem (near-duplicate titles); nothing was published. See the report below.',
      ]);
      expect(logs.map((l) => l.message)).not.toContain('Course published');
      expect(logs.at(-1)?.message).toBe('Course ready for review');

      const held = await course(courseId);
      expect(held).toMatchObject({
        status: 'ready',
        published_at: null,
        review_notice:
          'Held for review: the quality gate found 1 problem (near-duplicate titles); nothing was published. See the report below.',
      });
      const report = held.quality_report as QualityReport;
      expect(report).toEqual({
        passed: false,
        checked_at: expect.any(String),
        problems: [
          {
            check: 'duplicate_titles',
            severity: 'error',
            item_kind: 'lesson',
            item_id: held.projects[0].lessons[1].id,
            item_title: 'Intro to bees!',
            message: '"Intro to bees!" repeats the title of its sibling lesson "Intro to Bees"',
          },
        ],
        problems_total: 1,
      });
    });

    it('is published by hand after review, which clears the banner and keeps the report as history', async () => {
      const courseId = await createCourse(app, user, outline('Bees reviewed', ['Meet the colony']));
      const [first] = await projectIds(courseId);
      fake.script({
        match: { step: `lessons:${first}` },
        content: lessonsTitled(['Intro to Bees', 'Intro to bees!', 'Hive tools']),
      });
      await waitForJob(agent, await queueCourse(agent, courseId, true), 'completed');

      await agent.post(`${CURRICULUM}/courses/${courseId}/publish`).expect(200);
      const published = await course(courseId);
      expect(published).toMatchObject({ status: 'published', review_notice: null });
      expect(published.quality_report?.passed).toBe(false);
    });
  });

  describe('when the generated course is clean', () => {
    it('publishes it, with "Quality gate passed" in the log and a passed report on the course', async () => {
      const courseId = await createCourse(
        app,
        user,
        outline('Bees published', ['Meet the colony', 'Hive tools']),
      );
      const jobId = await queueCourse(agent, courseId, true);
      const { logs } = await waitForJob(agent, jobId, 'completed');

      const messages = logs.map((l) => l.message);
      expect(messages).toContain('Quality gate passed');
      expect(messages.slice(-3)).toEqual([
        'Course generation complete',
        'Summary: 2 projects, 6 lessons, 18 tasks',
        'Course published',
      ]);
      expect(logs.filter((l) => l.level === 'warning')).toEqual([]);

      const published = await course(courseId);
      expect(published).toMatchObject({ status: 'published', review_notice: null });
      expect(published.quality_report).toEqual({
        passed: true,
        checked_at: expect.any(String),
        problems: [],
        problems_total: 0,
      });
    });
  });

  describe('without auto-publish', () => {
    it('does not run the gate: the course is ready without a report, whatever its titles', async () => {
      const courseId = await createCourse(app, user, outline('Bees unchecked', ['Meet the colony']));
      const [first] = await projectIds(courseId);
      fake.script({
        match: { step: `lessons:${first}` },
        content: lessonsTitled(['Intro to Bees', 'Intro to bees!', 'Hive tools']),
      });
      const { logs } = await waitForJob(agent, await queueCourse(agent, courseId, false), 'completed');

      expect(logs.map((l) => l.message).filter((m) => m.startsWith('Quality gate'))).toEqual([]);
      expect(await course(courseId)).toMatchObject({
        status: 'ready',
        review_notice: null,
        quality_report: null,
      });
    });
  });
});
