import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { JobPayload } from '../jobs.constants';
import type { JobQueue } from './job-queue';
import type { JobRow, JobStore } from './job-store';
import type { JobTypeDefinition, PhaseDefinition } from './job-type';
import type { JobTypeRegistry } from './job-type-registry';
import { JobOrchestrator } from './orchestrator';
import type { StepStore } from './step-store';

/**
 * The course job's fan-out against fakes of PostgreSQL (the row, the items still missing) and of its BullMQ entry
 * (whether it has pending steps to wait for).
 */
function orchestratorWith(options: { missing: string[]; pendingSteps: boolean[] }) {
  const row = { id: 'job-1', status: 'generating_tasks', retry_count: 0, course_id: 'c' } as JobRow;
  const phase = (kind: string, status: JobRow['status']) =>
    ({
      kind,
      status,
      step: kind,
      findMissing: async () => (status === row.status ? options.missing.map((item_id) => ({ item_id })) : []),
    }) as unknown as PhaseDefinition;
  const type = {
    name: 'course_generation',
    phases: [phase('lessons', 'generating_lessons'), phase('tasks', 'generating_tasks')],
  } as unknown as JobTypeDefinition;
  const store = {
    find: async () => row,
    transition: jest.fn(async (_id: string, _from: string[], to: JobRow['status']) => {
      row.status = to;
      return true;
    }),
  };
  const queue = { addSteps: jest.fn(async () => undefined) };
  const answers = [...options.pendingSteps];
  const job = {
    data: { job_id: 'job-1', retry: 0 },
    moveToWaitingChildren: jest.fn(async () => answers.shift() ?? false),
  } as unknown as Job<JobPayload>;
  const orchestrator = new JobOrchestrator(
    {} as DataSource,
    store as unknown as JobStore,
    { insertQueued: async () => undefined } as unknown as StepStore,
    queue as unknown as JobQueue,
    { get: () => type } as unknown as JobTypeRegistry,
  );
  return { orchestrator, job, store, queue };
}

describe('JobOrchestrator fan-out', () => {
  describe('when the entry has no pending step right after adding them, though PostgreSQL still misses items', () => {
    // A FLUSHALL between adding the steps and waiting for them, with the entry re-added by the reconciler.
    it('asks PostgreSQL again and adds the steps again, never moving to the next phase', async () => {
      const { orchestrator, job, store, queue } = orchestratorWith({
        missing: ['lesson-1', 'lesson-2'],
        pendingSteps: [false, true],
      });
      await expect(orchestrator.advance(job, 'token')).resolves.toBe('waiting-for-steps');
      expect(queue.addSteps).toHaveBeenCalledTimes(2);
      expect(store.transition).not.toHaveBeenCalled();
    });
  });

  describe('when every item of the phase is written', () => {
    it('moves to the next phase without adding steps', async () => {
      const { orchestrator, job, store, queue } = orchestratorWith({ missing: [], pendingSteps: [] });
      await orchestrator.advance(job, 'token').catch(() => undefined); // finalizing needs the database
      expect(queue.addSteps).not.toHaveBeenCalled();
      expect(store.transition).toHaveBeenCalledWith(
        'job-1',
        ['generating_tasks'],
        'finalizing',
        expect.anything(),
        [],
      );
    });
  });
});
