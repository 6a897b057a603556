import type { CourseDetail } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { countRows } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

const OUTLINE = `# Git for Designers
Version control without fear.

## Your first repository
Start from nothing.
* Create a repository
* Commit a change

### What Git remembers (20 min)
> Snapshots, not diffs.
Every commit is a **snapshot**.

\`\`\`bash
git init
# a comment, not a heading
- not a task either
\`\`\`
- Initialise a repository (5 min)
  Run \`git init\` in an empty folder.

  Then run \`git status\`.
- [quiz] What does a commit hold?
- [reflection] What would you version?

### Staging
- Stage two files

## Branches
### Why branch
- [project] Build a feature on a branch
`;

/** The tree without ids, as it should come back. */
const EXPECTED = {
  title: 'Git for Designers',
  description: 'Version control without fear.',
  status: 'draft',
  counts: { projects: 2, lessons: 3, tasks: 5 },
  projects: [
    {
      position: 0,
      title: 'Your first repository',
      description: 'Start from nothing.',
      objectives: ['Create a repository', 'Commit a change'],
      lessons: [
        {
          position: 0,
          title: 'What Git remembers',
          summary: 'Snapshots, not diffs.',
          content:
            'Every commit is a **snapshot**.\n\n```bash\ngit init\n# a comment, not a heading\n- not a task either\n```',
          estimated_minutes: 20,
          tasks: [
            {
              position: 0,
              title: 'Initialise a repository',
              instructions: 'Run `git init` in an empty folder.\n\nThen run `git status`.',
              kind: 'exercise',
              estimated_minutes: 5,
            },
            {
              position: 1,
              title: 'What does a commit hold?',
              instructions: '',
              kind: 'quiz',
              estimated_minutes: null,
            },
            {
              position: 2,
              title: 'What would you version?',
              instructions: '',
              kind: 'reflection',
              estimated_minutes: null,
            },
          ],
        },
        {
          position: 1,
          title: 'Staging',
          summary: '',
          content: '',
          estimated_minutes: null,
          tasks: [
            {
              position: 0,
              title: 'Stage two files',
              instructions: '',
              kind: 'exercise',
              estimated_minutes: null,
            },
          ],
        },
      ],
    },
    {
      position: 1,
      title: 'Branches',
      description: '',
      objectives: [],
      lessons: [
        {
          position: 0,
          title: 'Why branch',
          summary: '',
          content: '',
          estimated_minutes: null,
          tasks: [
            {
              position: 0,
              title: 'Build a feature on a branch',
              instructions: '',
              kind: 'project',
              estimated_minutes: null,
            },
          ],
        },
      ],
    },
  ],
};

/** Removes ids and parent ids so two trees can be compared by content and order. */
function shape(course: CourseDetail): unknown {
  return {
    title: course.title,
    description: course.description,
    status: course.status,
    counts: course.counts,
    projects: course.projects.map(({ id: _id, course_id: _c, lessons, ...p }) => ({
      ...p,
      lessons: lessons.map(({ id: _l, project_id: _p, tasks, ...l }) => ({
        ...l,
        tasks: tasks.map(({ id: _t, lesson_id: _x, ...t }) => t),
      })),
    })),
  };
}

describe('outline upload round-trip (real PostgreSQL and HTTP)', () => {
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;

  beforeAll(async () => {
    app = await startTestApp();
    ({ user, agent } = await signIn(app));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a Markdown outline → 201 {course_id} → the exact tree back from GET, created by the uploader', async () => {
    const before = await countRows(app);
    const res = await agent
      .post('/api/admin/curriculum/upload')
      .attach('file', Buffer.from(OUTLINE), { filename: 'git.md', contentType: 'text/markdown' })
      .expect(201);
    expect(res.body).toEqual({ course_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const course: CourseDetail = (
      await agent.get(`/api/admin/curriculum/courses/${res.body.course_id}`).expect(200)
    ).body;
    expect(shape(course)).toEqual(EXPECTED);
    expect(course.created_by).toBe(user.id);
    expect(await countRows(app)).toEqual({
      ...before,
      courses: before.courses + 1,
      course_projects: before.course_projects + 2,
      lessons: before.lessons + 3,
      tasks: before.tasks + 5,
    });
  });

  it('the same tree as a JSON body and as a .json file gives the same course', async () => {
    const json = {
      title: EXPECTED.title,
      description: EXPECTED.description,
      projects: EXPECTED.projects.map(({ position: _p, lessons, ...p }) => ({
        ...p,
        lessons: lessons.map(({ position: _l, tasks, ...l }) => ({
          ...l,
          tasks: tasks.map(({ position: _t, ...t }) => t),
        })),
      })),
    };
    const byBody = await agent.post('/api/admin/curriculum/upload').send(json).expect(201);
    const byFile = await agent
      .post('/api/admin/curriculum/upload')
      .attach('file', Buffer.from(JSON.stringify(json)), 'git.json')
      .expect(201);
    for (const { body } of [byBody, byFile]) {
      const course = (await agent.get(`/api/admin/curriculum/courses/${body.course_id}`).expect(200)).body;
      expect(shape(course)).toEqual(EXPECTED);
    }
  });

  it('a partial outline (a title only) makes a draft course with no projects', async () => {
    const res = await agent
      .post('/api/admin/curriculum/upload')
      .attach('file', Buffer.from('# Just a title\n'), 'x.md')
      .expect(201);
    const course = (await agent.get(`/api/admin/curriculum/courses/${res.body.course_id}`).expect(200)).body;
    expect(course).toMatchObject({
      title: 'Just a title',
      status: 'draft',
      projects: [],
      counts: { projects: 0, lessons: 0, tasks: 0 },
    });
  });

  it('an uploaded complete course can be published', async () => {
    const res = await agent
      .post('/api/admin/curriculum/upload')
      .attach('file', Buffer.from(OUTLINE), 'git.md')
      .expect(201);
    await agent.post(`/api/admin/curriculum/courses/${res.body.course_id}/publish`).expect(200);
  });
});
