import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type {
  CourseDetail,
  LessonView,
  RestoreVersionResponse,
  TaskView,
  VersionDetail,
  VersionSummary,
} from '../../contracts/api';
import { CoursePublishService } from '../../server/src/curriculum/course-publish.service';
import type { TaskInput } from '../../server/src/curriculum/curriculum-content.service';
import {
  CourseVersionsService,
  ReplacedBy,
  ReplacementLesson,
} from '../../server/src/curriculum/versions/course-versions.service';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { countRows, courseSpec, createCourse } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

const CURRICULUM = '/api/admin/curriculum';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const REGENERATED: ReplacedBy = {
  cause: 'regenerated',
  job_id: '11111111-1111-4111-8111-111111111111',
  model: 'sample-model',
  prompt_id: 'tasks@3',
};

const newTasks = (n: number, prefix: string): TaskInput[] =>
  Array.from({ length: n }, (_, i) => ({
    title: `${prefix} ${i + 1}`,
    instructions: `Do ${prefix} ${i + 1}.`,
    kind: 'quiz',
    estimated_minutes: i === 0 ? null : 5 * i,
  }));

const newLessons = (n: number, prefix: string): ReplacementLesson[] =>
  Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    title: `${prefix} ${i + 1}`,
    summary: `About ${prefix} ${i + 1}.`,
    content: `# ${prefix} ${i + 1}\n\nText.`,
    estimated_minutes: 20,
    tasks: newTasks(3, `${prefix} ${i + 1} task`),
  }));

/** The course as JSON with one part blanked out (and what legitimately changes with it), to compare the rest. */
function outside(c: CourseDetail, part: { project?: string; lesson?: string }): string {
  return JSON.stringify({
    ...c,
    updated_at: null,
    counts: null,
    projects: c.projects.map((p) => ({
      ...p,
      lessons:
        p.id === part.project
          ? 'replaced'
          : p.lessons.map((l) => (l.id === part.lesson ? { ...l, tasks: 'replaced' } : l)),
    })),
  });
}

const utcDays = (...dates: Date[]): string[] => dates.map((d) => d.toISOString().slice(0, 10));

describe('versions of course parts: kept on replace and edit, listed, shown, restored (real PostgreSQL and HTTP)', () => {
  let app: TestApp;
  let db: DataSource;
  let versions: CourseVersionsService;
  let acme: { user: TestUser; agent: AuthedAgent };

  beforeAll(async () => {
    app = await startTestApp();
    db = app.app.get(DataSource);
    versions = app.app.get(CourseVersionsService);
    acme = await signIn(app, { role: 'admin' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const detail = async (id: string): Promise<CourseDetail> =>
    (await acme.agent.get(`${CURRICULUM}/courses/${id}`).expect(200)).body;
  const list = async (courseId: string, item?: string): Promise<VersionSummary[]> =>
    (
      await acme.agent
        .get(`${CURRICULUM}/courses/${courseId}/versions${item ? `?item=${item}` : ''}`)
        .expect(200)
    ).body.versions;
  const version = async (courseId: string, id: string): Promise<VersionDetail> =>
    (await acme.agent.get(`${CURRICULUM}/courses/${courseId}/versions/${id}`).expect(200)).body;
  const restore = async (courseId: string, id: string): Promise<RestoreVersionResponse> =>
    (await acme.agent.post(`${CURRICULUM}/courses/${courseId}/versions/${id}/restore`).expect(200)).body;
  const replaceTasks = (courseId: string, lessonId: string, tasks: TaskInput[], by = REGENERATED) =>
    db.transaction((m) => versions.replaceLessonTasks(m, courseId, lessonId, tasks, by));
  const replaceLessons = (courseId: string, projectId: string, lessons: ReplacementLesson[]) =>
    db.transaction((m) => versions.replaceProjectLessons(m, courseId, projectId, lessons, REGENERATED));
  const versionCount = async (): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM content_versions`))[0].n;

  describe('when a lesson or a task is edited by hand (PATCH)', () => {
    it('keeps the lesson as it was as a version "edited" by the user, with its id and name', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 2, tasks: 1 }));
      const before = await detail(courseId);
      const lesson = before.projects[0].lessons[1];
      await acme.agent
        .patch(`${CURRICULUM}/lessons/${lesson.id}`)
        .send({ title: 'Renamed', content: 'New text', position: 0 })
        .expect(200);

      const [summary, ...others] = await list(courseId, lesson.id);
      expect(others).toEqual([]);
      expect(summary).toEqual({
        id: expect.any(String),
        course_id: courseId,
        item_id: lesson.id,
        kind: 'lesson',
        cause: 'edited',
        created_at: expect.any(String),
        job_id: null,
        model: null,
        prompt_id: null,
        user_id: acme.user.id,
        user_name: acme.user.email,
        restored_version_id: null,
        label: lesson.title,
      });
      const { tasks: _tasks, ...asItWas } = lesson;
      const shown = await version(courseId, summary.id);
      expect(shown.snapshot).toEqual({ kind: 'lesson', lesson: asItWas });
      const { tasks: _now, ...asItIs } = (await detail(courseId)).projects[0].lessons[0];
      expect(shown.current).toEqual({ kind: 'lesson', lesson: asItIs });
      expect(asItIs).toMatchObject({ id: lesson.id, title: 'Renamed', position: 0 });
    });

    it('keeps the task as it was as a version "edited" by the user', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 2 }));
      const task = (await detail(courseId)).projects[0].lessons[0].tasks[0];
      await acme.agent
        .patch(`${CURRICULUM}/tasks/${task.id}`)
        .send({ kind: 'reflection', estimated_minutes: 7 })
        .expect(200);

      const [summary] = await list(courseId, task.id);
      expect(summary).toMatchObject({ kind: 'task', cause: 'edited', user_name: acme.user.email });
      expect((await version(courseId, summary.id)).snapshot).toEqual({ kind: 'task', task });
    });

    it('records no version when the PATCH changes nothing, or is refused', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
      const lesson = (await detail(courseId)).projects[0].lessons[0];
      await acme.agent
        .patch(`${CURRICULUM}/lessons/${lesson.id}`)
        .send({ title: lesson.title, position: 0 })
        .expect(200);
      await acme.agent
        .patch(`${CURRICULUM}/lessons/${lesson.id}`)
        .send({ title: 'X', position: 5 })
        .expect(400);
      expect(await list(courseId)).toEqual([]);
    });

    it('leaves a published course published (the published-course rule is for regenerations and restores)', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
        status: 'published',
      });
      const lesson = (await detail(courseId)).projects[0].lessons[0];
      await acme.agent
        .patch(`${CURRICULUM}/lessons/${lesson.id}`)
        .send({ content: 'Fixed a typo' })
        .expect(200);
      expect(await detail(courseId)).toMatchObject({ status: 'published', review_notice: null });
      expect(await list(courseId)).toHaveLength(1);
    });
  });

  describe('when a regeneration replaces a part (the service, inside its transaction)', () => {
    it('replaceProjectLessons: the old lessons become a version, the new ones take their place, the rest of the course is byte-identical', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 3, lessons: 3, tasks: 2 }));
      const before = await detail(courseId);
      const target = before.projects[1];
      const replacement = newLessons(2, 'Fresh lesson');

      const versionId = await replaceLessons(courseId, target.id, replacement);

      const after = await detail(courseId);
      expect(outside(after, { project: target.id })).toBe(outside(before, { project: target.id }));
      expect(after.counts).toEqual({ projects: 3, lessons: 8, tasks: 18 });
      expect(after.projects[1].lessons).toEqual(
        replacement.map((l, position) => ({
          id: l.id,
          project_id: target.id,
          position,
          title: l.title,
          summary: l.summary,
          content: l.content,
          estimated_minutes: l.estimated_minutes,
          tasks: l.tasks.map((t, i) => ({ ...t, id: expect.any(String), lesson_id: l.id, position: i })),
        })),
      );
      const shown = await version(courseId, versionId!);
      expect(shown).toMatchObject({
        item_id: target.id,
        kind: 'project_lessons',
        cause: 'regenerated',
        job_id: REGENERATED.job_id,
        model: 'sample-model',
        prompt_id: 'tasks@3',
        user_id: null,
        user_name: null,
        label: '3 lessons',
      });
      expect(shown.snapshot).toEqual({ kind: 'project_lessons', lessons: target.lessons });
      expect(shown.current).toEqual({ kind: 'project_lessons', lessons: after.projects[1].lessons });
    });

    it('replaceLessonTasks: the old tasks become a version, the rest of the course is byte-identical', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 2, lessons: 2, tasks: 3 }));
      const before = await detail(courseId);
      const lesson = before.projects[1].lessons[0];

      const versionId = await replaceTasks(courseId, lesson.id, newTasks(4, 'Fresh task'));

      const after = await detail(courseId);
      expect(outside(after, { lesson: lesson.id })).toBe(outside(before, { lesson: lesson.id }));
      expect(after.projects[1].lessons[0].tasks.map((t) => [t.title, t.position, t.lesson_id])).toEqual(
        newTasks(4, 'Fresh task').map((t, i) => [t.title, i, lesson.id]),
      );
      const shown = await version(courseId, versionId!);
      expect(shown).toMatchObject({ kind: 'lesson_tasks', item_id: lesson.id, label: '3 tasks' });
      expect(shown.snapshot).toEqual({ kind: 'lesson_tasks', tasks: lesson.tasks });
    });

    it('returns null and writes nothing for an item that is not in the course', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
      const elsewhere = await detail(
        await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 })),
      );
      const rows = await countRows(app);
      const count = await versionCount();
      await expect(
        replaceTasks(courseId, elsewhere.projects[0].lessons[0].id, newTasks(2, 'Stray')),
      ).resolves.toBeNull();
      await expect(
        replaceLessons(courseId, elsewhere.projects[0].id, newLessons(1, 'Stray')),
      ).resolves.toBeNull();
      expect(await countRows(app)).toEqual(rows);
      expect(await versionCount()).toBe(count);
    });
  });

  describe('list, get and restore', () => {
    it('restoring tasks brings back the snapshot exactly (ids included); the restore is a version, and restoring that one undoes it', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 2, lessons: 2, tasks: 2 }));
      const original = await detail(courseId);
      const lesson = original.projects[0].lessons[1];
      const regenerated = await replaceTasks(courseId, lesson.id, newTasks(3, 'Regenerated'));
      const replaced = await detail(courseId);

      const restored = await restore(courseId, regenerated!);
      const tasksNow = (c: CourseDetail): TaskView[] => c.projects[0].lessons[1].tasks;
      expect(tasksNow(restored.course)).toEqual(lesson.tasks);
      expect(outside(restored.course, {})).toBe(outside(original, {}));
      expect(await detail(courseId)).toEqual(restored.course);

      const undo = await version(courseId, restored.version_id);
      expect(undo).toMatchObject({
        kind: 'lesson_tasks',
        item_id: lesson.id,
        cause: 'restored',
        restored_version_id: regenerated,
        user_id: acme.user.id,
        user_name: acme.user.email,
        job_id: null,
      });
      expect(undo.snapshot).toEqual({ kind: 'lesson_tasks', tasks: tasksNow(replaced) });

      const undone = await restore(courseId, restored.version_id);
      expect(tasksNow(undone.course)).toEqual(tasksNow(replaced));
      expect((await list(courseId, lesson.id)).map((v) => [v.id, v.cause, v.restored_version_id])).toEqual([
        [undone.version_id, 'restored', restored.version_id],
        [restored.version_id, 'restored', regenerated],
        [regenerated, 'regenerated', null],
      ]);
    });

    it('restoring a project’s lessons brings back every lesson and its tasks with the same ids, titles, text and order', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 2, lessons: 3, tasks: 2 }));
      const original = await detail(courseId);
      const project = original.projects[1];
      const versionId = await replaceLessons(courseId, project.id, newLessons(1, 'Only one'));

      const { course } = await restore(courseId, versionId!);
      const lessonsNow: LessonView[] = course.projects[1].lessons;
      expect(lessonsNow).toEqual(project.lessons);
      expect(course.counts).toEqual(original.counts);
      expect(outside(course, {})).toBe(outside(original, {}));
    });

    it('restoring a hand-edited lesson brings back its text and its place among its siblings', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 3, tasks: 1 }));
      const original = await detail(courseId);
      const lesson = original.projects[0].lessons[2];
      await acme.agent
        .patch(`${CURRICULUM}/lessons/${lesson.id}`)
        .send({ summary: 'Rewritten', estimated_minutes: null, position: 0 })
        .expect(200);
      const [edited] = await list(courseId, lesson.id);

      const { course } = await restore(courseId, edited.id);
      expect(course.projects).toEqual(original.projects);
    });

    it('lists the course’s versions newest first, all of them without `item`, one item’s with it', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 2, tasks: 1 }));
      const [first, second] = (await detail(courseId)).projects[0].lessons;
      const a = await replaceTasks(courseId, first.id, newTasks(1, 'A'));
      const b = await replaceTasks(courseId, second.id, newTasks(1, 'B'));
      const c = await replaceTasks(courseId, first.id, newTasks(1, 'C'));

      expect((await list(courseId)).map((v) => v.id)).toEqual([c, b, a]);
      expect((await list(courseId, first.id)).map((v) => v.id)).toEqual([c, a]);
      expect(await list(courseId, UNKNOWN)).toEqual([]);
    });

    it('a version whose item no longer exists: shown with current null, and its restore → 409, nothing changes', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 2, tasks: 1 }));
      const project = (await detail(courseId)).projects[0];
      const tasksVersion = await replaceTasks(courseId, project.lessons[0].id, newTasks(2, 'Soon gone'));
      await replaceLessons(courseId, project.id, newLessons(2, 'Replacing'));
      const before = await detail(courseId);
      const count = await versionCount();

      expect((await version(courseId, tasksVersion!)).current).toBeNull();
      const res = await acme.agent
        .post(`${CURRICULUM}/courses/${courseId}/versions/${tasksVersion}/restore`)
        .expect(409);
      expect(res.body.message).toBe(
        'Cannot restore: the lesson this version belongs to no longer exists (its project’s lessons were replaced ' +
          'since); restore a version of the project’s lessons instead',
      );
      expect(await detail(courseId)).toEqual(before);
      expect(await versionCount()).toBe(count);
    });

    it('restore → 409 while the course has an active job, even one that leaves the course’s status alone', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
        status: 'ready',
      });
      const lesson = (await detail(courseId)).projects[0].lessons[0];
      const versionId = await replaceTasks(courseId, lesson.id, newTasks(2, 'New'));
      const [job] = await db.query(
        `INSERT INTO course_generation_jobs (course_id, user_id, organization_id, auto_publish, status, started_at,
           current_step)
         VALUES ($1, $2, $3, false, 'generating_tasks', now(), 'tasks') RETURNING id`,
        [courseId, acme.user.id, acme.user.organization_id],
      );
      try {
        const before = await detail(courseId);
        const count = await versionCount();
        const res = await acme.agent
          .post(`${CURRICULUM}/courses/${courseId}/versions/${versionId}/restore`)
          .expect(409);
        expect(res.body).toMatchObject({
          message:
            'The course has an active job; restore the version when the job has finished, or cancel it first',
          job_id: job.id,
        });
        expect(await detail(courseId)).toEqual(before);
        expect(await versionCount()).toBe(count);
      } finally {
        await db.query(
          `UPDATE course_generation_jobs SET status = 'cancelled', completed_at = now() WHERE id = $1`,
          [job.id],
        );
      }
      await restore(courseId, versionId!);
    });

    it('400 for an `item` or a version id that is not a UUID', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 0 }));
      const bad = await acme.agent.get(`${CURRICULUM}/courses/${courseId}/versions?item=nope`).expect(400);
      expect(bad.body.message).toEqual(['item must be a UUID']);
      const badId = await acme.agent.get(`${CURRICULUM}/courses/${courseId}/versions/nope`).expect(400);
      expect(badId.body.message).toEqual(['versionId must be a UUID']);
      await acme.agent.get(`${CURRICULUM}/courses/${courseId}/versions/${UNKNOWN}`).expect(404);
    });
  });

  describe('published courses', () => {
    it('without auto-publish updates: a regeneration returns the course to review with a banner; publishing again clears it', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 2 }), {
        status: 'published',
      });
      const lesson = (await detail(courseId)).projects[0].lessons[0];
      const start = new Date();
      await replaceTasks(courseId, lesson.id, newTasks(2, 'Regenerated'));
      const after = await detail(courseId);

      expect(after).toMatchObject({ status: 'ready', published_at: null, auto_publish_updates: false });
      expect(
        utcDays(start, new Date()).map(
          (day) =>
            `The tasks of “${lesson.title}” were regenerated on ${day}; review the course and publish it again.`,
        ),
      ).toContain(after.review_notice);
      const listed = (await acme.agent.get(`${CURRICULUM}/courses?status=ready`).expect(200)).body.items;
      expect(listed.find((c: { id: string }) => c.id === courseId).review_notice).toBe(after.review_notice);

      await acme.agent.post(`${CURRICULUM}/courses/${courseId}/publish`).expect(200);
      expect(await detail(courseId)).toMatchObject({ status: 'published', review_notice: null });
    });

    it('a generation job’s auto-publish clears the banner too', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
        status: 'published',
      });
      const lesson = (await detail(courseId)).projects[0].lessons[0];
      await replaceTasks(courseId, lesson.id, newTasks(1, 'Regenerated'));
      expect((await detail(courseId)).review_notice).toEqual(expect.any(String));

      await expect(app.app.get(CoursePublishService).publishGenerated(courseId)).resolves.toBe(true);
      expect(await detail(courseId)).toMatchObject({ status: 'published', review_notice: null });
    });

    it('without auto-publish updates: a restore returns the course to review too', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
      const project = (await detail(courseId)).projects[0];
      const versionId = await replaceLessons(courseId, project.id, newLessons(1, 'Regenerated'));
      await acme.agent.post(`${CURRICULUM}/courses/${courseId}/publish`).expect(200);

      const { course } = await restore(courseId, versionId!);
      expect(course.status).toBe('ready');
      expect(course.review_notice).toMatch(
        new RegExp(
          `^The lessons of “${project.title}” were restored to an earlier version on \\d{4}-\\d{2}-\\d{2}; `,
        ),
      );
    });

    it('with auto-publish updates (PATCH /courses/:id): it stays published, published_at refreshed, no banner', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
        status: 'published',
      });
      const patched: CourseDetail = (
        await acme.agent
          .patch(`${CURRICULUM}/courses/${courseId}`)
          .send({ auto_publish_updates: true })
          .expect(200)
      ).body;
      expect(patched).toMatchObject({ status: 'published', auto_publish_updates: true, review_notice: null });
      const lesson = patched.projects[0].lessons[0];

      const versionId = await replaceTasks(courseId, lesson.id, newTasks(2, 'Regenerated'));
      const after = await detail(courseId);
      expect(after).toMatchObject({ status: 'published', review_notice: null });
      expect(Date.parse(after.published_at!)).toBeGreaterThan(Date.parse(patched.published_at!));

      const { course } = await restore(courseId, versionId!);
      expect(course).toMatchObject({ status: 'published', review_notice: null });
      expect(course.projects[0].lessons[0].tasks).toEqual(lesson.tasks);
    });

    it('PATCH /courses/:id refuses an auto_publish_updates that is not a boolean (400)', async () => {
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 0 }));
      const res = await acme.agent
        .patch(`${CURRICULUM}/courses/${courseId}`)
        .send({ auto_publish_updates: 'yes' })
        .expect(400);
      expect(res.body.message).toEqual(['auto_publish_updates must be a boolean value']);
      expect((await detail(courseId)).auto_publish_updates).toBe(false);
    });
  });

  describe('another organization', () => {
    it('gets 404 on list, get and restore, the same 404 as for a course that does not exist; nothing changes', async () => {
      const globex = await signIn(app, { role: 'owner' });
      const courseId = await createCourse(app, acme.user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
      const lesson = (await detail(courseId)).projects[0].lessons[0];
      const versionId = await replaceTasks(courseId, lesson.id, newTasks(2, 'Secret'));
      const ownCourse = await createCourse(
        app,
        globex.user,
        courseSpec({ projects: 1, lessons: 1, tasks: 1 }),
      );
      const before = await detail(courseId);
      const count = await versionCount();

      const attempts: [string, () => PromiseLike<{ status: number; body: Record<string, unknown> }>][] = [
        ['list', () => globex.agent.get(`${CURRICULUM}/courses/${courseId}/versions`)],
        [
          'list one item',
          () => globex.agent.get(`${CURRICULUM}/courses/${courseId}/versions?item=${lesson.id}`),
        ],
        ['get', () => globex.agent.get(`${CURRICULUM}/courses/${courseId}/versions/${versionId}`)],
        [
          'restore',
          () => globex.agent.post(`${CURRICULUM}/courses/${courseId}/versions/${versionId}/restore`),
        ],
        [
          'get through its own course',
          () => globex.agent.get(`${CURRICULUM}/courses/${ownCourse}/versions/${versionId}`),
        ],
        [
          'restore through its own course',
          () => globex.agent.post(`${CURRICULUM}/courses/${ownCourse}/versions/${versionId}/restore`),
        ],
      ];
      const missing = await globex.agent.get(`${CURRICULUM}/courses/${UNKNOWN}/versions`).expect(404);
      for (const [what, attempt] of attempts) {
        const res = await attempt();
        expect({ what, status: res.status }).toEqual({ what, status: 404 });
        expect(JSON.stringify(res.body)).not.toContain('Secret');
      }
      const foreign = await attempts[0][1]();
      expect({ ...foreign.body, request_id: undefined }).toEqual({ ...missing.body, request_id: undefined });
      // Guessing an item id through its own course lists nothing of Acme's.
      const guessed = await globex.agent.get(`${CURRICULUM}/courses/${ownCourse}/versions?item=${lesson.id}`);
      expect(guessed.body).toEqual({ versions: [] });
      expect(await detail(courseId)).toEqual(before);
      expect(await versionCount()).toBe(count);
    });
  });
});
