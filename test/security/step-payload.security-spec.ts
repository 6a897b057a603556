import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { JobStatus } from '../../contracts/api';
import { QUEUES, stepQueueJobId, StepKind } from '../../server/src/jobs/jobs.constants';
import { AuthedAgent, signIn, TestUser } from '../support/accounts';
import { courseRow, courseSpec, createCourse } from '../support/curriculum-builders';
import { contentCounts, countEveryTable, jobLogs } from '../support/fault-checks';
import { jobDetail, queueCourse, waitForJob } from '../support/queue-helpers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * A step job's payload names a job and an item. Anyone who can add a job to the steps queue (an operator in Bull
 * Board with BULL_BOARD_READ_ONLY=false, anything with Redis access) can craft one, so a step trusts only the job
 * id: its item is looked up within that job's own course. See docs/queue.md, "Steps trust nothing".
 *
 * What happens to a crafted step whose item is another organization's: it writes nothing, the job it names fails
 * with a readable error (error_message and an error log line), and the step itself fails in BullMQ without a retry
 * (its failedReason and its BullMQ log say why).
 */

/** Long enough that org A's own steps are still running when the crafted step arrives. */
const MODEL_LATENCY_MS = 2500;
const REFUSED =
  /^Refused a (lessons|tasks) step: the (project|lesson) [0-9a-f-]{36} is not part of this job's course$/;

describe('step payloads: a step trusts nothing in its payload but the job id', () => {
  let app: TestApp;
  let db: DataSource;
  let steps: Queue;
  let orgA: { user: TestUser; agent: AuthedAgent };
  let orgB: { user: TestUser; agent: AuthedAgent };

  beforeAll(async () => {
    app = await startTestApp({
      env: { START_WORKER: 'true', SAMPLE_LATENCY_MS: String(MODEL_LATENCY_MS), STEP_BACKOFF_MS: '10' },
    });
    db = app.app.get(DataSource);
    steps = app.app.get<Queue>(getQueueToken(QUEUES.steps));
    orgA = await signIn(app, { organizationName: 'Org A' });
    orgB = await signIn(app, { organizationName: 'Org B' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const idsOf = async (sql: string, courseId: string): Promise<string[]> =>
    ((await db.query(sql, [courseId])) as { id: string }[]).map((r) => r.id);
  const projectsOf = (courseId: string) =>
    idsOf(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`, courseId);
  const lessonsOf = (courseId: string) =>
    idsOf(
      `SELECT l.id FROM lessons l JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1
       ORDER BY p.position, l.position`,
      courseId,
    );

  const waitForStatus = (jobId: string, status: JobStatus) =>
    waitFor(async () => (await jobDetail(orgA.agent, jobId)).job.status === status, {
      what: `job ${jobId} to be ${status}`,
    });

  const finished = async (job: Job): Promise<string> =>
    waitFor(
      async () => {
        const state = await job.getState();
        return state === 'completed' || state === 'failed' ? state : null;
      },
      { what: `step ${job.id} to finish` },
    );

  /** Adds a step the way an attacker with the real Queue (or Bull Board's "add job") would. */
  const craft = (data: Record<string, unknown>, kind = 'lessons'): Promise<Job> =>
    steps.add(kind, data, { attempts: 4, backoff: { type: 'fixed', delay: 10 } });

  describe.each<{ kind: StepKind; phase: JobStatus; what: string }>([
    { kind: 'lessons', phase: 'generating_lessons', what: 'project' },
    { kind: 'tasks', phase: 'generating_tasks', what: 'lesson' },
  ])('when a crafted $kind step names org A’s running job and an empty $what of org B', ({ kind, phase }) => {
    let jobA: string;
    let courseA: string;
    let courseB: string;
    let foreignItem: string;
    let ownItem: string;
    let crafted: Job;
    let tablesBefore: Record<string, number>;

    beforeAll(async () => {
      // A's course is still missing the kind under test, so its job sits in that phase while its own steps run.
      courseA = await createCourse(
        app,
        orgA.user,
        courseSpec(kind === 'lessons' ? { projects: 1, lessons: 0 } : { projects: 1, lessons: 1, tasks: 0 }),
      );
      courseB = await createCourse(app, orgB.user, {
        ...courseSpec(
          kind === 'lessons' ? { projects: 2, lessons: 0 } : { projects: 2, lessons: 2, tasks: 0 },
        ),
        title: 'Org B private course',
      });
      foreignItem = (kind === 'lessons' ? await projectsOf(courseB) : await lessonsOf(courseB))[0];
      ownItem = (kind === 'lessons' ? await projectsOf(courseA) : await lessonsOf(courseA))[0];
      jobA = await queueCourse(orgA.agent, courseA);
      await waitForStatus(jobA, phase);
      tablesBefore = await countEveryTable(db);

      crafted = await craft({ job_id: jobA, retry: 0, kind, item_id: foreignItem }, kind);
      await finished(crafted);
    });

    it('writes nothing into org B: its rows, its course and every table’s row count are unchanged', async () => {
      expect(await contentCounts(db, courseB)).toEqual(
        kind === 'lessons' ? { lessons: 0, tasks: 0 } : { lessons: 4, tasks: 0 },
      );
      expect((await courseRow(app, courseB))?.status).toBe('draft');
      // A's own step is still running when the crafted one is refused: wait for it, then count every table.
      const own = await steps.getJob(stepQueueJobId({ job_id: jobA, retry: 0, kind, item_id: ownItem }));
      if (own) await finished(own);
      const after = await countEveryTable(db);
      // A's own step was in flight when the refusal failed the job: its paid result is still written, into A's
      // course only (docs/queue.md, "A failed job keeps what it paid for").
      const inA = await contentCounts(db, courseA);
      const grown: Record<string, number> = {
        lessons: kind === 'lessons' ? inA.lessons : 0,
        tasks: kind === 'tasks' ? inA.tasks : 0,
      };
      for (const table of ['organizations', 'users', 'courses', 'course_projects', 'lessons', 'tasks'])
        expect({ table, rows: after[table] }).toEqual({
          table,
          rows: tablesBefore[table] + (grown[table] ?? 0),
        });
    });

    it('fails org A’s job visibly: status failed, a readable error_message and an error line in its log', async () => {
      const failed = await waitForJob(orgA.agent, jobA, 'failed');
      expect(failed.job.failed_step).toBe(kind);
      expect(failed.job.error_message).toMatch(REFUSED);
      expect(failed.job.error_message).toContain(foreignItem);
      const refusal = failed.logs.find((l) => l.level === 'error' && REFUSED.test(l.message));
      expect(refusal).toBeDefined();
      // Nothing of org B's reached A's log: not its course's title, not its item's title.
      const log = JSON.stringify(await jobLogs(db, jobA));
      expect(log).not.toContain('Org B private course');
      expect((await courseRow(app, courseA))?.status).toBe('draft');
    });

    it('fails the crafted step in BullMQ at its first attempt, with the reason in its failedReason and its log', async () => {
      const step = (await steps.getJob(crafted.id!))!;
      expect(await step.getState()).toBe('failed');
      expect(step.attemptsMade).toBe(1); // unrecoverable: no retry
      expect(step.failedReason).toMatch(REFUSED);
      const { logs } = await steps.getJobLogs(crafted.id!);
      expect(logs.some((l) => REFUSED.test(l))).toBe(true);
    });
  });

  describe('when a crafted step names a job that does not exist', () => {
    it('writes nothing and touches no job: the step completes as skipped', async () => {
      const courseB = await createCourse(app, orgB.user, courseSpec({ projects: 1, lessons: 0 }));
      const [project] = await projectsOf(courseB);
      const before = await countEveryTable(db);
      const step = await craft({ job_id: randomUUID(), retry: 0, kind: 'lessons', item_id: project });
      expect(await finished(step)).toBe('completed');
      expect((await steps.getJob(step.id!))!.returnvalue).toBe('skipped');
      expect(await countEveryTable(db)).toEqual(before);
      expect(await contentCounts(db, courseB)).toEqual({ lessons: 0, tasks: 0 });
    });
  });

  describe('when a crafted step is malformed (unknown kind, ids that are not ids, no retry)', () => {
    it.each([
      [{ job_id: randomUUID(), retry: 0, kind: 'drop_tables', item_id: randomUUID() }, /kind must be one of/],
      [{ job_id: "x' OR 1=1 --", retry: 0, kind: 'lessons', item_id: randomUUID() }, /job_id must be/],
      [{ job_id: randomUUID(), retry: 0, kind: 'tasks', item_id: 42 }, /item_id must be/],
      [{ job_id: randomUUID(), kind: 'lessons', item_id: randomUUID() }, /retry must be/],
    ])('refuses %j at once, writing nothing', async (data, reason) => {
      const before = await countEveryTable(db);
      const step = await craft(data);
      expect(await finished(step)).toBe('failed');
      const failed = (await steps.getJob(step.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/^Refused a malformed step: /);
      expect(failed.failedReason).toMatch(reason);
      expect(await countEveryTable(db)).toEqual(before);
    });
  });
});
