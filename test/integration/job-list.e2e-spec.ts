import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { BulkJobsResponse, JobListResponse, JobStatus } from '../../contracts/api';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { GENERATE, jobDetail, queueCourse } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The dashboard's list endpoint at scale (filters, search, paging) and bulk retry/cancel (docs/queue.md). No
 * workers: jobs are seeded in the states the tests need, or queued through the API and left pending.
 */
describe('the job list and bulk actions (real PostgreSQL and Redis)', () => {
  let app: TestApp;
  let me: TestUser;
  let agent: AuthedAgent;
  let colleague: TestUser;
  let stranger: { user: TestUser; agent: AuthedAgent };

  beforeAll(async () => {
    app = await startTestApp();
    ({ user: me, agent } = await signIn(app));
    colleague = (await signIn(app, { organizationName: me.organization_name })).user;
    stranger = await signIn(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** An approved outline (one project) owned by `owner`'s organization. */
  const course = (owner: TestUser, title: string): Promise<string> =>
    createCourse(app, owner, { ...courseSpec({ projects: 1, lessons: 0, title }), topic: 'tests' });

  /** A job row in `status`, as the engine would have left it (a builder: the engine's transitions are tested elsewhere). */
  async function seedJob(
    owner: TestUser,
    title: string,
    options: { status?: JobStatus; jobType?: string; createdAt?: string } = {},
  ): Promise<string> {
    const courseId = await course(owner, title);
    const status = options.status ?? 'completed';
    const [row] = await app.app.get(DataSource).query(
      `INSERT INTO course_generation_jobs (course_id, user_id, organization_id, status, job_type, created_at,
         started_at, completed_at, error_message, failed_step)
       VALUES ($1, $2, $3, $4, $5, COALESCE($6::timestamptz, now()), now(),
               CASE WHEN $4 IN ('completed', 'failed', 'cancelled') THEN now() END,
               CASE WHEN $4 = 'failed' THEN 'The model timed out' END,
               CASE WHEN $4 = 'failed' THEN 'lessons' END)
       RETURNING id`,
      [
        courseId,
        owner.id,
        owner.organization_id,
        status,
        options.jobType ?? 'course_generation',
        options.createdAt ?? null,
      ],
    );
    return row.id as string;
  }

  const list = async (query: string, as: AuthedAgent = agent): Promise<JobListResponse> =>
    (await as.get(`${GENERATE}/jobs?${query}`).expect(200)).body as JobListResponse;
  const titles = (response: JobListResponse): string[] => response.jobs.map((j) => j.course_title).sort();
  const bulk = async (body: object, as: AuthedAgent = agent): Promise<BulkJobsResponse> =>
    (await as.post(`${GENERATE}/jobs/bulk`).send(body).expect(200)).body as BulkJobsResponse;

  describe('GET …/jobs', () => {
    let tag: string;
    beforeAll(async () => {
      tag = randomUUID().slice(0, 8);
      await seedJob(me, `Rust ownership ${tag}`, { status: 'failed', createdAt: '2026-03-10T12:00:00Z' });
      await seedJob(me, `Advanced RUST macros ${tag}`, { createdAt: '2026-03-11T08:00:00Z' });
      await seedJob(me, `50% faster SQL ${tag}`, { status: 'failed', createdAt: '2026-03-12T23:59:00Z' });
      await seedJob(me, `500 SQL tips ${tag}`, {
        jobType: 'course_regeneration',
        createdAt: '2026-03-13T00:00:00Z',
      });
      await seedJob(colleague, `Rust for colleagues ${tag}`, {
        status: 'failed',
        createdAt: '2026-03-11T09:00:00Z',
      });
      await seedJob(stranger.user, `Rust elsewhere ${tag}`, { status: 'failed' });
    });

    describe('when searching a course title', () => {
      it('matches any part of the title in any case, only in my organization', async () => {
        const rust = await list(`search=RuSt&scope=organization`);
        expect(titles(rust)).toEqual(
          [`Advanced RUST macros ${tag}`, `Rust for colleagues ${tag}`, `Rust ownership ${tag}`].sort(),
        );
        expect(rust.total).toBe(3);
      });

      it('treats % and _ as characters, not wildcards', async () => {
        const percent = await list(`search=${encodeURIComponent('50%')}`);
        expect(titles(percent)).toEqual([`50% faster SQL ${tag}`]);
      });
    });

    describe('when filtering', () => {
      it('by user: mine by default, anyone in the organization with scope=organization', async () => {
        expect(titles(await list(`search=${tag}`))).toHaveLength(4);
        expect(titles(await list(`search=${tag}&scope=organization`))).toHaveLength(5);
      });

      it('by status and job type', async () => {
        expect(titles(await list(`search=${tag}&status=failed`))).toEqual(
          [`50% faster SQL ${tag}`, `Rust ownership ${tag}`].sort(),
        );
        expect(titles(await list(`search=${tag}&job_type=course_regeneration`))).toEqual([
          `500 SQL tips ${tag}`,
        ]);
      });

      it('by creation date: a date `to` includes its whole day, a date-time is exact', async () => {
        expect(titles(await list(`search=${tag}&from=2026-03-11&to=2026-03-12`))).toEqual(
          [`50% faster SQL ${tag}`, `Advanced RUST macros ${tag}`].sort(),
        );
        expect(
          titles(
            await list(`search=${tag}&from=2026-03-11T08:00:00Z&to=2026-03-12T23:58:59Z&scope=organization`),
          ),
        ).toEqual([`Advanced RUST macros ${tag}`, `Rust for colleagues ${tag}`].sort());
      });
    });

    describe('when paging', () => {
      it('returns the requested page, newest first, with the total of the filter', async () => {
        const page1 = await list(`search=${tag}&page_size=3&page=1`);
        const page2 = await list(`search=${tag}&page_size=3&page=2`);
        expect(page1).toMatchObject({ total: 4, page: 1, page_size: 3 });
        expect(page2).toMatchObject({ total: 4, page: 2, page_size: 3 });
        expect(page1.jobs.map((j) => j.course_title)).toEqual([
          `500 SQL tips ${tag}`,
          `50% faster SQL ${tag}`,
          `Advanced RUST macros ${tag}`,
        ]);
        expect(page2.jobs.map((j) => j.course_title)).toEqual([`Rust ownership ${tag}`]);
      });

      it('keeps the default page size of 20', async () => {
        expect(await list('')).toMatchObject({ page: 1, page_size: 20 });
      });
    });

    describe('when a parameter is invalid', () => {
      it.each([
        ['search=%20%20', /search must not be empty/],
        [`search=${'x'.repeat(201)}`, /search must be at most 200 characters/],
        ['job_type=Not-A-Type', /job_type must be a job type name/],
        ['job_type=no_such_type', /job_type must be one of: .*course_generation/],
        ['from=2026-13-01', /from must be an ISO 8601 date or date-time/],
        ['to=yesterday', /to must be an ISO 8601 date or date-time/],
        ['from=2026-03-12&to=2026-03-11', /from must not be after to/],
        ['scope=everyone', /scope must be mine or organization/],
        ['page_size=0', /page_size must not be less than 1/],
        ['page=0', /page must not be less than 1/],
      ])('answers 400 to %s', async (query, message) => {
        const response = await agent.get(`${GENERATE}/jobs?${query}`).expect(400);
        expect(JSON.stringify(response.body.message)).toMatch(message);
      });
    });
  });

  describe('POST …/jobs/bulk', () => {
    describe('with job ids', () => {
      it('retries the failed ones and reports every other id by its outcome', async () => {
        const failed = await seedJob(me, 'Bulk failed', { status: 'failed' });
        const completed = await seedJob(me, 'Bulk completed');
        const colleagues = await seedJob(colleague, 'Bulk colleague failed', { status: 'failed' });
        const foreign = await seedJob(stranger.user, 'Bulk foreign failed', { status: 'failed' });
        const missing = randomUUID();

        const { results } = await bulk({
          action: 'retry',
          job_ids: [failed, completed, colleagues, foreign, missing],
        });

        expect(results).toEqual([
          { job_id: failed, outcome: 'retried' },
          { job_id: completed, outcome: 'skipped', message: expect.stringMatching(/completed/) },
          { job_id: colleagues, outcome: 'retried' },
          { job_id: foreign, outcome: 'not_found' },
          { job_id: missing, outcome: 'not_found' },
        ]);
        expect((await jobDetail(agent, failed)).job).toMatchObject({ status: 'pending', retry_count: 1 });
        expect((await jobDetail(stranger.agent, foreign)).job.status).toBe('failed');
      });

      it('cancels the active ones and skips finished ones', async () => {
        const pending = await queueCourse(agent, await course(me, 'Bulk pending'));
        const failed = await seedJob(me, 'Bulk cancel failed', { status: 'failed' });

        const { results } = await bulk({ action: 'cancel', job_ids: [pending, failed] });

        expect(results).toEqual([
          { job_id: pending, outcome: 'cancelled' },
          { job_id: failed, outcome: 'skipped', message: expect.stringMatching(/failed/) },
        ]);
        expect((await jobDetail(agent, pending)).job.status).toBe('cancelled');
      });

      it('reports an id sent twice once', async () => {
        const failed = await seedJob(me, 'Bulk twice', { status: 'failed' });
        const { results } = await bulk({ action: 'retry', job_ids: [failed, failed.toUpperCase()] });
        expect(results).toEqual([{ job_id: failed, outcome: 'retried' }]);
      });
    });

    describe('with a filter ("Retry all failed")', () => {
      it('retries every failed job the list shows with that filter, and nothing else', async () => {
        const tag = randomUUID().slice(0, 8);
        const a = await seedJob(me, `Filter ${tag} one`, { status: 'failed' });
        const b = await seedJob(colleague, `Filter ${tag} two`, { status: 'failed' });
        const done = await seedJob(me, `Filter ${tag} done`);
        const other = await seedJob(me, `Unrelated ${tag}`, { status: 'failed' });
        const foreign = await seedJob(stranger.user, `Filter ${tag} foreign`, { status: 'failed' });

        const response = await bulk({
          action: 'retry',
          filter: { search: `filter ${tag}`, scope: 'organization' },
        });

        expect(response.more).toBeUndefined();
        expect(response.results.map((r) => r.job_id).sort()).toEqual([a, b].sort());
        expect(response.results.every((r) => r.outcome === 'retried')).toBe(true);
        expect((await jobDetail(agent, done)).job.status).toBe('completed');
        expect((await jobDetail(agent, other)).job.status).toBe('failed');
        expect((await jobDetail(stranger.agent, foreign)).job.status).toBe('failed');
      });
    });

    describe('when the request is invalid', () => {
      const id = '00000000-0000-4000-8000-000000000000';
      it.each([
        ['an unknown action', { action: 'delete', job_ids: [id] }, /action must be retry or cancel/],
        ['no ids', { action: 'retry', job_ids: [] }, /job_ids must name at least one job/],
        ['neither ids nor filter', { action: 'retry' }, /job_ids must name at least one job/],
        [
          '101 ids',
          { action: 'retry', job_ids: Array.from({ length: 101 }, () => randomUUID()) },
          /at most 100 jobs/,
        ],
        [
          'an id that is no UUID',
          { action: 'retry', job_ids: ['not-a-uuid'] },
          /each of job_ids must be a UUID/,
        ],
        ['both ids and filter', { action: 'retry', job_ids: [id], filter: {} }, /either job_ids or filter/],
        ['a filter to cancel', { action: 'cancel', filter: {} }, /filter works with action retry only/],
        [
          'an unknown filter field',
          { action: 'retry', filter: { search: 'x', extra: 1 } },
          /extra should not exist/,
        ],
        [
          'a malformed filter date',
          { action: 'retry', filter: { from: 'soon' } },
          /from must be an ISO 8601 date/,
        ],
      ])('answers 400 to %s', async (_name, body, message) => {
        const response = await agent.post(`${GENERATE}/jobs/bulk`).send(body).expect(400);
        expect(JSON.stringify(response.body.message)).toMatch(message);
      });
    });
  });
});
