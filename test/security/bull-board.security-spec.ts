import { spawn } from 'node:child_process';
import { getQueueToken } from '@nestjs/bullmq';
import { appRoutes } from '@bull-board/api/dist/routes.js';
import { Job, Queue, Worker } from 'bullmq';
import request from 'supertest';
import { bullConnection } from '../../server/src/redis/redis-connection';
import { redisKeyPrefix } from '../../server/src/redis/redis-keys';
import { QUEUES } from '../../server/src/jobs/jobs.constants';
import { bearer, login, Session, signIn, TestUser } from '../support/accounts';
import { ROOT } from '../support/processes';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Bull Board shows (and can change) every organization's queues: it is for operators of the installation only,
 * and read-only unless BULL_BOARD_READ_ONLY=false. See docs/queue.md.
 */

const BOARD = '/admin/queues';
const STEPS = QUEUES.steps;
const UUID_A = '00000000-0000-4000-8000-00000000000a';
const UUID_B = '00000000-0000-4000-8000-00000000000b';
/** What an attacker with Bull Board would add: a step naming someone's job and someone else's project. */
const CRAFTED_STEP = { job_id: UUID_A, retry: 0, kind: 'lessons', item_id: UUID_B };

type Method = 'get' | 'put' | 'patch' | 'post';
interface BoardRoute {
  method: Method;
  path: string;
  body?: Record<string, unknown>;
}

/** Request bodies the mutating routes expect (so a refusal is never just a 400 on a missing body). */
const BODIES: Record<string, Record<string, unknown>> = {
  '/api/queues/:queueName/add': { name: 'lessons', data: CRAFTED_STEP, options: {} },
  '/api/queues/:queueName/concurrency': { concurrency: 1 },
  '/api/queues/:queueName/rate-limit': { max: 1, duration: 60_000 },
  '/api/queues/:queueName/obliterate': { force: true },
  '/api/queues/:queueName/job-schedulers/:schedulerId': { every: 1000 },
  '/api/queues/:queueName/:jobId/update-data': { jobData: CRAFTED_STEP },
  '/api/queues/:queueName/:jobId/delay': { runAt: Date.now() },
  '/api/queues/:queueName/:jobId/priority': { priority: 1 },
};

/**
 * Every route bull-board mounts (its own route table, so a route added by an upgrade is walked too), with its
 * parameters filled in: the steps queue, a real job of it, a job status and a scheduler id.
 */
function boardRoutes(jobId: string): { pages: string[]; reads: BoardRoute[]; writes: BoardRoute[] } {
  const fill = (route: string): string =>
    route
      .replace(':queueName', STEPS)
      .replace(':jobId', jobId)
      .replace(':queueStatus', 'failed')
      .replace(':schedulerId', 'no-such-scheduler');
  const entry = appRoutes.entryPoint.route;
  const pages = (Array.isArray(entry) ? entry : [entry]).map((r) => `${BOARD}${fill(r)}`);
  const api = appRoutes.api.flatMap((r) =>
    (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({
      method: method as Method,
      path: `${BOARD}${fill(String(r.route))}`,
      body: BODIES[String(r.route)],
    })),
  );
  return {
    pages,
    reads: api.filter((r) => r.method === 'get'),
    writes: api.filter((r) => r.method !== 'get'),
  };
}

function send(app: TestApp, route: BoardRoute, token: string): request.Test {
  const http = request(app.baseUrl);
  const req = http[route.method](route.path).set(bearer(token)).set('Accept', 'application/json');
  return route.body ? req.send(route.body) : req;
}

const queueOf = (app: TestApp, name: string): Queue => app.app.get<Queue>(getQueueToken(name));

/** Everything Bull Board could change, per queue: counts, paused, concurrency, and each job's id, state and data. */
async function redisState(app: TestApp): Promise<unknown> {
  const state: Record<string, unknown> = {};
  for (const name of Object.values(QUEUES)) {
    const queue = queueOf(app, name);
    const jobs = await queue.getJobs([
      'waiting',
      'delayed',
      'active',
      'completed',
      'failed',
      'prioritized',
      'waiting-children',
    ]);
    const described = await Promise.all(
      jobs.map(async (j) => ({
        id: j.id,
        state: await j.getState(),
        data: j.data as unknown,
        priority: j.priority,
        delay: j.delay,
      })),
    );
    state[name] = {
      counts: await queue.getJobCounts(),
      paused: await queue.isPaused(),
      concurrency: await queue.getGlobalConcurrency(),
      jobs: described.sort((a, b) => String(a.id).localeCompare(String(b.id))),
    };
  }
  return state;
}

/**
 * Jobs in every state a mutating route acts on: one completed and one failed (run by a throw-away worker of this
 * test, the app runs none), one waiting and one delayed.
 */
async function seedSteps(app: TestApp): Promise<{ waiting: Job; delayed: Job; failed: Job }> {
  const queue = queueOf(app, STEPS);
  const done = await queue.add('seed', { seed: 'completed' }, { jobId: 'seed-completed' });
  const failed = await queue.add('seed', { seed: 'failed' }, { jobId: 'seed-failed', attempts: 1 });
  const worker = new Worker(
    STEPS,
    async (job: Job) => {
      if (job.id === 'seed-failed') throw new Error('seeded failure');
      return 'ok';
    },
    { connection: bullConnection(app.config, 'worker'), prefix: redisKeyPrefix(app.config) },
  );
  try {
    await waitFor(
      async () => (await done.getState()) === 'completed' && (await failed.getState()) === 'failed',
      { what: 'the seeded jobs to complete and fail' },
    );
  } finally {
    await worker.close();
  }
  const waiting = await queue.add('seed', { seed: 'waiting' }, { jobId: 'seed-waiting' });
  const delayed = await queue.add('seed', { seed: 'delayed' }, { jobId: 'seed-delayed', delay: 3_600_000 });
  return { waiting, delayed, failed };
}

function runUserCreate(
  args: string[],
  databaseUrl: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/server/server/src/cli/user-create.js', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const FORBIDDEN = {
  statusCode: 403,
  message: 'The queue inspector is for operators of the installation',
  error: 'Forbidden',
  request_id: expect.any(String),
};

describe('Bull Board: operators of the installation only', () => {
  describe('when the board is read-only (the default)', () => {
    let app: TestApp;
    let operator: { user: TestUser; session: Session };
    let tenantAdmin: { user: TestUser; session: Session };
    let tenantOwner: { user: TestUser; session: Session };
    let routes: ReturnType<typeof boardRoutes>;

    beforeAll(async () => {
      app = await startTestApp(); // BULL_BOARD_READ_ONLY unset, no worker
      operator = await signIn(app, { role: 'owner', organizationName: 'Installation', operator: true });
      tenantAdmin = await signIn(app, { role: 'admin', organizationName: 'Second Org' });
      tenantOwner = await signIn(app, { role: 'owner', organizationName: 'Second Org' });
      const { failed } = await seedSteps(app);
      routes = boardRoutes(failed.id!);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('the route table walked is bull-board’s whole table (pages, reads, and every mutating route)', () => {
      expect(routes.pages).toContain(BOARD + '/');
      expect(routes.reads.length).toBeGreaterThanOrEqual(10);
      const writes = routes.writes.map((r) => `${r.method.toUpperCase()} ${r.path.slice(BOARD.length)}`);
      for (const expected of [
        'PUT /api/queues/pause',
        `PUT /api/queues/${STEPS}/pause`,
        `PUT /api/queues/${STEPS}/empty`,
        `PUT /api/queues/${STEPS}/clean/failed`,
        `PUT /api/queues/${STEPS}/retry/failed`,
        `PUT /api/queues/${STEPS}/promote`,
        `POST /api/queues/${STEPS}/add`,
        `PUT /api/queues/${STEPS}/seed-failed/retry`,
        `PUT /api/queues/${STEPS}/seed-failed/promote`,
        `PUT /api/queues/${STEPS}/seed-failed/clean`,
        `PUT /api/queues/${STEPS}/obliterate`,
      ])
        expect(writes).toContain(expected);
    });

    describe('when a signed-in admin or owner of another organization (not an operator) calls it', () => {
      it('answers 403 with a small readable HTML page to a browser, on every page of the board', async () => {
        for (const path of routes.pages) {
          const res = await request(app.baseUrl)
            .get(path)
            .set('Cookie', tenantAdmin.session.cookie)
            .set('Accept', 'text/html,application/xhtml+xml');
          expect({ path, status: res.status }).toEqual({ path, status: 403 });
          expect(res.headers['content-type']).toMatch(/^text\/html/);
          expect(res.text).toContain('The queue inspector is for operators');
          expect(res.text).not.toContain('__UI_CONFIG__'); // not the board itself
        }
      });

      it('answers 403 JSON to every read of its API, for the admin and for the owner', async () => {
        for (const who of [tenantAdmin, tenantOwner]) {
          for (const route of routes.reads) {
            const res = await send(app, route, who.session.token);
            expect({ route: route.path, status: res.status, body: res.body }).toEqual({
              route: route.path,
              status: 403,
              body: FORBIDDEN,
            });
          }
        }
      });

      it('answers 403 to every mutating route (pause, empty, clean, retry, promote, remove, add …) and nothing changes in Redis', async () => {
        const before = await redisState(app);
        for (const route of routes.writes) {
          const res = await send(app, route, tenantAdmin.session.token);
          expect({ route: `${route.method} ${route.path}`, status: res.status, body: res.body }).toEqual({
            route: `${route.method} ${route.path}`,
            status: 403,
            body: FORBIDDEN,
          });
        }
        expect(await redisState(app)).toEqual(before);
      });

      it('refuses the same with the session cookie (the way a browser would call it)', async () => {
        const res = await request(app.baseUrl)
          .get(`${BOARD}/api/queues`)
          .set('Cookie', tenantOwner.session.cookie)
          .set('Accept', 'application/json')
          .expect(403);
        expect(res.body).toEqual(FORBIDDEN);
      });

      it('still lets them see their own organization’s jobs in the console', async () => {
        await request(app.baseUrl)
          .get('/api/admin/curriculum/generate/jobs')
          .set(bearer(tenantAdmin.session.token))
          .expect(200);
      });

      it('tells /api/auth/me they are not operators, and an operator that it is', async () => {
        const me = await request(app.baseUrl)
          .get('/api/auth/me')
          .set(bearer(tenantOwner.session.token))
          .expect(200);
        expect(me.body.is_operator).toBe(false);
        const op = await request(app.baseUrl)
          .get('/api/auth/me')
          .set(bearer(operator.session.token))
          .expect(200);
        expect(op.body.is_operator).toBe(true);
        expect(operator.session.body.user.is_operator).toBe(true); // the login response says so too
      });
    });

    describe('when an operator calls it', () => {
      it('serves the board’s pages', async () => {
        for (const path of routes.pages) {
          const res = await request(app.baseUrl)
            .get(path)
            .set('Cookie', operator.session.cookie)
            .set('Accept', 'text/html');
          expect({ path, status: res.status }).toEqual({ path, status: 200 });
          expect(res.text).toContain('__UI_CONFIG__');
        }
      });

      it('answers 200 to the reads: the queues (marked read-only), a job, its logs', async () => {
        const queues = await send(
          app,
          { method: 'get', path: `${BOARD}/api/queues` },
          operator.session.token,
        );
        expect(queues.status).toBe(200);
        const listed = queues.body.queues as { name: string; readOnlyMode: boolean }[];
        expect(listed.map((q) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
        expect(listed.every((q) => q.readOnlyMode)).toBe(true); // the UI hides its buttons
        const job = await send(
          app,
          { method: 'get', path: `${BOARD}/api/queues/${STEPS}/seed-failed` },
          operator.session.token,
        );
        expect(job.status).toBe(200);
        expect(job.body.job.id).toBe('seed-failed');
        await send(
          app,
          { method: 'get', path: `${BOARD}/api/queues/${STEPS}/seed-failed/logs` },
          operator.session.token,
        ).expect(200);
      });

      it('refuses every mutating route with 405 (job add included) and nothing changes in Redis', async () => {
        const before = await redisState(app);
        for (const route of routes.writes) {
          const res = await send(app, route, operator.session.token);
          expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({
            route: `${route.method} ${route.path}`,
            status: 405,
          });
          expect(res.body).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
          expect(res.headers.allow).toBe('GET, HEAD');
        }
        expect(await redisState(app)).toEqual(before);
        expect(await queueOf(app, STEPS).getJob('seed-waiting')).toBeDefined();
        expect(await queueOf(app, STEPS).isPaused()).toBe(false);
      });
    });

    describe('when `npm run user:create` makes the user', () => {
      it('with --operator: an operator, who may open the board; without: a tenant user, refused', async () => {
        const made = await runUserCreate(
          [
            '--email',
            'ops@example.test',
            '--password',
            'an-operator-password',
            '--role',
            'admin',
            '--organization',
            'Ops',
            '--operator',
          ],
          app.databaseUrl,
        );
        expect(made).toMatchObject({ code: 0 });
        expect(made.output).toMatch(/Created admin \(operator\) ops@example\.test .* in organization "Ops"/);
        const plain = await runUserCreate(
          ['--email', 'plain@example.test', '--password', 'a-plain-password', '--organization', 'Ops'],
          app.databaseUrl,
        );
        expect(plain.output).toMatch(/Created admin plain@example\.test/);

        const ops = await login(app, 'ops@example.test', 'an-operator-password');
        expect(ops.body.user.is_operator).toBe(true);
        await request(app.baseUrl)
          .get(`${BOARD}/api/queues`)
          .set(bearer(ops.token))
          .set('Accept', 'application/json')
          .expect(200);
        const tenant = await login(app, 'plain@example.test', 'a-plain-password');
        expect(tenant.body.user.is_operator).toBe(false);
        await request(app.baseUrl)
          .get(`${BOARD}/api/queues`)
          .set(bearer(tenant.token))
          .set('Accept', 'application/json')
          .expect(403);
      });
    });
  });

  describe('when BULL_BOARD_READ_ONLY=false and the operator is the owner made at first start', () => {
    const OWNER = { email: 'first-owner@example.test', password: 'first-owner-password-2024' };
    let app: TestApp;
    let operator: Session;
    let tenantAdmin: Session;

    beforeAll(async () => {
      app = await startTestApp({
        env: { BULL_BOARD_READ_ONLY: 'false', ADMIN_EMAIL: OWNER.email, ADMIN_PASSWORD: OWNER.password },
      });
      operator = await login(app, OWNER.email, OWNER.password);
      tenantAdmin = (await signIn(app, { role: 'admin', organizationName: 'Another Org' })).session;
      await seedSteps(app);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('the first-start owner is an operator', () => {
      expect(operator.body.user).toMatchObject({ email: OWNER.email, role: 'owner', is_operator: true });
    });

    it('an operator can pause and resume a queue, promote and remove a job, and add one', async () => {
      const queue = queueOf(app, STEPS);
      const act = (method: Method, path: string, body?: Record<string, unknown>) =>
        send(app, { method, path: `${BOARD}${path}`, body }, operator.token);

      await act('put', `/api/queues/${STEPS}/pause`).expect(200);
      expect(await queue.isPaused()).toBe(true);
      await act('put', `/api/queues/${STEPS}/resume`).expect(200);
      expect(await queue.isPaused()).toBe(false);

      await act('put', `/api/queues/${STEPS}/seed-delayed/promote`).expect(204);
      expect(await (await queue.getJob('seed-delayed'))!.getState()).toBe('waiting');
      await act('put', `/api/queues/${STEPS}/seed-waiting/clean`).expect(204);
      expect(await queue.getJob('seed-waiting')).toBeUndefined();

      const added = await act('post', `/api/queues/${STEPS}/add`, {
        name: 'operator-added',
        data: { note: 'added by an operator' },
        options: {},
      }).expect(200);
      const addedId = String(added.body.job.id);
      expect((await queue.getJob(addedId))?.data).toEqual({ note: 'added by an operator' });
    });

    it('a non-operator is still refused, reads and writes alike, and changes nothing', async () => {
      const before = await redisState(app);
      const paths: BoardRoute[] = [
        { method: 'get', path: `${BOARD}/api/queues` },
        { method: 'put', path: `${BOARD}/api/queues/${STEPS}/pause` },
        { method: 'put', path: `${BOARD}/api/queues/${STEPS}/empty` },
        {
          method: 'post',
          path: `${BOARD}/api/queues/${STEPS}/add`,
          body: { name: 'lessons', data: CRAFTED_STEP, options: {} },
        },
      ];
      for (const route of paths) {
        const res = await send(app, route, tenantAdmin.token);
        expect({ route: route.path, status: res.status, body: res.body }).toEqual({
          route: route.path,
          status: 403,
          body: FORBIDDEN,
        });
      }
      expect(await redisState(app)).toEqual(before);
    });
  });
});
