import request from 'supertest';
import type {
  ApproveOutlineResponse,
  CourseDetail,
  GenerateOutlinesResponse,
  JobDetailResponse,
  JobStatus,
  JobStepsResponse,
} from '../../contracts/api';
import { SESSION_COOKIE_NAME } from '../../server/src/accounts/auth/session-cookie';
import { QUEUES } from '../../server/src/jobs/jobs.constants';
import { randomIp } from '../support/accounts';
import { API_ENTRY, ProductProcess, WORKER_ENTRY } from '../support/processes';
import { parseScrape, sumOf } from '../support/prometheus';
import { GENERATE } from '../support/queue-helpers';
import { freePort } from '../support/redis-server';
import { RoundRobinProxy, SERVED_BY_HEADER } from '../support/round-robin-proxy';
import { uniqueRedisPrefix } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testRedisUrl } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const OWNER = { email: 'owner@replicas.test', password: 'replica-owner-password' };
const LOGIN_RATE_LIMIT = 4;
const STEP_CONCURRENCY = 2;
const WORKERS = 2;

/** Which API replica answered (the proxy's X-Served-By). */
const servedBy = (res: request.Response): number => Number(res.headers[SERVED_BY_HEADER]);

const STATUS_RANK: Record<JobStatus, number> = {
  pending: 0,
  generating_lessons: 1,
  generating_tasks: 2,
  finalizing: 3,
  paused: 3,
  completed: 4,
  failed: 4,
  cancelled: 4,
};

interface Sample {
  replica: number;
  status: JobStatus;
  items: number;
}

/**
 * Two API processes and two worker processes from the built dist, on one database and one Redis prefix, behind a
 * round-robin load balancer (no sticky sessions): every request of the journey lands on the other API replica, so
 * anything one process kept in its own memory would show. docs/queue.md, "Scaling out".
 */
describe('two API replicas and two workers behind one address share everything', () => {
  const apis: ProductProcess[] = [];
  const workers: ProductProcess[] = [];
  const metricsPorts: number[] = [];
  let proxy: RoundRobinProxy;
  let base: string;
  let databaseUrl: string | undefined;
  let cookie: string;

  /** A browser tab on the load balancer's address: the session cookie, and its own Origin on writes. */
  const get = (path: string, withCookie = cookie): request.Test =>
    request(base).get(path).set('Cookie', withCookie);
  const post = (path: string, withCookie = cookie): request.Test =>
    request(base).post(path).set('Cookie', withCookie).set('Origin', base);
  const login = (email: string, password: string, ip = randomIp()): request.Test =>
    request(base).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });
  const sessionCookie = (res: request.Response): string => {
    const set = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
    if (!set) throw new Error(`no session cookie in ${JSON.stringify(res.headers)}`);
    return set.split(';')[0];
  };
  const job = async (jobId: string): Promise<{ res: request.Response; body: JobDetailResponse }> => {
    const res = await get(`${GENERATE}/jobs/${jobId}`).expect(200);
    return { res, body: res.body as JobDetailResponse };
  };
  /** Step attempts each worker process ended with `outcome`, from its own /metrics (METRICS_PORT). */
  const stepsPerWorker = async (outcome: 'written' | 'cancelled'): Promise<number[]> =>
    Promise.all(
      metricsPorts.map(async (port) => {
        const res = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
        return sumOf(parseScrape(res.text), 'courseloom_step_duration_seconds_count', { outcome });
      }),
    );
  /** Proposes outlines on one replica and approves the first on the other; returns the course id. */
  const approvedCourse = async (topic: string, projects: number): Promise<string> => {
    const proposed = await post(`${GENERATE}/outlines`)
      .send({ topic, project_count: projects, proposals: 1 })
      .expect(200);
    const proposals = proposed.body as GenerateOutlinesResponse;
    const approved = await post(`${GENERATE}/outlines/approve`)
      .send({ topic, outline: proposals.outlines[0], generation_id: proposals.generation_id })
      .expect(201);
    expect(servedBy(approved)).not.toBe(servedBy(proposed));
    return (approved.body as ApproveOutlineResponse).course_id;
  };

  beforeAll(async () => {
    databaseUrl = await createSuiteDatabase();
    const shared = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniqueRedisPrefix(),
      // Every replica signs and checks sessions with the same secret (README, "The queue, scaling out").
      AUTH_SECRET: 'one-secret-shared-by-every-replica-0123',
      LLM_PROVIDER: 'sample',
      SAMPLE_LATENCY_MS: '400',
      LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT),
      STEP_CONCURRENCY: String(STEP_CONCURRENCY),
    };
    const apiPorts = [await freePort(), await freePort()];
    for (const port of apiPorts) {
      apis.push(
        new ProductProcess(API_ENTRY, {
          ...shared,
          START_WORKER: 'false',
          PORT: String(port),
          ADMIN_EMAIL: OWNER.email,
          ADMIN_PASSWORD: OWNER.password,
        }),
      );
    }
    for (let i = 0; i < WORKERS; i++) {
      metricsPorts.push(await freePort());
      workers.push(new ProductProcess(WORKER_ENTRY, { ...shared, METRICS_PORT: String(metricsPorts[i]) }));
    }
    proxy = new RoundRobinProxy(apiPorts.map((port) => `http://127.0.0.1:${port}`));
    base = await proxy.start();

    // Ready when both replicas, in turn, report both workers' heartbeats (shared through Redis).
    const all = [...apis, ...workers];
    const seen = new Map<number, number>();
    const ready = await waitFor(
      async () => {
        if (all.some((p) => p.exit)) return 'a process exited';
        const res = await request(base).get('/health/ready');
        seen.set(servedBy(res), res.status === 200 ? res.body.details.workers.seen : 0);
        return seen.get(0) === WORKERS && seen.get(1) === WORKERS && 'ready';
      },
      { timeoutMs: 45_000, intervalMs: 200, what: 'both API replicas to see both workers' },
    ).catch((err: Error) => err.message);
    if (ready !== 'ready') throw new Error(`${ready}:\n${all.map((p) => p.output).join('\n---\n')}`);
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    for (const p of [...apis, ...workers]) p.kill('SIGKILL');
    await Promise.all([...apis, ...workers].map((p) => p.waitForExit(5000).catch(() => undefined)));
    if (databaseUrl) await dropSuiteDatabase(databaseUrl);
  });

  describe('sessions', () => {
    it('a session cookie issued by one replica is accepted by the other; signing out on one ends it on both', async () => {
      const signedIn = await login(OWNER.email, OWNER.password).expect(200);
      const first = sessionCookie(signedIn);
      const me = await get('/api/auth/me', first).expect(200);
      expect(servedBy(me)).not.toBe(servedBy(signedIn));
      expect(me.body).toMatchObject({ email: OWNER.email, role: 'owner', is_operator: true });

      const out = await post('/api/auth/logout', first).expect(204);
      const [a, b] = [await get('/api/auth/me', first), await get('/api/auth/me', first)];
      expect([a.status, b.status]).toEqual([401, 401]);
      expect(new Set([servedBy(out), servedBy(a), servedBy(b)])).toEqual(new Set([0, 1]));

      cookie = sessionCookie(await login(OWNER.email, OWNER.password).expect(200));
    });
  });

  describe('the login rate limit', () => {
    it(`wrong passwords spread over both replicas meet one limit: ${LOGIN_RATE_LIMIT} are answered, then 429 on either`, async () => {
      const user = { email: 'typo@replicas.test', password: 'the-right-password' };
      await post('/api/admin/users')
        .send({ ...user, role: 'admin' })
        .expect(201);
      const ip = randomIp();
      const answered: number[] = [];
      for (let i = 0; i < LOGIN_RATE_LIMIT; i++) {
        answered.push(servedBy(await login(user.email, 'a-wrong-password', ip).expect(401)));
      }
      // Each replica counted only half: limits kept per process would let the next attempts through.
      expect(answered.filter((r) => r === 0)).toHaveLength(LOGIN_RATE_LIMIT / 2);
      const limited = [
        await login(user.email, user.password, ip),
        await login(user.email, user.password, ip),
      ];
      expect(limited.map((r) => r.status)).toEqual([429, 429]);
      expect(new Set(limited.map(servedBy))).toEqual(new Set([0, 1]));
      for (const r of limited) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('generation', () => {
    it('an outline proposed on one replica is approved on the other, both workers write its steps, and polling either replica shows progress only advancing', async () => {
      const courseId = await approvedCourse('Sourdough baking', 4);
      // The outline call's usage, kept in Redis by the proposing replica, was recorded by the approving one.
      const course = (await get(`/api/admin/curriculum/courses/${courseId}`).expect(200))
        .body as CourseDetail;
      expect(course.usage.rows.map((r) => r.stage)).toEqual(['outline']);

      const writtenBefore = await stepsPerWorker('written');
      const queued = await post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: false }).expect(201);
      const jobId = queued.body.job_id as string;
      const samples: Sample[] = [];
      await waitFor(
        async () => {
          const { res, body } = await job(jobId);
          samples.push({ replica: servedBy(res), status: body.job.status, items: body.job.items_completed });
          return ['completed', 'failed', 'cancelled'].includes(body.job.status);
        },
        { timeoutMs: 30_000, intervalMs: 50, what: `job ${jobId} to end` },
      );
      const final = (await job(jobId)).body.job;
      expect(final).toMatchObject({ status: 'completed', items_completed: final.items_total });

      // Both replicas answered the polling, and no answer went back in status or progress.
      expect(new Set(samples.map((s) => s.replica))).toEqual(new Set([0, 1]));
      const backwards = samples.filter(
        (s, i) =>
          i > 0 &&
          (STATUS_RANK[s.status] < STATUS_RANK[samples[i - 1].status] ||
            (s.status === samples[i - 1].status && s.items < samples[i - 1].items)),
      );
      expect(backwards).toEqual([]);
      expect(samples.some((s) => s.items > 0 && s.items < final.items_total)).toBe(true);

      // The steps were shared: each worker process wrote some, and together exactly the job's steps.
      const steps = ((await get(`${GENERATE}/jobs/${jobId}/steps`).expect(200)).body as JobStepsResponse)
        .steps;
      expect(steps.every((s) => s.status === 'succeeded')).toBe(true);
      const written = (await stepsPerWorker('written')).map((n, w) => n - writtenBefore[w]);
      expect(written.every((n) => n > 0)).toBe(true);
      expect(written[0] + written[1]).toBe(steps.length);
    });

    it('a job cancelled through one replica while the other serves the polling stops on both workers at once', async () => {
      const courseId = await approvedCourse('Bicycle repair', 6);
      const jobId = (await post(`${GENERATE}/${courseId}/queue`).send({ auto_publish: false }).expect(201))
        .body.job_id as string;
      // Every step slot of both workers busy with this job: each worker has model calls in flight.
      await waitFor(
        async () => (await job(jobId)).body.job.step_counts.running === WORKERS * STEP_CONCURRENCY,
        {
          timeoutMs: 20_000,
          what: 'both workers running steps of the job',
        },
      );
      const cancelledBefore = await stepsPerWorker('cancelled');

      // Polling runs on while the cancel is sent; the proxy interleaves them over both replicas.
      const samples: (Sample & { afterCancel: boolean })[] = [];
      let cancelAnswered = false;
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const afterCancel = cancelAnswered;
          const { res, body } = await job(jobId);
          samples.push({
            replica: servedBy(res),
            status: body.job.status,
            items: body.job.items_completed,
            afterCancel,
          });
        }
      })();
      try {
        const cancel = await post(`${GENERATE}/jobs/${jobId}/cancel`).expect(200);
        cancelAnswered = true;
        expect(cancel.body).toEqual({ success: true });
        await waitFor(() => new Set(samples.filter((s) => s.afterCancel).map((s) => s.replica)).size === 2, {
          what: 'polls on both replicas after the cancel',
        });
      } finally {
        polling = false;
        await poller;
      }
      // Once the cancel answered, neither replica showed the job running again, nor its progress moving.
      const after = samples.filter((s) => s.afterCancel);
      expect(after.map((s) => s.status)).toEqual(after.map(() => 'cancelled'));
      expect(new Set(after.map((s) => s.items)).size).toBe(1);

      // Both workers aborted their in-flight calls of the job (the cancel bus reached every worker process) …
      await waitFor(async () => (await stepsPerWorker('cancelled')).every((n, w) => n > cancelledBefore[w]), {
        what: 'a cancelled step on each worker',
      });
      // … and nothing was written after the cancel: the succeeded steps are the progress seen when it answered.
      const detail = (await job(jobId)).body;
      const steps = ((await get(`${GENERATE}/jobs/${jobId}/steps`).expect(200)).body as JobStepsResponse)
        .steps;
      expect(detail.job).toMatchObject({ status: 'cancelled', items_completed: after[0].items });
      expect(steps.filter((s) => s.status === 'succeeded')).toHaveLength(after[0].items);
      expect(steps.filter((s) => !['succeeded', 'cancelled'].includes(s.status))).toEqual([]);
      expect(detail.logs.at(-1)?.message).toMatch(/^Cancelled by /);
    });
  });

  describe('Bull Board', () => {
    it('is served to the operator by both replicas, showing the same queues and counts', async () => {
      const pages = [await get('/admin/queues').expect(200), await get('/admin/queues').expect(200)];
      expect(new Set(pages.map(servedBy))).toEqual(new Set([0, 1]));
      for (const page of pages) expect(page.text).toContain('__UI_CONFIG__');

      type Board = { name: string; counts: Record<string, number> }[];
      const board = async (): Promise<{ replica: number; queues: Board }> => {
        const res = await get('/admin/queues/api/queues').set('Accept', 'application/json').expect(200);
        const queues = (res.body.queues as Board).map(({ name, counts }) => ({ name, counts }));
        return { replica: servedBy(res), queues: queues.sort((x, y) => x.name.localeCompare(y.name)) };
      };
      // Read both replicas in turn until the queues are at rest (the cancelled job's last steps unwind).
      const [a, b] = await waitFor(
        async () => {
          const pair = [await board(), await board()];
          const idle = pair.every((p) => p.queues.every((q) => (q.counts.active ?? 0) === 0));
          return idle && JSON.stringify(pair[0].queues) === JSON.stringify(pair[1].queues) ? pair : null;
        },
        { what: 'both replicas to show the same idle queues' },
      );
      expect(a.replica).not.toBe(b.replica);
      expect(a.queues.map((q) => q.name)).toEqual(Object.values(QUEUES).sort());
      expect(a.queues.find((q) => q.name === QUEUES.steps)!.counts.completed).toBeGreaterThan(0);
    });
  });
});
