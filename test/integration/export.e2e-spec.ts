import type { CourseDetail, CourseExportJson, ExportFormat } from '../../contracts/api';
import { EXPORT_FORMATS } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { countRows, courseSpec, CourseSpec, createCourse } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';
import { binaryParser, handMadeZip, unzip, validateAgainstXsd } from '../support/zip-files';

/** Lesson text the outline parser would read as structure, plus an attempt at script injection. */
const TRICKY_CONTENT = [
  '## Why snapshots',
  'Every commit is a **snapshot**.',
  '',
  '- a list item, not a task',
  '* another',
  '> a quote, not a summary',
  '',
  '```bash',
  'git init',
  '# a comment, not a heading',
  '```',
  '',
  '<script>window.pwned = true</script>',
  '<img src="https://tracker.example/pixel.png" onerror="window.pwned = true">',
  '',
  '[click](javascript:alert(1)) and [docs](https://git-scm.com/docs)',
].join('\n');

const SPEC: CourseSpec = {
  title: 'Git for Désigners: "branches" & <tags>',
  description: 'Version control without fear.\n\n- even with a list',
  language: 'en',
  projects: [
    {
      title: 'Your first repository',
      description: 'Start from nothing.',
      objectives: ['Create a repository', 'Commit a change'],
      lessons: [
        {
          title: 'What Git remembers',
          summary: 'Snapshots, not diffs.',
          content: TRICKY_CONTENT,
          estimated_minutes: 20,
          tasks: [
            {
              title: 'Initialise a repository',
              instructions: 'Run `git init`.\n\n- then `git status`\n\n<script>alert(1)</script>',
              kind: 'exercise',
              estimated_minutes: 5,
            },
            { title: 'What does a commit hold?', kind: 'quiz' },
          ],
        },
        {
          title: 'Staging',
          content: 'Stage files.',
          tasks: [{ title: 'Stage two files', kind: 'reflection' }],
        },
      ],
    },
    {
      title: 'Branches',
      lessons: [{ title: 'Why branch', tasks: [{ title: 'Build a feature', kind: 'project' }] }],
    },
    { title: 'An empty project', lessons: [] },
  ],
};

/** Removes ids, parent ids, dates and usage so two trees can be compared by content and order. */
function shape(course: CourseDetail): unknown {
  return {
    title: course.title,
    description: course.description,
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

const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

describe('course export (real PostgreSQL and HTTP)', () => {
  let app: TestApp;
  let user: TestUser;
  let agent: AuthedAgent;
  let courseId: string;
  let course: CourseDetail;

  const download = async (format: ExportFormat, id = courseId) =>
    agent
      .get(`/api/admin/curriculum/courses/${id}/export?format=${format}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);

  beforeAll(async () => {
    app = await startTestApp();
    ({ user, agent } = await signIn(app));
    courseId = await createCourse(app, user, SPEC);
    course = (await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200)).body;
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('when any format is asked for', () => {
    it.each(EXPORT_FORMATS.map((f) => [f]))(
      '%s downloads as an attachment named after the course',
      async (format) => {
        const res = await download(format);
        expect(res.headers['content-disposition']).toMatch(
          /^attachment; filename="git-for-designers-branches-tags[-.a-z0-9]*"; filename\*=UTF-8''Git%20for%20D%C3%A9signers/,
        );
        expect(res.headers['cache-control']).toBe('no-store');
        expect((res.body as Buffer).length).toBeGreaterThan(100);
      },
    );

    it('a draft course exports too', async () => {
      expect(course.status).toBe('draft');
      await download('scorm12');
    });
  });

  describe('when the format is SCORM 1.2', () => {
    let files: Map<string, Buffer>;
    let manifest: string;
    beforeAll(async () => {
      files = await unzip((await download('scorm12')).body);
      manifest = files.get('imsmanifest.xml')!.toString('utf8');
    });

    it('has an imsmanifest.xml valid against the SCORM 1.2 schemas (IMS CP 1.1.2 + ADL CP 1.2)', async () => {
      const result = await validateAgainstXsd(manifest, 'scorm12');
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      expect(manifest).toContain('<schemaversion>1.2</schemaversion>');
      // The ADL schema is in play: a SCO type it does not know fails validation.
      const wrongType = manifest.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="lesson"');
      expect((await validateAgainstXsd(wrongType, 'scorm12')).valid).toBe(false);
    });

    it('makes each lesson one SCO under its project, in order, each exactly once', () => {
      const lessons = course.projects.flatMap((p) => p.lessons);
      expect(count(manifest, 'adlcp:scormtype="sco"')).toBe(lessons.length);
      const titles = [...manifest.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
      expect(titles).toEqual([
        'Git for Désigners: &quot;branches&quot; &amp; &lt;tags&gt;',
        'Your first repository',
        'What Git remembers',
        'Staging',
        'Branches',
        'Why branch',
      ]);
      for (const href of [...manifest.matchAll(/<file href="([^"]+)"/g)].map((m) => m[1])) {
        expect(files.has(href)).toBe(true);
      }
    });

    it('lists every task once, after its lesson content, with its kind and instructions', () => {
      const pages = [...files.entries()]
        .filter(([name]) => name.endsWith('.html'))
        .map(([, b]) => b.toString());
      const all = pages.join('\n');
      for (const task of course.projects.flatMap((p) => p.lessons.flatMap((l) => l.tasks))) {
        expect(count(all, `<h3>${task.title}</h3>`)).toBe(1);
      }
      const first = files.get('lessons/p01-l01.html')!.toString();
      expect(first.indexOf('<section class="tasks">')).toBeGreaterThan(first.indexOf('Every commit is a'));
      expect(first).toContain('<span class="task-kind">Exercise</span> · 5 min');
      expect(first).toContain('<code>git init</code>');
      expect(first).toContain('<h2>Why snapshots</h2>');
      expect(first).toContain(
        '<pre><code class="language-bash">git init\n# a comment, not a heading\n</code></pre>',
      );
    });

    it('exports a lesson with <script> in its Markdown inert: no scripts, handlers, images or javascript: links', () => {
      const page = files.get('lessons/p01-l01.html')!.toString();
      const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts).toEqual(['<script src="../assets/scorm-runtime.js" defer>']);
      expect(page).not.toMatch(/pwned|onerror|href="javascript:|<img|tracker\.example/);
      expect(page).toContain('<a rel="noopener noreferrer" target="_blank">click</a>');
      expect(page).toContain(
        '<a href="https://git-scm.com/docs" rel="noopener noreferrer" target="_blank">docs</a>',
      );
      for (const [name, body] of files) {
        // Nothing is fetched on load: no src= to another host, no style sheet or script from outside the package.
        if (name.endsWith('.html'))
          expect(body.toString()).not.toMatch(/src="(https?:)?\/\/|<link[^>]+href="(https?:)?\/\//);
      }
    });

    it('ships its style sheet and runtime script inside the package', () => {
      expect(files.get('assets/lesson.css')!.toString()).toContain('pre {');
      const runtime = files.get('assets/scorm-runtime.js')!.toString();
      expect(runtime).toContain('LMSInitialize');
      expect(runtime).toContain('cmi.core.lesson_status');
    });
  });

  describe('when the format is SCORM 2004', () => {
    it('has an imsmanifest.xml valid against IMS CP 1.1.4 + ADL CP 1.3, 4th edition, one SCO per lesson', async () => {
      const files = await unzip((await download('scorm2004')).body);
      const manifest = files.get('imsmanifest.xml')!.toString('utf8');
      const result = await validateAgainstXsd(manifest, 'scorm2004');
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      expect(manifest).toContain('<schemaversion>2004 4th Edition</schemaversion>');
      expect(count(manifest, 'adlcp:scormType="sco"')).toBe(course.counts.lessons);
      expect(files.get('lessons/p01-l01.html')!.toString()).toContain('data-scorm="2004"');
    });

    it('validation fails for a manifest that breaks the schema (the check can fail)', async () => {
      const broken =
        '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="X"><nonsense/></manifest>';
      expect((await validateAgainstXsd(broken, 'scorm2004')).valid).toBe(false);
    });
  });

  describe('when the format is IMS Common Cartridge 1.3', () => {
    let files: Map<string, Buffer>;
    let manifest: string;
    beforeAll(async () => {
      files = await unzip((await download('imscc')).body);
      manifest = files.get('imsmanifest.xml')!.toString('utf8');
    });

    it('declares the CC 1.3 namespaces, schema, version and LOM metadata (title, language, description)', () => {
      expect(manifest).toMatch(
        /<manifest identifier="COURSELOOM-[0-9a-f-]{36}"\s+xmlns="http:\/\/www\.imsglobal\.org\/xsd\/imsccv1p3\/imscp_v1p1"/,
      );
      expect(manifest).toContain('xmlns:lomm="http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"');
      expect(manifest).toContain('<schema>IMS Common Cartridge</schema>');
      expect(manifest).toContain('<schemaversion>1.3.0</schemaversion>');
      expect(manifest).toContain(
        '<lomm:string language="en">Git for Désigners: &quot;branches&quot; &amp; &lt;tags&gt;</lomm:string>',
      );
      expect(manifest).toContain('<lomm:language>en</lomm:language>');
      expect(manifest).toContain('Version control without fear.');
      expect(manifest).toMatch(
        /<organization identifier="ORG-1" structure="rooted-hierarchy">\s*<item identifier="ROOT">\s*<item/,
      );
    });

    it('has each lesson as web content and each task as an assignment, exactly once, every file present', () => {
      const lessons = course.projects.flatMap((p) => p.lessons);
      const tasks = lessons.flatMap((l) => l.tasks);
      expect(count(manifest, 'type="webcontent" href="lessons/')).toBe(lessons.length);
      expect(count(manifest, 'type="assignment_xmlv1p0"')).toBe(tasks.length);
      const ids = [...manifest.matchAll(/identifier="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
      for (const ref of [...manifest.matchAll(/identifierref="([^"]+)"/g)].map((m) => m[1])) {
        expect(ids).toContain(ref);
      }
      for (const href of [...manifest.matchAll(/<file href="([^"]+)"/g)].map((m) => m[1])) {
        expect(files.has(href)).toBe(true);
      }
      const assignment = files.get('tasks/p01-l01-t01.xml')!.toString();
      expect(assignment).toContain('xmlns="http://www.imsglobal.org/xsd/imscc_extensions/assignment"');
      expect(assignment).toContain('<title>Initialise a repository</title>');
      expect(assignment).toContain('&lt;code&gt;git init&lt;/code&gt;');
      expect(assignment).not.toContain('alert(1)');
      expect(files.get('lessons/p01-l01.html')!.toString()).not.toContain('class="tasks"');
    });
  });

  describe('when the format is Markdown', () => {
    it('export → upload recreates the same tree (titles, order, content, tasks)', async () => {
      const markdown = (await download('markdown')).body as Buffer;
      expect(markdown.toString()).toContain('### What Git remembers (20 min)\n> Snapshots, not diffs.');
      const { body } = await agent
        .post('/api/admin/curriculum/upload')
        .attach('file', markdown, { filename: 'course.md', contentType: 'text/markdown' })
        .expect(201);
      const copy: CourseDetail = (
        await agent.get(`/api/admin/curriculum/courses/${body.course_id}`).expect(200)
      ).body;
      expect(shape(copy)).toEqual(shape(course));
    });

    it('markdown-zip: a folder per project, a file per lesson, a README with contents — and it uploads back', async () => {
      const zip = (await download('markdown-zip')).body as Buffer;
      const files = await unzip(zip);
      expect([...files.keys()].sort()).toEqual([
        'git-for-designers-branches-tags/01-your-first-repository/01-what-git-remembers.md',
        'git-for-designers-branches-tags/01-your-first-repository/02-staging.md',
        'git-for-designers-branches-tags/01-your-first-repository/README.md',
        'git-for-designers-branches-tags/02-branches/01-why-branch.md',
        'git-for-designers-branches-tags/02-branches/README.md',
        'git-for-designers-branches-tags/03-an-empty-project/README.md',
        'git-for-designers-branches-tags/README.md',
      ]);
      expect(files.get('git-for-designers-branches-tags/README.md')!.toString()).toContain(
        '   1. [What Git remembers](01-your-first-repository/01-what-git-remembers.md)',
      );
      const { body } = await agent
        .post('/api/admin/curriculum/upload')
        .attach('file', zip, { filename: 'course.zip', contentType: 'application/zip' })
        .expect(201);
      const copy: CourseDetail = (
        await agent.get(`/api/admin/curriculum/courses/${body.course_id}`).expect(200)
      ).body;
      expect(shape(copy)).toEqual(shape(course));
    });
  });

  describe('when the format is JSON', () => {
    it('is the course exactly as GET /courses/:id returns it, with the export schema version', async () => {
      const json: CourseExportJson = JSON.parse(((await download('json')).body as Buffer).toString());
      expect(json.export_schema_version).toBe(1);
      expect(Date.parse(json.exported_at)).not.toBeNaN();
      const now: CourseDetail = (await agent.get(`/api/admin/curriculum/courses/${courseId}`).expect(200))
        .body;
      expect(json.course).toEqual(now);
      expect(Object.keys(json.course)).toEqual(Object.keys(now));
    });
  });

  describe('when the request is wrong', () => {
    it('another organization gets 404 for every format', async () => {
      const other = await signIn(app);
      for (const format of EXPORT_FORMATS) {
        const res = await other.agent
          .get(`/api/admin/curriculum/courses/${courseId}/export?format=${format}`)
          .expect(404);
        expect(res.body.message).toBe('Course not found');
      }
    });

    it('an unknown or missing format is 400 naming the formats', async () => {
      for (const query of ['?format=pdf', '', '?format=json&extra=1']) {
        const res = await agent.get(`/api/admin/curriculum/courses/${courseId}/export${query}`).expect(400);
        expect(JSON.stringify(res.body.message)).toMatch(/format must be one of|should not exist/);
      }
    });

    it('an LMS package of a course without lessons is 409; its Markdown and JSON still export', async () => {
      const empty = await createCourse(app, user, { title: 'Empty', projects: [{ title: 'Nothing yet' }] });
      for (const format of ['scorm12', 'scorm2004', 'imscc'] as const) {
        await agent.get(`/api/admin/curriculum/courses/${empty}/export?format=${format}`).expect(409);
      }
      await download('markdown', empty);
      await download('json', empty);
    });

    it('without a session it is 401', async () => {
      const { default: request } = await import('supertest');
      await request(app.baseUrl)
        .get(`/api/admin/curriculum/courses/${courseId}/export?format=json`)
        .expect(401);
    });
  });

  describe('when a markdown-zip upload is malformed or hostile', () => {
    const upload = (zip: Buffer) =>
      agent
        .post('/api/admin/curriculum/upload')
        .attach('file', zip, { filename: 'course.zip', contentType: 'application/zip' });

    it.each([
      ['a path outside the zip', [{ name: '../README.md', content: '# Escaped' }], 400, /cannot be read/],
      ['an absolute path', [{ name: '/etc/README.md', content: '# Escaped' }], 400, /cannot be read/],
      ['no README.md', [{ name: 'x/01-a.md', content: '### A' }], 400, /no README\.md/],
      [
        'a project folder without README.md',
        [
          { name: 'README.md', content: '# C' },
          { name: '01-p/01-a.md', content: '### A' },
        ],
        400,
        /01-p\/ has no README\.md/,
      ],
      [
        'a declared size beyond the limit (zip bomb)',
        [{ name: 'README.md', content: '# C', declaredSize: 70 * 1024 * 1024 }],
        413,
        /larger than/,
      ],
      [
        'a declared size that lies',
        [{ name: 'README.md', content: '# Course\n'.repeat(50), declaredSize: 3 }],
        400,
        /cannot be read/,
      ],
      ['not a zip at all', null, 400, /cannot be read/],
    ])('%s → %s and nothing written', async (_what, entries, status, message) => {
      const before = await countRows(app);
      const zip = entries ? handMadeZip(entries) : Buffer.from('just text, named .zip');
      const res = await upload(zip).expect(status as number);
      expect(res.body.message).toMatch(message as RegExp);
      expect(await countRows(app)).toEqual(before);
    });

    it('a hand-made zip of the same layout (no common folder) uploads', async () => {
      const zip = handMadeZip([
        { name: 'README.md', content: '# Zipped\n\nA course.\n' },
        { name: '01-p/README.md', content: '## Project\n' },
        { name: '01-p/02-b.md', content: '### B\n- second\n' },
        { name: '01-p/01-a.md', content: '### A\n- first\n' },
      ]);
      const { body } = await upload(zip).expect(201);
      const copy: CourseDetail = (
        await agent.get(`/api/admin/curriculum/courses/${body.course_id}`).expect(200)
      ).body;
      expect(copy.projects[0].lessons.map((l) => [l.title, l.tasks[0].title])).toEqual([
        ['A', 'first'],
        ['B', 'second'],
      ]);
    });
  });

  describe('when the course is large', () => {
    it('a 5 × 10 course exports every lesson in every format', async () => {
      const big = await createCourse(
        app,
        user,
        courseSpec({ projects: 5, lessons: 10, tasks: 2, title: 'Big' }),
      );
      const scorm = await unzip((await download('scorm12', big)).body);
      expect([...scorm.keys()].filter((n) => n.endsWith('.html'))).toHaveLength(50);
      const cc = await unzip((await download('imscc', big)).body);
      expect([...cc.keys()].filter((n) => n.startsWith('tasks/'))).toHaveLength(100);
      const md = await unzip((await download('markdown-zip', big)).body);
      expect([...md.keys()]).toHaveLength(1 + 5 + 50);
    });
  });
});
