import { FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server';
import { finishedSteps, jobLogs, waitAllTerminal } from '../support/fault-checks';
import { Fleet } from '../support/fleet';
import { queueCourse } from '../support/queue-helpers';
import { withAdminClient } from '../support/test-database';
import { databaseName } from '../support/test-env';
import { waitFor } from '../support/wait-for';

describe('faults: PostgreSQL drops the connections (real worker processes, PostgreSQL, Redis, the fake model server)', () => {
  let fake: FakeLlmServer;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 150 });
  });
  afterAll(async () => {
    await fleet?.close();
    await fake?.close();
  });

  it('every connection of the API and the workers terminated again and again for a few seconds: all courses complete, each item once', async () => {
    fleet = await Fleet.start(fake, { workers: 2, env: { STEP_CONCURRENCY: '4' } });
    fleet.startProgressMonitor();
    const courses = await fleet.createCourses(6, 3, 'Disconnected');
    const jobs = await Promise.all(courses.map((c) => queueCourse(fleet!.agent, c)));
    await waitFor(async () => (await finishedSteps(fleet!.db, courses)).length >= 4, {
      what: 'some steps done',
    });
    const doneBefore = await finishedSteps(fleet.db, courses);

    // From an admin connection (to another database): every other backend of the suite database, over and over.
    const suiteDb = databaseName(fleet.app.databaseUrl);
    const terminated = await withAdminClient(async (admin) => {
      let total = 0;
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [suiteDb],
        );
        total += rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 150));
      }
      return total;
    });
    expect(terminated).toBeGreaterThan(10);

    const statuses = await waitAllTerminal(fleet, jobs);
    expect(jobs.map((j) => statuses[j])).toEqual(Array(6).fill('completed'));
    expect(await fleet.shapeProblems(courses)).toEqual([]);
    expect(fleet.progressRegressions()).toEqual([]);

    const calls = fleet.callsPerStep(jobs);
    expect(calls.size).toBe(6 * (3 + 9));
    // A step that had written its items before the storm was never asked for again. (One whose write was cut off
    // may have asked again: the model call is repeated, the rows are written once.)
    expect(doneBefore.filter((s) => calls.get(s) !== 1)).toEqual([]);
    // A dropped connection is not the model's fault: it spends none of a step's attempts.
    for (const job of jobs) {
      const logs = await jobLogs(fleet.db, job);
      expect(logs.filter((l) => /^Attempt \d+\/\d+ failed/.test(l.message))).toEqual([]);
    }
    // The workers survived it.
    expect(fleet.workers.map((w) => w.exit)).toEqual([undefined, undefined]);
  });
});
