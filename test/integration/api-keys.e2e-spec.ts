import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type {
  ApiKeyView,
  CourseDetail,
  CreatedApiKey,
  UserRole,
  VersionListResponse,
} from '../../contracts/api';
import { randomIp, signIn, type AuthedAgent, type TestUser } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { startTestApp, TestApp } from '../support/test-app';

const KEYS = '/api/admin/api-keys';
const JOBS = '/api/admin/curriculum/generate/jobs';
/** The part of a key after its visible prefix (`clk_` + 12 hex + `_`). */
const secretOf = (key: string): string => key.slice('clk_'.length + 13);

describe('API keys for machines (real PostgreSQL, Redis and HTTP)', () => {
  let app: TestApp;
  /** Every response seen after a key was created: none may contain a key again. */
  const seen: string[] = [];
  const createdKeys: string[] = [];

  /** supertest with `Authorization: Bearer <key>` from one client address, recording what comes back. */
  const withKey = (key: string, ip = randomIp()) => {
    const send = (test: request.Test): Promise<request.Response> =>
      test
        .set('Authorization', `Bearer ${key}`)
        .set('X-Forwarded-For', ip)
        .then((res) => {
          seen.push(JSON.stringify(res.headers), res.text ?? '');
          return res;
        });
    const http = request(app.baseUrl);
    return {
      get: (path: string) => send(http.get(path)),
      post: (path: string, body?: object) => send(http.post(path).send(body)),
      put: (path: string, body?: object) => send(http.put(path).send(body)),
      patch: (path: string, body?: object) => send(http.patch(path).send(body)),
      delete: (path: string) => send(http.delete(path)),
    };
  };

  const owner = async (): Promise<{ user: TestUser; agent: AuthedAgent }> => signIn(app, { role: 'owner' });

  const createKey = async (agent: AuthedAgent, name: string, role: UserRole): Promise<CreatedApiKey> => {
    const res = await agent.post(KEYS).send({ name, role });
    expect(res.status).toBe(201);
    createdKeys.push((res.body as CreatedApiKey).key);
    return res.body as CreatedApiKey;
  };

  const listKeys = async (agent: AuthedAgent): Promise<ApiKeyView[]> => {
    const res = await agent.get(KEYS);
    expect(res.status).toBe(200);
    seen.push(res.text);
    return (res.body as { api_keys: ApiKeyView[] }).api_keys;
  };

  beforeAll(async () => {
    app = await startTestApp({ env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '30' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('when an owner creates a key', () => {
    it('answers 201 with the clk_ key once, not cacheable, and stores only its SHA-256', async () => {
      const { user, agent } = await owner();
      const res = await agent.post(KEYS).send({ name: '  CI pipeline ', role: 'admin' });
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const created = res.body as CreatedApiKey;
      createdKeys.push(created.key);
      expect(created).toEqual({
        id: expect.any(String),
        name: 'CI pipeline',
        role: 'admin',
        prefix: expect.stringMatching(/^clk_[0-9a-f]{12}$/),
        created_at: expect.any(String),
        last_used_at: null,
        created_by: { id: user.id, email: user.email },
        key: expect.stringMatching(/^clk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/),
      });
      expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);

      const rows: Record<string, unknown>[] = await app.app
        .get(DataSource)
        .query(`SELECT * FROM api_keys WHERE id = $1`, [created.id]);
      expect(JSON.stringify(rows)).not.toContain(secretOf(created.key));
      expect(rows[0].key_hash).toEqual(createHash('sha256').update(created.key).digest());
    });

    it('lists it for the organization without its secret', async () => {
      const { agent } = await owner();
      const created = await createKey(agent, 'reporting', 'owner');
      const { key: _key, ...view } = created;
      expect(await listKeys(agent)).toEqual([view]);
    });

    it('refuses a missing or empty name, an unknown role and extra fields with 400 and clear messages', async () => {
      const { agent } = await owner();
      const cases: [object, string][] = [
        [{ role: 'admin' }, 'name must be a string'],
        [{ name: '   ', role: 'admin' }, 'name must not be empty'],
        [{ name: 'x'.repeat(101), role: 'admin' }, 'name must be at most 100 characters'],
        [{ name: 'a\nb', role: 'admin' }, 'name must not contain control characters'],
        [{ name: 'ok', role: 'operator' }, 'role must be admin or owner'],
        [{ name: 'ok', role: 'admin', key: 'clk_mine' }, 'property key should not exist'],
      ];
      for (const [body, message] of cases) {
        const res = await agent.post(KEYS).send(body);
        expect(res.status).toBe(400);
        expect(res.body.message).toContain(message);
      }
      expect(await listKeys(agent)).toEqual([]);
    });
  });

  describe('when a machine uses a key', () => {
    it('acts as its organization: lists jobs and queues a course without Origin or cookie (no CSRF refusal)', async () => {
      const { user, agent } = await owner();
      const { key } = await createKey(agent, 'deployer', 'admin');
      const courseId = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
      const machine = withKey(key);

      const queued = await machine.post(`/api/admin/curriculum/generate/${courseId}/queue`, {
        auto_publish: false,
      });
      expect(queued.status).toBe(201);
      const jobs = await machine.get(`${JOBS}?scope=organization`);
      expect(jobs.status).toBe(200);
      expect(jobs.body.jobs.map((j: { id: string }) => j.id)).toEqual([queued.body.job_id]);
      // The key acts as its creator, so the job belongs to a real user of the organization.
      const [job]: { user_id: string; organization_id: string }[] = await app.app
        .get(DataSource)
        .query(`SELECT user_id, organization_id FROM course_generation_jobs WHERE id = $1`, [
          queued.body.job_id,
        ]);
      expect(job).toEqual({ user_id: user.id, organization_id: user.organization_id });
    });

    it('shows up readably as "API key <name>" in what it edits', async () => {
      const { user, agent } = await owner();
      const { key } = await createKey(agent, 'sync bot', 'admin');
      const courseId = await createCourse(app, user, courseSpec({ projects: 1, lessons: 1, tasks: 1 }));
      const machine = withKey(key);
      const course = (await machine.get(`/api/admin/curriculum/courses/${courseId}`)).body as CourseDetail;
      const lessonId = course.projects[0].lessons[0].id;

      expect(
        (await machine.patch(`/api/admin/curriculum/lessons/${lessonId}`, { title: 'Renamed' })).status,
      ).toBe(200);
      const versions = (await machine.get(`/api/admin/curriculum/courses/${courseId}/versions`))
        .body as VersionListResponse;
      expect(versions.versions.map((v) => [v.cause, v.user_name])).toEqual([
        ['edited', 'API key "sync bot"'],
      ]);
    });

    it('records its last use, then writes it again only once it is a minute old', async () => {
      const { agent } = await owner();
      const created = await createKey(agent, 'poller', 'admin');
      const machine = withKey(created.key);
      const db = app.app.get(DataSource);

      expect((await machine.get(JOBS)).status).toBe(200);
      const [first] = await listKeys(agent);
      expect(first.last_used_at).not.toBeNull();
      expect(Date.parse(first.last_used_at!)).toBeGreaterThanOrEqual(Date.parse(created.created_at));

      expect((await machine.get(JOBS)).status).toBe(200);
      expect((await listKeys(agent))[0].last_used_at).toBe(first.last_used_at); // within the minute: no write

      await db.query(`UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [
        created.id,
      ]);
      const aged = (await listKeys(agent))[0].last_used_at!;
      expect((await machine.get(JOBS)).status).toBe(200);
      const moved = (await listKeys(agent))[0].last_used_at!;
      expect(Date.parse(moved)).toBeGreaterThan(Date.parse(aged));
    });
  });

  describe('role limits', () => {
    it('an admin key reads but cannot create or revoke keys, manage users or change settings (403)', async () => {
      const { agent } = await owner();
      const { key, id } = await createKey(agent, 'read-mostly', 'admin');
      const machine = withKey(key);

      expect((await machine.get(KEYS)).status).toBe(200);
      expect((await machine.post(KEYS, { name: 'escalate', role: 'owner' })).status).toBe(403);
      expect((await machine.delete(`${KEYS}/${id}`)).status).toBe(403);
      expect((await machine.get('/api/admin/users')).status).toBe(403);
      const put = await machine.put('/api/admin/settings', {
        monthly_budget_usd: 5,
        default_job_cap_usd: null,
      });
      expect(put.status).toBe(403);
      expect(put.body.message).toBe('This action needs the owner role');
    });

    it('an owner key does owner things', async () => {
      const { agent } = await owner();
      const machine = withKey((await createKey(agent, 'admin bot', 'owner')).key);
      const put = await machine.put('/api/admin/settings', {
        monthly_budget_usd: 5,
        default_job_cap_usd: null,
      });
      expect(put.status).toBe(200);
      expect((await machine.get('/api/admin/users')).status).toBe(200);
    });

    it('never makes an operator: the key of an operator is refused by Bull Board', async () => {
      const { agent } = await signIn(app, { role: 'owner', operator: true });
      expect((await agent.get('/admin/queues/api/queues')).status).toBe(200);
      const machine = withKey((await createKey(agent, 'ops', 'owner')).key);
      expect((await machine.get('/admin/queues/api/queues')).status).toBe(401);
    });
  });

  describe('when a key is revoked', () => {
    it('answers 204, is refused with 401 at once and leaves the list; revoking it again is 404', async () => {
      const { agent } = await owner();
      const created = await createKey(agent, 'leaked', 'owner');
      const machine = withKey(created.key);
      expect((await machine.get(JOBS)).status).toBe(200);

      expect((await agent.delete(`${KEYS}/${created.id}`)).status).toBe(204);
      const refused = await machine.get(JOBS);
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe('Invalid or revoked API key');
      expect(await listKeys(agent)).toEqual([]);
      expect((await agent.delete(`${KEYS}/${created.id}`)).status).toBe(404);
    });

    it("another organization's key answers 404 and stays usable", async () => {
      const mine = await owner();
      const theirs = await owner();
      const created = await createKey(theirs.agent, 'theirs', 'admin');
      expect((await mine.agent.delete(`${KEYS}/${created.id}`)).status).toBe(404);
      expect(await listKeys(mine.agent)).toEqual([]);
      expect((await withKey(created.key).get(JOBS)).status).toBe(200);
    });

    it('refuses a malformed id with 400', async () => {
      const { agent } = await owner();
      const res = await agent.delete(`${KEYS}/not-a-uuid`);
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['id must be a UUID']);
    });
  });

  describe('wrong keys', () => {
    it('answer 401, then 429 with Retry-After once the address passes the login limit; valid keys still pass', async () => {
      const { agent } = await owner();
      const { key, prefix } = await createKey(agent, 'good', 'admin');
      const ip = randomIp();
      const wrong = [`${prefix}_${'A'.repeat(43)}`, 'clk_garbage', `${key}x`];
      for (const bad of wrong) {
        const res = await withKey(bad, ip).get(JOBS);
        expect(res.status).toBe(401);
        expect(res.text).not.toContain(bad);
      }
      const throttled = await withKey(wrong[0], ip).get(JOBS);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.body.message).toMatch(/^Too many refused API keys; try again in \d+ s$/);

      expect((await withKey(wrong[0]).get(JOBS)).status).toBe(401); // another address is not throttled
      expect((await withKey(key, ip).get(JOBS)).status).toBe(200);
    });
  });

  it('no response after creation ever contained a key', () => {
    expect(createdKeys.length).toBeGreaterThan(5);
    const all = seen.join('\n');
    for (const key of createdKeys) expect(all).not.toContain(secretOf(key));
  });

  it('the list is open to admins of the organization (they see which keys exist)', async () => {
    const first = await owner();
    await createKey(first.agent, 'shared', 'admin');
    const { agent: adminAgent } = await signIn(app, {
      role: 'admin',
      organizationName: first.user.organization_name,
    });
    const res = await adminAgent.get(KEYS);
    expect(res.status).toBe(200);
    expect(res.body.api_keys.map((k: ApiKeyView) => k.name)).toEqual(['shared']);
    expect((await adminAgent.post(KEYS).send({ name: 'x', role: 'admin' })).status).toBe(403);
  });
});
