import { AuthedAgent, signIn } from '../support/accounts';
import { FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server';
import { contentCounts, jobLogs, waitAllTerminal } from '../support/fault-checks';
import { Fleet } from '../support/fleet';
import { GENERATE, queueCourse } from '../support/queue-helpers';
import { waitFor } from '../support/wait-for';

const COURSES = 20;
const CANCELLED = 10;
const CLIENTS = 10;

describe('faults: 100 cancels while 20 courses run on 2 worker processes', () => {
  let fake: FakeLlmServer;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 200 });
  });
  afterAll(async () => {
    await fleet?.close();
    await fake?.close();
  });

  it('each of 10 jobs cancelled by 10 clients at once: one 200, nine 409; it stays cancelled, gets no model request and no row after the 200; the other 10 complete', async () => {
    fleet = await Fleet.start(fake, { workers: 2, env: { STEP_CONCURRENCY: '50' } });
    fleet.startProgressMonitor();
    // Colleagues in the same organization, each with its own session.
    const clients: AuthedAgent[] = [fleet.agent];
    for (let i = 1; i < CLIENTS; i++) {
      clients.push((await signIn(fleet.app, { organizationName: fleet.user.organization_name })).agent);
    }
    const courses = await fleet.createCourses(COURSES, 3, 'Storm');
    // The model answers the courses to be cancelled slowly (their calls are aborted by the cancel, so this costs no
    // time), so their cancels find them running with calls in flight: the first half still at their lessons, the
    // second half at their tasks.
    for (const [j, course] of courses.slice(0, CANCELLED).entries()) {
      fake.script({ match: j < CANCELLED / 2 ? { course } : { course, stage: 'tasks' }, latencyMs: 60_000 });
    }
    const jobs = await Promise.all(courses.map((c) => queueCourse(fleet!.agent, c)));
    const doomed = jobs.slice(0, CANCELLED);
    const survivors = jobs.slice(CANCELLED);

    await waitFor(
      () =>
        doomed.every(
          (job, j) =>
            fake.requestsMatching({ job, stage: j < CANCELLED / 2 ? 'lessons' : 'tasks' }).length > 0,
        ),
      { what: 'model calls for every job to be cancelled' },
    );

    const answeredAt = new Map<string, number>();
    const countsAtAnswer = new Map<string, { lessons: number; tasks: number }>();
    const results = await Promise.all(
      doomed.flatMap((jobId, j) =>
        clients.map(async (client) => {
          const res = await client.post(`${GENERATE}/jobs/${jobId}/cancel`);
          if (res.status === 200) {
            answeredAt.set(jobId, Date.now());
            countsAtAnswer.set(jobId, await contentCounts(fleet!.db, courses[j]));
          }
          return { jobId, status: res.status, body: res.body };
        }),
      ),
    );
    expect(results).toHaveLength(CANCELLED * CLIENTS);
    for (const jobId of doomed) {
      const mine = results.filter((r) => r.jobId === jobId);
      // Exactly one client cancelled it; the nine others were told it already is cancelled.
      expect([
        jobId,
        mine.map((r) => `${r.status} ${r.body.message ?? JSON.stringify(r.body)}`).sort(),
      ]).toEqual([
        jobId,
        [
          '200 {"success":true}',
          ...Array(CLIENTS - 1).fill(
            '409 The job is cancelled; only pending, running or paused jobs can be cancelled',
          ),
        ],
      ]);
      for (const r of mine.filter((x) => x.status === 409)) {
        expect(r.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.any(String) });
      }
    }

    // The other ten finish normally; then look at the cancelled ones again.
    const statuses = await waitAllTerminal(fleet, jobs);
    expect(survivors.map((j) => statuses[j])).toEqual(Array(COURSES - CANCELLED).fill('completed'));
    expect(await fleet.shapeProblems(courses.slice(CANCELLED))).toEqual([]);
    expect([...fleet.callsPerStep(survivors).values()].filter((n) => n !== 1)).toEqual([]);
    expect(fleet.progressRegressions()).toEqual([]);

    const again = await fleet.statuses(doomed);
    expect(doomed.map((j) => again[j])).toEqual(Array(CANCELLED).fill('cancelled'));
    for (const [j, jobId] of doomed.entries()) {
      // No model request for it started after its cancel answered (one in flight may have finished) …
      const late = fake.requestsMatching({ job: jobId }).filter((r) => r.at > answeredAt.get(jobId)!);
      expect([jobId, late.length]).toEqual([jobId, 0]);
      // … and nothing was written after it: the course's lessons and tasks are as they were.
      expect([jobId, await contentCounts(fleet.db, courses[j])]).toEqual([jobId, countsAtAnswer.get(jobId)]);
      const logs = await jobLogs(fleet.db, jobId);
      expect(logs.filter((l) => /^Cancelled by /.test(l.message))).toHaveLength(1);
      expect(logs.at(-1)!.message).toMatch(/^Cancelled by /);
    }
    const drafts: { status: string }[] = await fleet.db.query(
      `SELECT status FROM courses WHERE id = ANY($1)`,
      [courses.slice(0, CANCELLED)],
    );
    expect(drafts.map((c) => c.status)).toEqual(Array(CANCELLED).fill('draft'));
  });
});
