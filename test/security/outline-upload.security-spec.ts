import request from 'supertest';
import { AuthedAgent, signIn } from '../support/accounts';
import { countRows } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Adversarial outline uploads (docs/accounts-and-curriculum.md, "Uploading an outline"): the Markdown parser runs
 * on the API's event loop, so an input that makes it backtrack or rescan would freeze every request — the health
 * check included. Each upload here must answer within the normal request time, and /health, asked over and over
 * while the upload is in flight, must keep answering.
 */
const UPLOAD = '/api/admin/curriculum/upload';
/**
 * Generous, for a busy 2-core machine: a linear parse of 512 KB takes tens of milliseconds; the old parser took
 * ~4 s on one 2 KB line, hours on a 20 KB one (bench/README.md, "Outline parser").
 */
const REQUEST_BOUND_MS = 2000;
const HEALTH_BOUND_MS = 2000;
const LESSON = '# Course\n## Project\n### Lesson\n';
/** Lesson content of lines that look like headings, tasks, kinds and minutes to a pattern but are none. */
const UNIT = `#######${' \t'.repeat(40)}x\n--${' '.repeat(40)}x\n[${'('.repeat(40)}\n>${' '.repeat(40)}9 min)\n`;
/** Six lessons of ~80,000 characters of such lines each (under the content limit of 100,000). */
const LESSONS = Array.from(
  { length: 6 },
  (_, i) => `### Lesson ${i}\n${UNIT.repeat(Math.floor(80_000 / UNIT.length))}`,
).join('');

describe('outline upload under adversarial input (real HTTP, PostgreSQL and Redis)', () => {
  let app: TestApp;
  let agent: AuthedAgent;
  let maxBytes: number;

  beforeAll(async () => {
    app = await startTestApp();
    ({ agent } = await signIn(app));
    maxBytes = app.config.UPLOAD_MAX_BYTES;
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Fills the rest of an upload (UPLOAD_MAX_BYTES) after `head` with `unit`, then `tail`. */
  const fill = (head: string, unit: string, tail = ''): string =>
    head + unit.repeat(Math.floor((maxBytes - head.length - tail.length) / unit.length)) + tail;

  /**
   * Sends the upload and, until it has answered, GET /health back to back (the first one right behind the upload).
   * Returns the upload's answer and time, and every health answer's time.
   */
  async function uploadWhileProbingHealth(
    text: string,
    filename = 'outline.md',
  ): Promise<{ status: number; body: Record<string, unknown>; ms: number; healthMs: number[] }> {
    let answered = false;
    const started = performance.now();
    const upload = agent
      .post(UPLOAD)
      .attach('file', Buffer.from(text), filename)
      .then((res) => ({ status: res.status, body: res.body, ms: performance.now() - started }))
      .finally(() => {
        answered = true;
      });
    const healthMs: number[] = [];
    const probe = (async () => {
      do {
        const asked = performance.now();
        const res = await request(app.baseUrl).get('/health');
        expect(res.status).toBe(200);
        healthMs.push(performance.now() - asked);
      } while (!answered);
    })();
    const [result] = await Promise.all([upload, probe]);
    return { ...result, healthMs };
  }

  /** The upload answered within the bound, and so did every health check asked while it ran. */
  function expectResponsive(result: { ms: number; healthMs: number[] }): void {
    expect(result.ms).toBeLessThan(REQUEST_BOUND_MS);
    expect(result.healthMs.length).toBeGreaterThan(0);
    expect(Math.max(...result.healthMs)).toBeLessThan(HEALTH_BOUND_MS);
  }

  describe('when a line makes a backtracking heading pattern explode', () => {
    it.each([
      [
        '`## a` + 2,000 spaces + `x`',
        `## a${' '.repeat(2000)}x`,
        'the project title is longer than 200 characters',
      ],
      [
        'a 20 KB heading line',
        `## a${' '.repeat(20_000)}x`,
        'the project title is longer than 200 characters',
      ],
      [
        'a 20 KB task line',
        `- a${' \t'.repeat(10_000)}x (5 min`,
        'the task title is longer than 200 characters',
      ],
      [
        'a 20 KB lesson line',
        `### a${' '.repeat(20_000)}(123456 min)`,
        'the lesson title is longer than 200 characters',
      ],
    ])(
      '%s → 400 naming line 4 at once, health keeps answering, nothing written',
      async (_name, line, problem) => {
        const before = await countRows(app);
        const result = await uploadWhileProbingHealth(`${LESSON}${line}\n`);
        expect(result.status).toBe(400);
        expect(result.body).toMatchObject({ line: 4, message: `Line 4: ${problem}` });
        expectResponsive(result);
        expect(await countRows(app)).toEqual(before);
      },
    );
  });

  describe('when the file is as large as an upload may be', () => {
    it('one 512 KB adversarial line → 400 naming it as too long', async () => {
      const before = await countRows(app);
      const result = await uploadWhileProbingHealth(fill('# Course\n## a', ' ', 'x'));
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({
        line: 2,
        message: 'Line 2: the line is longer than 110000 characters',
      });
      expectResponsive(result);
      expect(await countRows(app)).toEqual(before);
    });

    it('512 KB of valid adversarial lines, then a bad last line → 400 naming the last line', async () => {
      const valid = `# Course\n## Project\n${LESSONS}`;
      const bad = `## a${' '.repeat(2000)}x`;
      const text = `${valid}${'\n'.repeat(maxBytes - valid.length - bad.length - 1)}${bad}`;
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxBytes);
      const lastLine = text.split('\n').length;

      const before = await countRows(app);
      const result = await uploadWhileProbingHealth(text);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({
        line: lastLine,
        message: `Line ${lastLine}: the project title is longer than 200 characters`,
      });
      expectResponsive(result);
      expect(await countRows(app)).toEqual(before);
    });

    it('the same 512 KB of lines without the bad one → 201 with the whole tree', async () => {
      const text = fill(`# Course\n## Project\n${LESSONS}`, '\n');
      const before = await countRows(app);
      const result = await uploadWhileProbingHealth(text);
      expect(result.status).toBe(201);
      expectResponsive(result);
      expect(await countRows(app)).toEqual({
        ...before,
        courses: before.courses + 1,
        course_projects: before.course_projects + 1,
        lessons: before.lessons + 6,
      });
    });
  });

  describe('when one lesson has many `>` lines', () => {
    // 40,000 blank lines, then 20,000 `>` lines: the old parser rescanned the blank lines for each (≈ 15 s).
    const blanks = '\n'.repeat(40_000);

    it('blank lines, then many `>` lines → 201, without rescanning the lesson for each', async () => {
      const before = await countRows(app);
      const result = await uploadWhileProbingHealth(`${LESSON}${blanks}${'>\n'.repeat(20_000)}`);
      expect(result.status).toBe(201);
      expectResponsive(result);
      const course = await agent
        .get(`/api/admin/curriculum/courses/${String(result.body.course_id)}`)
        .expect(200);
      expect(course.body.projects[0].lessons[0]).toMatchObject({ summary: '', content: '' });
      expect(await countRows(app)).toEqual({
        ...before,
        courses: before.courses + 1,
        course_projects: before.course_projects + 1,
        lessons: before.lessons + 1,
      });
    });

    it('a summary over its limit → 400 naming the lesson, nothing written', async () => {
      const before = await countRows(app);
      const result = await uploadWhileProbingHealth(`${LESSON}${blanks}${'> a\n'.repeat(20_000)}`);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({
        line: 3,
        message: 'Line 3: the lesson summary is longer than 2000 characters',
      });
      expectResponsive(result);
      expect(await countRows(app)).toEqual(before);
    });
  });

  describe('when a JSON outline is deeply nested', () => {
    it('arrays nested 262 K deep → 400 at once, nothing written', async () => {
      const before = await countRows(app);
      const depth = Math.floor(maxBytes / 2);
      const result = await uploadWhileProbingHealth('['.repeat(depth) + ']'.repeat(depth), 'outline.json');
      expect(result.status).toBe(400);
      expectResponsive(result);
      expect(await countRows(app)).toEqual(before);
    });
  });
});
