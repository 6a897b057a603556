import type { CourseSpec } from '../support/curriculum-builders';
import { courseSpec, createCourse } from '../support/curriculum-builders';
import { contentIds, GENERATE, queueCourse } from '../support/queue-helpers';
import { FakeLlmRule, FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server';
import { finishedSteps, jobLogs, waitAllTerminal } from '../support/fault-checks';
import { Fleet } from '../support/fleet';

const LLM_TIMEOUT_MS = 500;

/** An approved outline: `projects` projects without lessons. */
const outline = (projects: number, title: string): CourseSpec => ({
  ...courseSpec({ projects, lessons: 0, title }),
  topic: title,
});

describe('faults: the model misbehaves (real worker process, PostgreSQL, Redis, the fake model server)', () => {
  let fake: FakeLlmServer;
  let fleet: Fleet;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 100 });
    fleet = await Fleet.start(fake, {
      workers: 1,
      env: { LLM_TIMEOUT_MS: String(LLM_TIMEOUT_MS), STEP_CONCURRENCY: '8' },
    });
  });
  afterAll(async () => {
    await fleet?.close();
    await fake?.close();
  });

  const projectIds = async (courseId: string): Promise<string[]> =>
    (
      await fleet.db.query(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`, [
        courseId,
      ])
    ).map((r: { id: string }) => r.id);

  it('429 with Retry-After, 500s, a timeout, invalid JSON and schema violations are retried, logged, and the courses complete', async () => {
    fleet.startProgressMonitor();
    const cases: { name: string; rule: Omit<FakeLlmRule, 'match'>; failures: number; reason: RegExp }[] = [
      {
        name: 'rate limited',
        rule: { status: 429, retryAfterSeconds: 1, latencyMs: 0, times: 1 },
        failures: 1,
        reason: /rate limited \(HTTP 429\); retry after 1 s/,
      },
      { name: 'server errors', rule: { status: 500, times: 2 }, failures: 2, reason: /HTTP 500/ },
      {
        name: 'timed out',
        rule: { hang: true, times: 1 },
        failures: 1,
        reason: new RegExp(`no answer within ${LLM_TIMEOUT_MS} ms`),
      },
      {
        name: 'invalid JSON',
        rule: { malformedJson: true, times: 2 },
        failures: 2,
        reason: /invalid output/,
      },
      {
        name: 'schema violations',
        rule: { schemaViolation: true, times: 3 },
        failures: 3,
        reason: /invalid output/,
      },
    ];
    const runs = [];
    for (const c of cases) {
      const courseId = await createCourse(fleet.app, fleet.user, outline(2, `Model fault: ${c.name}`));
      const [p1] = await projectIds(courseId);
      const step = `lessons:${p1}`;
      fake.script({ ...c.rule, match: { step } });
      runs.push({ ...c, courseId, step });
    }
    const jobs = await Promise.all(runs.map((r) => queueCourse(fleet.agent, r.courseId)));

    const statuses = await waitAllTerminal(fleet, jobs);
    expect(jobs.map((j) => statuses[j])).toEqual(Array(cases.length).fill('completed'));
    expect(
      await fleet.shapeProblems(
        runs.map((r) => r.courseId),
        3,
        3,
      ),
    ).toEqual([]);
    expect(fleet.progressRegressions()).toEqual([]);

    for (const [i, run] of runs.entries()) {
      const calls = fleet.callsPerStep([jobs[i]]);
      // The faulted step: once per failure, then once more; every other step once.
      expect([run.name, calls.get(run.step)]).toEqual([run.name, run.failures + 1]);
      expect([...calls].filter(([s, n]) => s !== run.step && n !== 1)).toEqual([]);
      expect(calls.size).toBe(2 + 6);

      const logs = await jobLogs(fleet.db, jobs[i]);
      const warnings = logs.filter((l) => l.level === 'warning').map((l) => l.message);
      expect([run.name, warnings]).toEqual([
        run.name,
        Array.from({ length: run.failures }, (_, n) =>
          expect.stringMatching(
            new RegExp(`^Attempt ${n + 1}/4 failed for lessons of "Project 1": .*retrying in \\d+\\.\\d s$`),
          ),
        ),
      ]);
      expect(warnings.every((w) => run.reason.test(w))).toBe(true);
      expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    }

    // 429: no call for that step before the Retry-After wait ended.
    const [limited, limitedRetry] = fake.requestsMatching({ step: runs[0].step });
    expect(limited.status).toBe(429);
    expect(limitedRetry.at - limited.at).toBeGreaterThanOrEqual(1000);
    const limitedLogs = await jobLogs(fleet.db, jobs[0]);
    expect(limitedLogs.find((l) => l.level === 'warning')?.message).toMatch(/retrying in 1\.0 s$/);
    // Timeout: the client gave up on the hanging call (the fake saw the connection close) and asked again later.
    const [hung, afterHang] = fake.requestsMatching({ step: runs[2].step });
    expect(hung.closedEarly).toBe(true);
    // (`at` is taken once the body has arrived, a few ms after the worker's clock for the timeout started.)
    expect(afterHang.at - hung.at).toBeGreaterThanOrEqual(LLM_TIMEOUT_MS - 50);
  });

  it('after the last attempt the job fails at its step (lessons, or tasks); retry resumes it, keeps every id written, and calls no written step again', async () => {
    fake.reset();
    fleet.startProgressMonitor();
    // A: the lessons of project 2 fail on every attempt.
    const courseA = await createCourse(fleet.app, fleet.user, outline(3, 'Fails at lessons'));
    const [, a2] = await projectIds(courseA);
    fake.script({ match: { step: `lessons:${a2}` }, status: 500, times: 4 });
    // B: project 1 already has its lessons (no tasks); the tasks of its lesson 2 break the schema every time.
    const courseB = await createCourse(fleet.app, fleet.user, {
      title: 'Fails at tasks',
      topic: 'tasks',
      projects: [
        {
          title: 'Project 1',
          lessons: [1, 2, 3].map((l) => ({ title: `Lesson 1.${l}`, tasks: [] })),
        },
        { title: 'Project 2' },
      ],
    });
    const b12: string = (
      await fleet.db.query(
        `SELECT l.id FROM lessons l JOIN course_projects p ON p.id = l.project_id
         WHERE p.course_id = $1 AND p.position = 0 ORDER BY l.position`,
        [courseB],
      )
    )[1].id;
    fake.script({ match: { step: `tasks:${b12}` }, schemaViolation: true, times: 4 });

    const preexisting = await finishedSteps(fleet.db, [courseA, courseB]); // project 1 of B: its lessons
    expect(preexisting).toHaveLength(1);
    const jobA = await queueCourse(fleet.agent, courseA);
    const jobB = await queueCourse(fleet.agent, courseB);
    const statuses = await waitAllTerminal(fleet, [jobA, jobB]);
    expect([statuses[jobA], statuses[jobB]]).toEqual(['failed', 'failed']);

    const failed: {
      id: string;
      failed_step: string;
      error_message: string;
      completed_at: Date | null;
    }[] = await fleet.db.query(
      `SELECT id, failed_step, error_message, completed_at FROM course_generation_jobs WHERE id = ANY($1)`,
      [[jobA, jobB]],
    );
    const byId = Object.fromEntries(failed.map((f) => [f.id, f]));
    expect(byId[jobA]).toMatchObject({
      failed_step: 'lessons',
      error_message: expect.stringMatching(/^Could not generate the lessons of "Project 2": .*HTTP 500/),
    });
    expect(byId[jobB]).toMatchObject({
      failed_step: 'tasks',
      error_message: expect.stringMatching(
        /^Could not generate the tasks of "Lesson 1\.2": .*invalid output: tasks\.0\.title/,
      ),
    });
    for (const [job, what] of [
      [jobA, 'lessons of "Project 2"'],
      [jobB, 'tasks of "Lesson 1.2"'],
    ]) {
      const logs = await jobLogs(fleet.db, job);
      expect(logs.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual(
        [1, 2, 3].map((n) => expect.stringMatching(`^Attempt ${n}/4 failed for ${literal(what)}: `)),
      );
      expect(logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
        expect.stringMatching(`^Failed to generate ${literal(what)} after 4 attempts: `),
      ]);
    }
    for (const c of [courseA, courseB]) {
      const course = await fleet.agent.get(`/api/admin/curriculum/courses/${c}`).expect(200);
      expect(course.body.status).toBe('draft');
    }

    // What was written before the failure, and which steps wrote it.
    const beforeA = await contentIds(fleet.app, courseA);
    const beforeB = await contentIds(fleet.app, courseB);
    const writtenBefore = (await finishedSteps(fleet.db, [courseA, courseB])).filter(
      (s) => !preexisting.includes(s),
    );
    expect(Object.keys(beforeA.lessons)).not.toContain(a2);
    expect(Object.keys(beforeA.lessons)).toHaveLength(2);
    expect(Object.keys(beforeB.tasks)).not.toContain(b12);
    expect(Object.keys(beforeB.lessons)).toHaveLength(2); // project 2's lessons were written before the tasks

    await fleet.agent.post(`${GENERATE}/jobs/${jobA}/retry`).expect(200, { success: true });
    await fleet.agent.post(`${GENERATE}/jobs/${jobB}/retry`).expect(200, { success: true });
    const after = await waitAllTerminal(fleet, [jobA, jobB]);
    expect([after[jobA], after[jobB]]).toEqual(['completed', 'completed']);
    expect(await fleet.shapeProblems([courseA, courseB])).toEqual([]);
    expect(fleet.progressRegressions()).toEqual([]);

    const afterA = await contentIds(fleet.app, courseA);
    const afterB = await contentIds(fleet.app, courseB);
    for (const [before, now] of [
      [beforeA, afterA],
      [beforeB, afterB],
    ]) {
      for (const [project, ids] of Object.entries(before.lessons)) expect(now.lessons[project]).toEqual(ids);
      for (const [lesson, ids] of Object.entries(before.tasks)) expect(now.tasks[lesson]).toEqual(ids);
    }
    const calls = fleet.callsPerStep([jobA, jobB]);
    expect(writtenBefore.filter((s) => calls.get(s) !== 1)).toEqual([]);
    expect(calls.get(preexisting[0])).toBeUndefined();
    expect(calls.get(`lessons:${a2}`)).toBe(5);
    expect(calls.get(`tasks:${b12}`)).toBe(5);
    expect((await jobLogs(fleet.db, jobA)).map((l) => l.message)).toContain(
      'Resuming course generation (retry #1) at lessons',
    );
    expect((await jobLogs(fleet.db, jobB)).map((l) => l.message)).toContain(
      'Resuming course generation (retry #1) at tasks',
    );
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
