import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { authedAgent, createUser, login } from '../support/accounts';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { API_ENTRY, ProductProcess, WORKER_ENTRY } from '../support/processes';
import { GENERATE, waitForJob } from '../support/queue-helpers';
import { freePort } from '../support/redis-server';
import { startTestApp, uniqueRedisPrefix } from '../support/test-app';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { testRedisUrl } from '../support/test-env';
import { waitFor } from '../support/wait-for';

/** One JSON log line as the product writes it (LOG_FORMAT=json), with the fields of docs/queue.md. */
interface LogLine {
  msg?: string;
  pid: number;
  req_id?: string;
  job_id?: string;
  job_type?: string;
  course_id?: string;
  step_kind?: string;
  step_id?: string;
  item_id?: string;
  req?: { url?: string };
}

/** Every JSON line a process printed (Node's own warnings, if any, are not JSON and are left out). */
const jsonLines = (p: ProductProcess): LogLine[] =>
  p.output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

const PROJECTS = 4;

interface Followed {
  databaseUrl: string;
  courseId: string;
  jobId: string;
  /** The x-request-id the client sent with the request that queued the course. */
  reqId: string;
}

/**
 * A fresh database with one user and one approved outline, the given product processes started on it (they print
 * `Courseloom API on` / `Workers started`), and the course queued through the API with its own request id and
 * followed until completed and its last lines written. The user and course are written through the product's code
 * in an in-process app that is closed before the processes start: only the processes touch the job, so their
 * output holds every line about it.
 */
async function queueOneCourse(
  start: (env: Record<string, string>, port: number) => ProductProcess[],
  processes: ProductProcess[],
): Promise<Followed> {
  const databaseUrl = await createSuiteDatabase();
  const setup = await startTestApp({ databaseUrl });
  const user = await createUser(setup);
  const courseId = await createCourse(setup, user, {
    ...courseSpec({ projects: PROJECTS, lessons: 0 }),
    title: 'Followed course',
  });
  await setup.close();

  const port = await freePort();
  const started = start(
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniqueRedisPrefix(),
      LLM_PROVIDER: 'sample',
      SAMPLE_LATENCY_MS: '100',
      SAMPLE_FAILURE_RATE: '0',
      LOG_LEVEL: 'info', // the default level is enough to follow a job
    },
    port,
  );
  processes.push(...started);
  await Promise.all(started.map((p) => p.waitForOutput(/Courseloom API on|Workers started/)));

  const baseUrl = `http://127.0.0.1:${port}`;
  const session = await login({ baseUrl }, user.email, user.password);
  const reqId = `follow-${randomBytes(6).toString('hex')}`;
  const queued = await request(baseUrl)
    .post(`${GENERATE}/${courseId}/queue`)
    .set('Authorization', `Bearer ${session.token}`)
    .set('x-request-id', reqId)
    .send({ auto_publish: false })
    .expect(201);
  expect(queued.headers['x-request-id']).toBe(reqId);
  const jobId = queued.body.job_id as string;
  await waitForJob(authedAgent({ baseUrl }, session.token), jobId, 'completed', 60_000);

  // pino writes asynchronously: wait for the first and last lines of the job to be out.
  for (const line of [`Queued job ${jobId}`, `Job ${jobId} (course_generation) completed`]) {
    await waitFor(() => started.some((p) => p.output.includes(line)), { what: `the line "${line}"` });
  }
  return { databaseUrl, courseId, jobId, reqId };
}

const stopAll = async (processes: ProductProcess[], databaseUrl?: string): Promise<void> => {
  for (const p of processes) p.kill();
  await Promise.all(processes.map((p) => p.waitForExit().catch(() => undefined)));
  if (databaseUrl) await dropSuiteDatabase(databaseUrl);
};

describe('logs that tie together: one queued course followed by its job id across the API and two workers', () => {
  const processes: ProductProcess[] = [];
  let followed: Followed | undefined;
  let courseId: string;
  let jobId: string;
  let reqId: string;
  let apiLines: LogLine[];
  let workerLines: LogLine[][];

  beforeAll(async () => {
    let api!: ProductProcess;
    let workers!: ProductProcess[];
    followed = await queueOneCourse((env, port) => {
      api = new ProductProcess(API_ENTRY, { ...env, START_WORKER: 'false', PORT: String(port) });
      // One step at a time each: the phase's steps wait in the queue and both workers take some.
      workers = [0, 1].map(() => new ProductProcess(WORKER_ENTRY, { ...env, STEP_CONCURRENCY: '1' }));
      return [api, ...workers];
    }, processes);
    ({ courseId, jobId, reqId } = followed);
    apiLines = jsonLines(api);
    workerLines = workers.map(jsonLines);
  }, 120_000);

  afterAll(() => stopAll(processes, followed?.databaseUrl));

  describe('in the API (START_WORKER=false)', () => {
    it('the line that queued the job carries the request id of the request and the job id, type and course', () => {
      const queuedLine = apiLines.find((l) => l.msg === `Queued job ${jobId}`);
      expect(queuedLine).toMatchObject({
        req_id: reqId,
        job_id: jobId,
        job_type: 'course_generation',
        course_id: courseId,
      });
    });

    it("the request's HTTP line carries the same request id, under the same name", () => {
      const httpLine = apiLines.find((l) => l.msg === 'request completed' && l.req?.url?.endsWith('/queue'));
      expect(httpLine).toMatchObject({ req_id: reqId });
    });

    it('every line with that request id belongs to that request (no other request shares it)', () => {
      const ofRequest = apiLines.filter((l) => l.req_id === reqId);
      expect(ofRequest.length).toBeGreaterThanOrEqual(2);
      for (const line of ofRequest) {
        if (line.req?.url) expect(line.req.url).toBe(`${GENERATE}/${courseId}/queue`);
      }
    });
  });

  describe('in the two workers', () => {
    it('both ran steps of the job, each step line naming the job, its type, its course and the step', () => {
      for (const lines of workerLines) {
        const steps = lines.filter((l) => l.job_id === jobId && l.msg?.startsWith('Step '));
        expect(steps.length).toBeGreaterThan(0);
        for (const line of steps) {
          expect(line).toMatchObject({
            job_id: jobId,
            job_type: 'course_generation',
            course_id: courseId,
            step_kind: expect.stringMatching(/^(lessons|tasks)$/),
            step_id: expect.stringContaining(jobId),
            item_id: expect.any(String),
          });
          expect(line.msg).toBe(`Step ${line.step_id} written`);
        }
      }
    });

    it('every line of the job carries its job id, type and course, and no request id', () => {
      const ofJob = workerLines.flat().filter((l) => l.job_id === jobId);
      expect(ofJob.length).toBeGreaterThan(PROJECTS);
      for (const line of ofJob) {
        expect(line).toMatchObject({ job_type: 'course_generation', course_id: courseId });
        expect(line).not.toHaveProperty('req_id');
      }
    });
  });

  describe('across the three processes', () => {
    it('no line that mentions the job lacks its job id', () => {
      const all = [...apiLines, ...workerLines.flat()];
      const mentioning = all.filter((l) => l.msg?.includes(jobId));
      expect(mentioning.length).toBeGreaterThan(0);
      for (const line of mentioning)
        expect({ msg: line.msg, job_id: line.job_id }).toEqual({ msg: line.msg, job_id: jobId });
    });

    it('the job is followed by its job id alone: queued in the API, started, its steps on both workers, completed', () => {
      const ofJob = (lines: LogLine[]): string[] =>
        lines.filter((l) => l.job_id === jobId).map((l) => l.msg ?? '');
      const apiMessages = ofJob(apiLines);
      const workerMessages = workerLines.map(ofJob);
      expect(apiMessages).toContain(`Queued job ${jobId}`);
      expect(workerMessages.flat()).toContain(`Job ${jobId} (course_generation) started`);
      expect(workerMessages.flat()).toContain(`Job ${jobId} (course_generation) completed`);
      for (const messages of workerMessages) expect(messages.some((m) => m.startsWith('Step '))).toBe(true);
      const pids = new Set(
        [...apiLines, ...workerLines.flat()].filter((l) => l.job_id === jobId).map((l) => l.pid),
      );
      expect(pids.size).toBe(3);
    });
  });
});

describe('logs that tie together in the API with its in-process worker (START_WORKER=true)', () => {
  const processes: ProductProcess[] = [];
  let followed: Followed | undefined;
  let lines: LogLine[];

  beforeAll(async () => {
    followed = await queueOneCourse(
      (env, port) => [new ProductProcess(API_ENTRY, { ...env, START_WORKER: 'true', PORT: String(port) })],
      processes,
    );
    lines = jsonLines(processes[0]);
  }, 120_000);

  afterAll(() => stopAll(processes, followed?.databaseUrl));

  it("the request's lines carry its request id and the job id once queued; the job's own lines, the job's fields only", () => {
    const { jobId, reqId, courseId } = followed!;
    expect(lines.find((l) => l.msg === `Queued job ${jobId}`)).toMatchObject({
      req_id: reqId,
      job_id: jobId,
    });
    // The worker in the same process runs the job in the job's context, never in the request that queued it.
    const worked = lines.filter((l) => l.job_id === jobId && l.msg !== `Queued job ${jobId}`);
    expect(worked.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        `Job ${jobId} (course_generation) started`,
        `Job ${jobId} (course_generation) completed`,
      ]),
    );
    expect(worked.filter((l) => l.step_kind).length).toBeGreaterThanOrEqual(PROJECTS);
    for (const line of worked) {
      expect(line).toMatchObject({ job_type: 'course_generation', course_id: courseId });
      expect(line).not.toHaveProperty('req_id');
    }
    for (const line of lines.filter((l) => l.msg?.includes(jobId))) expect(line.job_id).toBe(jobId);
  });
});
