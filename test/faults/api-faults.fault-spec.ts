import { createServer } from 'node:net';
import request from 'supertest';
import { FakeLlmServer, fakeModelEnv, startFakeLlmServer } from '../support/fake-llm-server';
import { waitAllTerminal } from '../support/fault-checks';
import { Fleet } from '../support/fleet';
import { API_ENTRY, ProductProcess } from '../support/processes';
import { GENERATE, queueCourse } from '../support/queue-helpers';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('faults: the API dies between committing a job and enqueueing it (real API and worker processes)', () => {
  let fake: FakeLlmServer;
  let fleet: Fleet | undefined;
  let api: ProductProcess | undefined;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 100 });
  });
  afterAll(async () => {
    api?.kill('SIGKILL');
    await fleet?.close();
    await fake?.close();
  });

  it('FAULT_INJECTION=crash-after-job-commit: the queue request’s connection drops, yet the reconciler enqueues the job and it runs once', async () => {
    fleet = await Fleet.start(fake, { workers: 1 });
    fleet.startProgressMonitor();
    const courses = await fleet.createCourses(3, 2, 'Orphaned');
    // Two courses queued through the healthy (in-process) API …
    const normal = await Promise.all(courses.slice(0, 2).map((c) => queueCourse(fleet!.agent, c)));

    // … and one through a real API process that exits right after the job's row is committed.
    const port = await freePort();
    api = new ProductProcess(API_ENTRY, {
      DATABASE_URL: fleet.app.databaseUrl,
      REDIS_URL: fleet.redisUrl,
      REDIS_PREFIX: fleet.app.config.REDIS_PREFIX,
      START_WORKER: 'false',
      RUN_MIGRATIONS: 'false',
      PORT: String(port),
      ...fakeModelEnv(fake),
      FAULT_INJECTION: 'crash-after-job-commit',
    });
    await api.waitForOutput(/Courseloom API on/);
    const token = (
      await request(`http://127.0.0.1:${port}`)
        .post('/api/auth/login')
        .send({ email: fleet.user.email, password: fleet.user.password })
        .expect(200)
    ).body.access_token as string;

    const sentAt = Date.now();
    const dropped = await request(`http://127.0.0.1:${port}`)
      .post(`${GENERATE}/${courses[2]}/queue`)
      .set('Authorization', `Bearer ${token}`)
      .send({ auto_publish: false })
      .then(
        (res) => `answered ${res.status}`,
        (err: NodeJS.ErrnoException) => err.code ?? err.message,
      );
    expect(dropped).toMatch(/ECONNRESET|socket hang up/);
    expect((await api.waitForExit(10_000)).code).toBe(137);
    expect(api.output).toMatch(
      /FAULT_INJECTION: exiting after committing job [0-9a-f-]{36}, before enqueueing it/,
    );

    // The row was committed (pending, never enqueued by the API) …
    const [orphan] = await fleet.db.query(
      `SELECT id, status, created_at FROM course_generation_jobs WHERE course_id = $1`,
      [courses[2]],
    );
    expect(orphan).toBeDefined();
    const course = await fleet.agent.get(`/api/admin/curriculum/courses/${courses[2]}`).expect(200);
    expect(course.body.status).toBe('generating');

    // … and a reconciler (the worker's or the in-process API's, whichever holds its lock) enqueued it once the
    // grace period for a fresh pending row (3 s) was over.
    const jobs = [...normal, orphan.id as string];
    const statuses = await waitAllTerminal(fleet, jobs, 30_000);
    expect(jobs.map((j) => statuses[j])).toEqual(['completed', 'completed', 'completed']);
    expect(await fleet.shapeProblems(courses)).toEqual([]);
    expect(fleet.progressRegressions()).toEqual([]);
    const [started] = await fleet.db.query(
      `SELECT started_at, created_at FROM course_generation_jobs WHERE id = $1`,
      [orphan.id],
    );
    expect(started.started_at.getTime() - started.created_at.getTime()).toBeGreaterThanOrEqual(2900);
    expect(Date.now() - sentAt).toBeLessThan(20_000);

    // Each step of every job called exactly once: the re-enqueue did not duplicate work.
    const calls = fleet.callsPerStep(jobs);
    expect(calls.size).toBe(3 * (2 + 6));
    expect([...calls.values()].filter((n) => n !== 1)).toEqual([]);
  });
});
