import request from 'supertest';
import { DataSource } from 'typeorm';
import type { CourseDetail, CourseSummary } from '../../contracts/api';
import { CoursePublishService } from '../../server/src/curriculum/course-publish.service';
import { CourseStatusService } from '../../server/src/curriculum/course-status.service';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { countRows, courseRow, courseSpec, createCourse } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

describe('curriculum: list, tree, edit, reorder, publish, delete (real PostgreSQL and HTTP)', () => {
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    app = await startTestApp();
    ({ user, agent } = await signIn(app, { role: 'admin' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const detail = async (id: string): Promise<CourseDetail> =>
    (await agent.get(`/api/admin/curriculum/courses/${id}`).expect(200)).body;

  it('GET /courses: newest first, counts per course, filter by status, search by title, pages', async () => {
    const { user: other, agent: otherAgent } = await signIn(app);
    const a = await createCourse(
      app,
      other,
      courseSpec({ title: 'Alpha 100% SQL', projects: 1, lessons: 2, tasks: 3 }),
    );
    const b = await createCourse(app, other, { title: 'Beta', projects: [] }, { status: 'published' });
    const c = await createCourse(
      app,
      other,
      courseSpec({ title: 'alpha_two', projects: 2, lessons: 1, tasks: 0 }),
    );

    const all = (await otherAgent.get('/api/admin/curriculum/courses').expect(200)).body;
    expect(all).toMatchObject({ total: 3, page: 1, page_size: 20 });
    expect(all.items.map((i: CourseSummary) => i.id)).toEqual([c, b, a]);
    const byId = Object.fromEntries(all.items.map((i: CourseSummary) => [i.id, i]));
    expect(byId[a].counts).toEqual({ projects: 1, lessons: 2, tasks: 6 });
    expect(byId[b].counts).toEqual({ projects: 0, lessons: 0, tasks: 0 });
    expect(byId[c].counts).toEqual({ projects: 2, lessons: 2, tasks: 0 });
    expect(byId[a]).toEqual({
      id: a,
      title: 'Alpha 100% SQL',
      description: '',
      topic: '',
      audience: '',
      level: null,
      language: 'en',
      status: 'draft',
      counts: { projects: 1, lessons: 2, tasks: 6 },
      created_by: other.id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      published_at: null,
      auto_publish_updates: false,
      review_notice: null,
    });
    expect(byId[b].published_at).toEqual(expect.any(String));

    const published = (await otherAgent.get('/api/admin/curriculum/courses?status=published').expect(200))
      .body;
    expect(published.items.map((i: CourseSummary) => i.id)).toEqual([b]);
    const search = (await otherAgent.get('/api/admin/curriculum/courses?search=ALPHA').expect(200)).body;
    expect(search.items.map((i: CourseSummary) => i.id)).toEqual([c, a]);
    // LIKE wildcards are literal: "%" matches only a real percent sign, "_" only an underscore.
    const percent = (await otherAgent.get('/api/admin/curriculum/courses?search=100%25').expect(200)).body;
    expect(percent.items.map((i: CourseSummary) => i.id)).toEqual([a]);
    const underscore = (await otherAgent.get('/api/admin/curriculum/courses?search=a_t').expect(200)).body;
    expect(underscore.items.map((i: CourseSummary) => i.id)).toEqual([c]);

    const page2 = (await otherAgent.get('/api/admin/curriculum/courses?page=2&page_size=2').expect(200)).body;
    expect(page2).toMatchObject({ total: 3, page: 2, page_size: 2 });
    expect(page2.items.map((i: CourseSummary) => i.id)).toEqual([a]);
  });

  it('GET /courses/:id: the whole tree ordered by position, with an empty usage block', async () => {
    const id = await createCourse(app, user, {
      title: 'Tree',
      level: 'advanced',
      projects: [
        {
          title: 'P0',
          objectives: ['o1', 'o2'],
          lessons: [{ title: 'L0', tasks: [{ title: 'T0' }, { title: 'T1', kind: 'quiz' }] }],
        },
        { title: 'P1', lessons: [{ title: 'L1a' }, { title: 'L1b', estimated_minutes: 15 }] },
      ],
    });
    const course = await detail(id);
    expect(course).toMatchObject({
      id,
      title: 'Tree',
      level: 'advanced',
      counts: { projects: 2, lessons: 3, tasks: 2 },
    });
    expect(course.usage).toEqual({
      rows: [],
      totals: {
        prompt_tokens: 0,
        completion_tokens: 0,
        cached_tokens: 0,
        calls: 0,
        cost_usd: 0,
        unpriced_calls: 0,
      },
    });
    expect(course.projects.map((p) => [p.position, p.title, p.course_id])).toEqual([
      [0, 'P0', id],
      [1, 'P1', id],
    ]);
    expect(course.projects[0].objectives).toEqual(['o1', 'o2']);
    expect(course.projects[1].lessons.map((l) => [l.position, l.title, l.estimated_minutes])).toEqual([
      [0, 'L1a', null],
      [1, 'L1b', 15],
    ]);
    const lesson = course.projects[0].lessons[0];
    expect(lesson.tasks).toEqual([
      {
        id: expect.any(String),
        lesson_id: lesson.id,
        position: 0,
        title: 'T0',
        instructions: '',
        kind: 'exercise',
        estimated_minutes: null,
      },
      {
        id: expect.any(String),
        lesson_id: lesson.id,
        position: 1,
        title: 'T1',
        instructions: '',
        kind: 'quiz',
        estimated_minutes: null,
      },
    ]);
  });

  it('PATCH edits text of a course, project, lesson and task, bumps updated_at and answers with the tree', async () => {
    const id = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
    const before = await detail(id);
    const res = await agent
      .patch(`/api/admin/curriculum/courses/${id}`)
      .send({
        title: '  Renamed  ',
        description: 'New',
        level: 'beginner',
        language: 'pt-BR',
        audience: 'Teams',
      })
      .expect(200);
    expect(res.body).toMatchObject({
      title: 'Renamed',
      description: 'New',
      level: 'beginner',
      language: 'pt-BR',
      audience: 'Teams',
    });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    await agent.patch(`/api/admin/curriculum/courses/${id}`).send({ level: null }).expect(200);
    expect((await detail(id)).level).toBeNull();

    const project = before.projects[0];
    const lesson = project.lessons[0];
    const task = lesson.tasks[0];
    await agent
      .patch(`/api/admin/curriculum/projects/${project.id}`)
      .send({ description: 'D', objectives: ['x'] })
      .expect(200);
    await agent
      .patch(`/api/admin/curriculum/lessons/${lesson.id}`)
      .send({ summary: 'S', content: '# Markdown\n\nbody', estimated_minutes: 25 })
      .expect(200);
    const after = (
      await agent
        .patch(`/api/admin/curriculum/tasks/${task.id}`)
        .send({ instructions: 'Do it', kind: 'reflection', estimated_minutes: null })
        .expect(200)
    ).body as CourseDetail;
    expect(after.projects[0]).toMatchObject({ description: 'D', objectives: ['x'] });
    expect(after.projects[0].lessons[0]).toMatchObject({
      summary: 'S',
      content: '# Markdown\n\nbody',
      estimated_minutes: 25,
    });
    expect(after.projects[0].lessons[0].tasks[0]).toMatchObject({
      instructions: 'Do it',
      kind: 'reflection',
      estimated_minutes: null,
    });
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(res.body.updated_at));
  });

  it('PATCH {position} reorders siblings (both directions), keeping positions 0..n-1', async () => {
    const id = await createCourse(app, user, courseSpec({ projects: 4, lessons: 3, tasks: 3 }));
    const course = await detail(id);
    const titles = (c: CourseDetail) => c.projects.map((p) => p.title);

    let moved = (
      await agent
        .patch(`/api/admin/curriculum/projects/${course.projects[3].id}`)
        .send({ position: 0 })
        .expect(200)
    ).body as CourseDetail;
    expect(titles(moved)).toEqual(['Project 4', 'Project 1', 'Project 2', 'Project 3']);
    expect(moved.projects.map((p) => p.position)).toEqual([0, 1, 2, 3]);
    moved = (
      await agent
        .patch(`/api/admin/curriculum/projects/${course.projects[3].id}`)
        .send({ position: 2 })
        .expect(200)
    ).body;
    expect(titles(moved)).toEqual(['Project 1', 'Project 2', 'Project 4', 'Project 3']);

    const lessons = course.projects[1].lessons;
    moved = (
      await agent
        .patch(`/api/admin/curriculum/lessons/${lessons[0].id}`)
        .send({ position: 2, title: 'Moved' })
        .expect(200)
    ).body;
    expect(moved.projects[1].lessons.map((l) => l.title)).toEqual(['Lesson 2.2', 'Lesson 2.3', 'Moved']);

    const tasks = course.projects[0].lessons[1].tasks;
    moved = (
      await agent.patch(`/api/admin/curriculum/tasks/${tasks[2].id}`).send({ position: 1 }).expect(200)
    ).body;
    expect(moved.projects[0].lessons[1].tasks.map((t) => t.title)).toEqual([
      'Task 1.2.1',
      'Task 1.2.3',
      'Task 1.2.2',
    ]);
    // Siblings elsewhere are untouched.
    expect(moved.projects[0].lessons[0].tasks.map((t) => t.title)).toEqual([
      'Task 1.1.1',
      'Task 1.1.2',
      'Task 1.1.3',
    ]);

    const out = await agent
      .patch(`/api/admin/curriculum/tasks/${tasks[0].id}`)
      .send({ position: 3 })
      .expect(400);
    expect(out.body.message).toBe('position must be between 0 and 2');
  });

  it('publish: 409 naming projects without lessons and lessons without tasks; then published; unpublish → ready', async () => {
    const id = await createCourse(app, user, {
      title: 'Incomplete',
      projects: [
        { title: 'Empty project' },
        { title: 'Full', lessons: [{ title: 'Bare lesson' }, { title: 'Done', tasks: [{ title: 'T' }] }] },
      ],
    });
    const conflict = await agent.post(`/api/admin/curriculum/courses/${id}/publish`).expect(409);
    expect(conflict.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message:
        'Cannot publish: projects without lessons: "Empty project"; lessons without tasks: "Bare lesson"',
      missing: { projects_without_lessons: ['Empty project'], lessons_without_tasks: ['Bare lesson'] },
    });
    expect((await courseRow(app, id))?.status).toBe('draft');

    const empty = await createCourse(app, user, { title: 'No projects' });
    const none = await agent.post(`/api/admin/curriculum/courses/${empty}/publish`).expect(409);
    expect(none.body).toMatchObject({
      message: 'Cannot publish: the course has no projects',
      missing: { projects_without_lessons: [], lessons_without_tasks: [] },
    });

    const complete = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
    await agent.post(`/api/admin/curriculum/courses/${complete}/unpublish`).expect(409);
    const published = (await agent.post(`/api/admin/curriculum/courses/${complete}/publish`).expect(200))
      .body;
    expect(published).toMatchObject({ status: 'published', published_at: expect.any(String) });
    // Publishing again changes nothing.
    expect(
      (await agent.post(`/api/admin/curriculum/courses/${complete}/publish`).expect(200)).body.published_at,
    ).toBe(published.published_at);
    const unpublished = (await agent.post(`/api/admin/curriculum/courses/${complete}/unpublish`).expect(200))
      .body;
    expect(unpublished).toMatchObject({ status: 'ready', published_at: null });
  });

  it('while a job generates the course: PATCH, publish and DELETE → 409; the status service is compare-and-set', async () => {
    const statuses = app.app.get(CourseStatusService);
    const id = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
    const course = await detail(id);
    expect(await statuses.markReady(id)).toBe(false); // not generating
    expect(await statuses.markGenerating(id)).toBe(true);
    expect(await statuses.markGenerating(id)).toBe(false);

    const before = await countRows(app);
    const patch = await agent.patch(`/api/admin/curriculum/courses/${id}`).send({ title: 'X' }).expect(409);
    expect(patch.body.message).toMatch(/being generated/);
    await agent
      .patch(`/api/admin/curriculum/tasks/${course.projects[0].lessons[0].tasks[0].id}`)
      .send({ title: 'X' })
      .expect(409);
    await agent.post(`/api/admin/curriculum/courses/${id}/publish`).expect(409);
    await agent.delete(`/api/admin/curriculum/courses/${id}`).expect(409);
    expect(await countRows(app)).toEqual(before);
    expect((await detail(id)).title).toBe(course.title);

    expect(await statuses.markDraft(id)).toBe(true);
    expect(await statuses.markGenerating(id)).toBe(true);
    expect(await statuses.markReady(id)).toBe(true);
    expect((await courseRow(app, id))?.status).toBe('ready');
  });

  it('publishGenerated (auto-publish of a job) publishes a complete course and leaves an incomplete one ready', async () => {
    const publisher = app.app.get(CoursePublishService);
    const statuses = app.app.get(CourseStatusService);
    const complete = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }), {
      status: 'generating',
    });
    const incomplete = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 0 }), {
      status: 'generating',
    });
    expect(await publisher.publishGenerated(complete)).toBe(true);
    expect(await publisher.publishGenerated(incomplete)).toBe(false);
    expect((await courseRow(app, complete))?.status).toBe('published');
    expect((await courseRow(app, incomplete))?.status).toBe('ready');
    expect(await statuses.markGenerating(complete)).toBe(false); // published courses are not regenerated in place
  });

  it('DELETE removes the course and its whole tree (204), then 404', async () => {
    const id = await createCourse(app, user, courseSpec({ projects: 2, lessons: 2, tasks: 2 }));
    const before = await countRows(app);
    await agent.delete(`/api/admin/curriculum/courses/${id}`).expect(204);
    expect(await countRows(app)).toEqual({
      ...before,
      courses: before.courses - 1,
      course_projects: before.course_projects - 2,
      lessons: before.lessons - 4,
      tasks: before.tasks - 8,
    });
    await agent.get(`/api/admin/curriculum/courses/${id}`).expect(404);
    await agent.delete(`/api/admin/curriculum/courses/${id}`).expect(404);
  });

  it('positions are unique per parent in the database itself', async () => {
    const id = await createCourse(app, user, courseSpec({ projects: 2, lessons: 0 }));
    await expect(
      app.app.get(DataSource).query(`UPDATE course_projects SET position = 0 WHERE course_id = $1`, [id]),
    ).rejects.toThrow(/course_projects_course_position_key/);
  });

  it('a body field the DTO does not know → 400 (e.g. status cannot be PATCHed)', async () => {
    const id = await createCourse(app, user);
    const res = await agent
      .patch(`/api/admin/curriculum/courses/${id}`)
      .send({ status: 'published' })
      .expect(400);
    expect(res.body.message).toEqual(['property status should not exist']);
    void request;
  });
});
