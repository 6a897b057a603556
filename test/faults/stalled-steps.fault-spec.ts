import { Redis } from 'ioredis';
import { Reconciler } from '../../server/src/jobs/engine/reconciler';
import { redisKey } from '../../server/src/redis/redis-keys';
import { FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server';
import { jobLogs } from '../support/fault-checks';
import { Fleet } from '../support/fleet';
import { queueCourse, waitForJob } from '../support/queue-helpers';
import { waitFor } from '../support/wait-for';

describe('faults: a step that keeps killing its worker (real worker processes, PostgreSQL, Redis, the fake model server)', () => {
  let fake: FakeLlmServer;
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    fake = await startFakeLlmServer({ latencyMs: 100 });
  });
  afterAll(async () => {
    await fleet?.close();
    await fake?.close();
  });

  describe('when BullMQ fails the step itself (stalled more than STEP_MAX_STALLED times)', () => {
    it('the job fails in PostgreSQL once, the course returns to draft, the step row is failed, and the reconciler does not bring it back', async () => {
      // One stall is forgiven, the second fails the step: two killed workers.
      fleet = await Fleet.start(fake, { workers: 1, env: { STEP_MAX_STALLED: '1' } });
      // One project: its step is the only one running whenever a worker is killed.
      const [course] = await fleet.createCourses(1, 1, 'Stalling');
      const [p1] = (
        await fleet.db.query(`SELECT id FROM course_projects WHERE course_id = $1 ORDER BY position`, [
          course,
        ])
      ).map((r: { id: string }) => r.id);
      // The model call of project 1 never answers: the worker running it is "stuck" until it is killed.
      fake.script({ match: { step: `lessons:${p1}` }, hang: true });
      const jobId = await queueCourse(fleet.agent, course);

      for (let kill = 1; kill <= 2; kill++) {
        await waitFor(() => fake.requestsMatching({ step: `lessons:${p1}` }).length === kill, {
          timeoutMs: 20_000,
          what: `worker ${kill} to call the model for project 1`,
        });
        const victim = fleet.workers.at(-1)!;
        victim.kill('SIGKILL');
        await victim.waitForExit(5000);
        await fleet.addWorker(); // its stalled checker finds the dead worker's step
      }

      const { job, logs } = await waitForJob(fleet.agent, jobId, 'failed', 30_000);
      const message =
        'The lessons step of "Project 1" failed: it stalled more than 1 time (its worker kept stopping)';
      expect(job).toMatchObject({ status: 'failed', failed_step: 'lessons', error_message: message });
      expect(logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([message]);
      expect((await fleet.agent.get(`/api/admin/curriculum/courses/${course}`).expect(200)).body.status).toBe(
        'draft',
      );
      const [step] = await fleet.db.query(
        `SELECT status, error_kind, error_message FROM generation_steps
         WHERE job_id = $1 AND run = 0 AND kind = 'lessons' AND item_id = $2`,
        [jobId, p1],
      );
      expect(step).toEqual({ status: 'failed', error_kind: 'stalled', error_message: message });

      // Reconciler rounds (its lock cleared so each one runs now) leave the failed job alone.
      const redis = new Redis(fleet.redisUrl);
      try {
        for (let round = 0; round < 2; round++) {
          await redis.del(redisKey(fleet.app.config, 'reconciler-lock'));
          expect(await fleet.app.app.get(Reconciler).reconcile()).toBe(0);
        }
      } finally {
        await redis.quit();
      }
      expect((await fleet.statuses([jobId]))[jobId]).toBe('failed');
      expect((await jobLogs(fleet.db, jobId)).filter((l) => l.level === 'error')).toHaveLength(1);
      // The step was not run a third time: BullMQ failed it without calling the model.
      expect(fake.requestsMatching({ step: `lessons:${p1}` })).toHaveLength(2);
      // The surviving worker is fine.
      expect(fleet.workers.at(-1)!.exit).toBeUndefined();
    });
  });
});
