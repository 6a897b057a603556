import type { CourseDetail } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { countRows, courseRow, courseSpec, createCourse } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

describe('two organizations never see each other’s courses (404, never 403)', () => {
  let app: TestApp;
  let acme: { user: TestUser; agent: AuthedAgent };
  let globex: { user: TestUser; agent: AuthedAgent };
  let acmeCourse: CourseDetail;

  beforeAll(async () => {
    app = await startTestApp();
    acme = await signIn(app, { organizationName: 'Acme', role: 'owner' });
    globex = await signIn(app, { organizationName: 'Globex', role: 'owner' });
    const id = await createCourse(
      app,
      acme.user,
      courseSpec({ title: 'Acme secret', projects: 1, lessons: 1, tasks: 1 }),
    );
    acmeCourse = (await acme.agent.get(`/api/admin/curriculum/courses/${id}`).expect(200)).body;
    await createCourse(app, globex.user, courseSpec({ title: 'Globex own' }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the list shows only the caller’s organization', async () => {
    const list = (await globex.agent.get('/api/admin/curriculum/courses').expect(200)).body;
    expect(list.total).toBe(1);
    expect(list.items.map((c: { title: string }) => c.title)).toEqual(['Globex own']);
    const search = (await globex.agent.get('/api/admin/curriculum/courses?search=secret').expect(200)).body;
    expect(search).toMatchObject({ total: 0, items: [] });
  });

  it('read, edit, reorder, publish, unpublish, delete of another organization’s course or items → 404; nothing changes', async () => {
    const before = await countRows(app);
    const statusBefore = await courseRow(app, acmeCourse.id);
    const project = acmeCourse.projects[0];
    const lesson = project.lessons[0];
    const task = lesson.tasks[0];
    const attempts: [string, () => PromiseLike<{ status: number; body: Record<string, unknown> }>][] = [
      ['GET course', () => globex.agent.get(`/api/admin/curriculum/courses/${acmeCourse.id}`)],
      [
        'PATCH course',
        () => globex.agent.patch(`/api/admin/curriculum/courses/${acmeCourse.id}`).send({ title: 'Pwned' }),
      ],
      ['publish', () => globex.agent.post(`/api/admin/curriculum/courses/${acmeCourse.id}/publish`)],
      ['unpublish', () => globex.agent.post(`/api/admin/curriculum/courses/${acmeCourse.id}/unpublish`)],
      ['DELETE course', () => globex.agent.delete(`/api/admin/curriculum/courses/${acmeCourse.id}`)],
      [
        'PATCH project',
        () =>
          globex.agent
            .patch(`/api/admin/curriculum/projects/${project.id}`)
            .send({ title: 'Pwned', position: 0 }),
      ],
      [
        'PATCH lesson',
        () => globex.agent.patch(`/api/admin/curriculum/lessons/${lesson.id}`).send({ content: 'Pwned' }),
      ],
      [
        'PATCH task',
        () => globex.agent.patch(`/api/admin/curriculum/tasks/${task.id}`).send({ kind: 'quiz' }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const res = await attempt();
      expect({ what, status: res.status }).toEqual({ what, status: 404 });
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(JSON.stringify(res.body)).not.toContain('Acme');
    }
    expect(await countRows(app)).toEqual(before);
    expect(await courseRow(app, acmeCourse.id)).toEqual(statusBefore);
    expect((await acme.agent.get(`/api/admin/curriculum/courses/${acmeCourse.id}`).expect(200)).body).toEqual(
      acmeCourse,
    );
  });

  it('the 404 of another organization’s course is the same as that of a course that does not exist', async () => {
    const foreign = await globex.agent.get(`/api/admin/curriculum/courses/${acmeCourse.id}`).expect(404);
    const missing = await globex.agent
      .get('/api/admin/curriculum/courses/00000000-0000-4000-8000-000000000000')
      .expect(404);
    expect({ ...foreign.body, request_id: undefined }).toEqual({ ...missing.body, request_id: undefined });
  });

  it('an upload lands in the uploader’s organization', async () => {
    const res = await globex.agent
      .post('/api/admin/curriculum/upload')
      .send({ title: 'Uploaded by Globex' })
      .expect(201);
    await acme.agent.get(`/api/admin/curriculum/courses/${res.body.course_id}`).expect(404);
    await globex.agent.get(`/api/admin/curriculum/courses/${res.body.course_id}`).expect(200);
  });

  it('users: an owner lists only the users of its own organization', async () => {
    const list = (await globex.agent.get('/api/admin/users').expect(200)).body;
    expect(list.users.map((u: { email: string }) => u.email)).toEqual([globex.user.email]);
  });
});
