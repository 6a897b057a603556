import { Logger } from '@nestjs/common';
import { DelayedError, Job, WaitingChildrenError } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import type { JobRow, JobStore } from './job-store';
import type { CourseGenerationPayload } from '../jobs.constants';
import type { JobOrchestrator } from './orchestrator';
import { COURSE_JOB_ATTEMPTS } from './job-queue';
import { JobRunner } from './job-runner';

/** PostgreSQL terminating the connection (pg_terminate_backend), as the driver reports it. */
const pgOutage = (): Error =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

/**
 * BullMQ's side of one course job, reduced to what the handler touches: its attempts, moveToDelayed (which keeps
 * attemptsMade) and a failed run that spends one attempt.
 */
function fakeBullJob() {
  const job = {
    id: 'job-1',
    data: { job_id: 'job-1', retry: 0 } as CourseGenerationPayload,
    opts: { attempts: COURSE_JOB_ATTEMPTS },
    attemptsMade: 0,
    moveToDelayed: jest.fn(async () => undefined),
  };
  /** Runs the handler as the worker would; returns how the run ended. */
  const run = async (handler: JobRunner): Promise<'delayed' | 'failed' | 'done' | 'waiting'> => {
    try {
      await handler.process(job as unknown as Job<CourseGenerationPayload>, 'lock-token');
      return 'done';
    } catch (err) {
      if (err instanceof DelayedError) return 'delayed';
      if (err instanceof WaitingChildrenError) return 'waiting';
      job.attemptsMade += 1; // a failed run spends an attempt
      return 'failed';
    }
  };
  return { job, run };
}

function handlerWith(advance: () => Promise<'done' | 'waiting-for-steps'>) {
  const row = { id: 'job-1', status: 'generating_lessons', course_id: 'course-1' } as JobRow;
  const store = {
    lockRun: jest.fn(async () => row),
    failJobAndRelease: jest.fn(async () => row),
  };
  const db = {
    transaction: async <T>(work: (m: EntityManager) => Promise<T>) => work({} as EntityManager),
  };
  const handler = new JobRunner(
    db as unknown as DataSource,
    { advance } as unknown as JobOrchestrator,
    store as unknown as JobStore,
  );
  return { handler, store };
}

describe('JobRunner', () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  describe('when the course job keeps hitting PostgreSQL trouble (an outage longer than its attempts)', () => {
    it('puts itself back without spending an attempt, and never fails the job', async () => {
      const { handler, store } = handlerWith(async () => {
        throw pgOutage();
      });
      const { job, run } = fakeBullJob();
      const outcomes: string[] = [];
      for (let i = 0; i < COURSE_JOB_ATTEMPTS * 3; i++) outcomes.push(await run(handler));

      expect(outcomes).toEqual(Array(COURSE_JOB_ATTEMPTS * 3).fill('delayed'));
      expect(job.attemptsMade).toBe(0);
      expect(job.moveToDelayed).toHaveBeenCalledTimes(COURSE_JOB_ATTEMPTS * 3);
      expect(job.moveToDelayed).toHaveBeenCalledWith(expect.any(Number), 'lock-token');
      expect(store.failJobAndRelease).not.toHaveBeenCalled();
    });

    it('resumes once the outage is over', async () => {
      let outage = COURSE_JOB_ATTEMPTS + 2;
      const { handler, store } = handlerWith(async () => {
        if (outage-- > 0) throw pgOutage();
        return 'done';
      });
      const { run } = fakeBullJob();
      const outcomes: string[] = [];
      for (let i = 0; i < COURSE_JOB_ATTEMPTS + 3; i++) outcomes.push(await run(handler));
      expect(outcomes.at(-1)).toBe('done');
      expect(store.failJobAndRelease).not.toHaveBeenCalled();
    });
  });

  describe('when the orchestrator itself fails (not the infrastructure)', () => {
    it('spends its attempts, then fails the job and releases the course in one call, once', async () => {
      const { handler, store } = handlerWith(async () => {
        throw new Error('Course job did not settle');
      });
      const { run } = fakeBullJob();
      const outcomes: string[] = [];
      for (let i = 0; i < COURSE_JOB_ATTEMPTS; i++) outcomes.push(await run(handler));

      expect(outcomes).toEqual(Array(COURSE_JOB_ATTEMPTS).fill('failed'));
      expect(store.failJobAndRelease).toHaveBeenCalledTimes(1);
      expect(store.failJobAndRelease).toHaveBeenCalledWith(
        expect.anything(),
        'job-1',
        expect.arrayContaining(['pending', 'generating_lessons']),
        { failed_step: 'lessons', error_message: 'The lessons step failed: Course job did not settle' },
        [expect.objectContaining({ level: 'error' })],
      );
    });
  });
});
