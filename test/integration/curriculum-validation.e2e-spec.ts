import request from 'supertest';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { countRows, courseSpec, createCourse, RowCounts } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

describe('validation: each bad request gets its code and writes nothing', () => {
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;
  let courseId: string;
  let before: RowCounts;

  beforeAll(async () => {
    app = await startTestApp({ env: { BODY_LIMIT: '64kb', UPLOAD_MAX_BYTES: '4096' } });
    ({ user, agent } = await signIn(app));
    courseId = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    before = await countRows(app);
  });
  afterEach(async () => {
    expect(await countRows(app)).toEqual(before);
  });

  it.each([
    ['GET', '/api/admin/curriculum/courses/not-a-uuid'],
    ['PATCH', '/api/admin/curriculum/courses/123'],
    ['DELETE', '/api/admin/curriculum/courses/zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'],
    ['POST', '/api/admin/curriculum/courses/1/publish'],
    ['POST', "/api/admin/curriculum/courses/'%20OR%201=1/unpublish"],
    ['PATCH', '/api/admin/curriculum/projects/x'],
    ['PATCH', '/api/admin/curriculum/lessons/x'],
    ['PATCH', '/api/admin/curriculum/tasks/x'],
  ])('%s %s (bad UUID) → 400', async (method, path) => {
    const res = await agent[method.toLowerCase() as 'get'](path).send({ title: 'x' }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: ['id must be a UUID'] });
  });

  it.each([
    ['status=bogus', /status must be one of the following values/],
    ['page=0', /page must not be less than 1/],
    ['page_size=101', /page_size must not be greater than 100/],
    ['page_size=abc', /page_size must be an integer/],
    [`search=${'x'.repeat(201)}`, /search must be shorter than or equal to 200 characters/],
    ['sort=title', /property sort should not exist/],
  ])('GET /courses?%s → 400', async (query, message) => {
    const res = await agent.get(`/api/admin/curriculum/courses?${query}`).expect(400);
    expect(res.body.message.join('\n')).toMatch(message);
  });

  it.each([
    [{ title: '' }, /title must be longer than or equal to 1 characters/],
    [{ title: '   ' }, /title must be longer than or equal to 1 characters/],
    [{ title: null }, /title must be a string/],
    [{ title: 'x'.repeat(201) }, /title must be shorter than or equal to 200 characters/],
    [{ description: 'x'.repeat(5001) }, /description must be shorter than or equal to 5000 characters/],
    [{ level: 'expert' }, /level must be one of the following values/],
    [{ language: 'english please' }, /language must be a language tag/],
    [{ title: 'ok', owner: 'me' }, /property owner should not exist/],
    [{ title: 42 }, /title must be a string/],
  ])('PATCH course %j → 400', async (body, message) => {
    const res = await agent.patch(`/api/admin/curriculum/courses/${courseId}`).send(body).expect(400);
    expect([res.body.message].flat().join('\n')).toMatch(message);
  });

  it('PATCH with nothing to change → 400', async () => {
    const res = await agent.patch(`/api/admin/curriculum/courses/${courseId}`).send({}).expect(400);
    expect(res.body.message).toBe('Nothing to change');
  });

  it('PATCH items: over-long text, wrong kinds, negative positions, bad objectives → 400', async () => {
    const tree = (await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200)).body;
    const project = tree.projects[0];
    const lesson = project.lessons[0];
    const task = lesson.tasks[0];
    await agent
      .patch(`/api/admin/curriculum/projects/${project.id}`)
      .send({ objectives: 'not a list' })
      .expect(400);
    await agent
      .patch(`/api/admin/curriculum/projects/${project.id}`)
      .send({ objectives: Array(21).fill('o') })
      .expect(400);
    await agent.patch(`/api/admin/curriculum/projects/${project.id}`).send({ position: -1 }).expect(400);
    await agent.patch(`/api/admin/curriculum/projects/${project.id}`).send({ position: 1.5 }).expect(400);
    await agent
      .patch(`/api/admin/curriculum/projects/${project.id}`)
      .send({ course_id: courseId })
      .expect(400);
    await agent
      .patch(`/api/admin/curriculum/lessons/${lesson.id}`)
      .send({ summary: 'x'.repeat(2001) })
      .expect(400);
    await agent
      .patch(`/api/admin/curriculum/lessons/${lesson.id}`)
      .send({ estimated_minutes: -5 })
      .expect(400);
    await agent.patch(`/api/admin/curriculum/tasks/${task.id}`).send({ kind: 'game' }).expect(400);
    await agent
      .patch(`/api/admin/curriculum/tasks/${task.id}`)
      .send({ instructions: 'x'.repeat(20_001) })
      .expect(400);
    const after = (await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200)).body;
    expect(after).toEqual(tree);
  });

  it('a JSON body over BODY_LIMIT → 413', async () => {
    const res = await agent
      .patch(`/api/admin/curriculum/lessons/00000000-0000-4000-8000-000000000000`)
      .send({ content: 'x'.repeat(70 * 1024) })
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  describe('malformed uploads → 400 naming the line or path; too big → 413', () => {
    const upload = (text: string, filename = 'outline.md') =>
      agent.post('/api/admin/curriculum/upload').attach('file', Buffer.from(text), filename);

    it('Markdown: a task outside a lesson names its line', async () => {
      const res = await upload('# Course\n\n## Project\nSome text\n\n\n- a task\n').expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: "Line 7: a task must be under a lesson ('### Lesson title')",
        line: 7,
      });
    });

    it('Markdown: a line before the course title, an unknown task kind', async () => {
      expect((await upload('hello\n# Course').expect(400)).body).toMatchObject({ line: 1 });
      expect((await upload('# C\n## P\n### L\n- [game] Play').expect(400)).body).toMatchObject({
        line: 4,
        message: 'Line 4: unknown task kind "game" (use exercise, quiz, reflection, project)',
      });
    });

    it('JSON file and JSON body: the path of the bad field', async () => {
      const bad = { title: 'C', projects: [{ title: 'P' }, { title: 'Q', lessons: [{ title: '' }] }] };
      const fromFile = await upload(JSON.stringify(bad), 'outline.json').expect(400);
      expect(fromFile.body).toMatchObject({
        message: 'projects[1].lessons[0].title: must not be empty',
        path: 'projects[1].lessons[0].title',
      });
      const fromBody = await agent.post('/api/admin/curriculum/upload').send(bad).expect(400);
      expect(fromBody.body).toMatchObject({ path: 'projects[1].lessons[0].title' });
      const extra = await agent
        .post('/api/admin/curriculum/upload')
        .send({ title: 'C', owner: 'x' })
        .expect(400);
      expect(extra.body).toMatchObject({ path: 'owner', message: 'owner: is not a known field' });
      const syntax = await upload('{"title": "C",\n oops}', 'outline.json').expect(400);
      expect(syntax.body.message).toMatch(/^The file is not valid JSON \(line 2\)/);
    });

    it('binary, empty, wrong field name, extra multipart fields, nothing at all', async () => {
      await upload('\u0000\u0001binary').expect(400);
      expect((await upload('   \n').expect(400)).body.message).toBe('The file is empty');
      await agent
        .post('/api/admin/curriculum/upload')
        .attach('outline', Buffer.from('# C'), 'c.md')
        .expect(400);
      const extra = await agent
        .post('/api/admin/curriculum/upload')
        .field('title', 'x')
        .attach('file', Buffer.from('# C'), 'c.md')
        .expect(400);
      expect(extra.body.message).toMatch(/Unknown field "title"/);
      const none = await agent.post('/api/admin/curriculum/upload').expect(400);
      expect(none.body.message).toMatch(/multipart field 'file'/);
    });

    it('a file over UPLOAD_MAX_BYTES → 413; a JSON body over it too', async () => {
      const big = `# Course\n${'text line\n'.repeat(500)}`;
      const res = await upload(big).expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      const json = await agent
        .post('/api/admin/curriculum/upload')
        .send({ title: 'C', description: 'x'.repeat(4500) })
        .expect(413);
      expect(json.body.message).toBe('The outline is larger than 4096 bytes');
    });

    it('anonymous uploads are refused before the file is read', async () => {
      await request(app.baseUrl)
        .post('/api/admin/curriculum/upload')
        .attach('file', Buffer.from('# C'), 'c.md')
        .expect(401);
    });
  });
});
