import { Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { addLogFields } from '../../logging/log-context';
import { JobPayload } from '../jobs.constants';
import { JobQueue } from './job-queue';
import { JobStore, JobRow } from './job-store';
import { JobTypeDefinition, PhaseDefinition } from './job-type';
import { JobTypeRegistry } from './job-type-registry';
import { StepStore } from './step-store';

export type AdvanceResult = 'waiting-for-steps' | 'done';

/**
 * The job of any type. Each time it runs it reads the job row from PostgreSQL and does what is next: start, fan out
 * one step for every item of the current phase still missing work (the type's `findMissing`), move to the next
 * phase, then finalize. Because every decision comes from PostgreSQL, running it again — after a crash, a lost
 * queue, or a retry — resumes exactly where the work stands and never redoes a written item. docs/extending.md.
 */
@Injectable()
export class JobOrchestrator {
  private readonly logger = new Logger(JobOrchestrator.name);

  constructor(
    private readonly db: DataSource,
    private readonly store: JobStore,
    private readonly steps: StepStore,
    private readonly queue: JobQueue,
    private readonly registry: JobTypeRegistry,
  ) {}

  async advance(job: Job<JobPayload>, token: string | undefined): Promise<AdvanceResult> {
    // A few rounds at most: each round moves the job one phase on, or leaves it waiting for its steps.
    for (let round = 0; round < 6; round++) {
      const row = await this.store.find(job.data.job_id);
      if (!row || row.retry_count !== job.data.retry) return 'done'; // deleted, or an entry of an older run
      addLogFields({ course_id: row.course_id }); // the job's own lines name its course (docs/queue.md)
      const type = this.registry.get(row.job_type);
      if (row.status === 'pending') {
        await this.start(type, row);
        continue;
      }
      if (row.status === 'finalizing') {
        await this.finalize(type, row);
        return 'done';
      }
      const index = type.phases.findIndex((p) => p.status === row.status);
      if (index < 0) return 'done'; // completed, failed or cancelled: nothing to do
      const fanned = await this.fanOut(job, token, type.phases[index], row);
      if (fanned === 'waiting') return 'waiting-for-steps';
      // No step left pending: they finished meanwhile, or Redis lost them (a FLUSHALL between adding them and
      // waiting for them empties this entry's children) — PostgreSQL says which, so ask it again.
      if (fanned === 'no-pending-steps') continue;
      await this.next(type, row, index);
    }
    throw new Error(`Job ${job.data.job_id} did not settle; it will be retried`);
  }

  private async start(type: JobTypeDefinition, row: JobRow): Promise<void> {
    const first = type.phases[0];
    const opening = await type.start(row);
    const started = await this.store.transition(
      row.id,
      ['pending'],
      first.status,
      {
        started_at: 'keep-or-now',
        current_step: first.step,
        current_item: null,
        items_total: opening.items_total,
        items_completed: opening.items_completed,
      },
      opening.logs,
    );
    if (started) this.logger.log(`Job ${row.id} (${type.name}) started`);
  }

  /** From phase `index` to the next one, or to `finalizing` after the last. */
  private async next(type: JobTypeDefinition, row: JobRow, index: number): Promise<void> {
    const from = type.phases[index].status;
    const phase = type.phases[index + 1];
    if (!phase) {
      await this.store.transition(
        row.id,
        [from],
        'finalizing',
        { current_step: 'finalizing', current_item: null },
        [],
      );
      return;
    }
    const opening = phase.begin ? await phase.begin(row) : { logs: [], items_total: 0, items_completed: 0 };
    await this.store.transition(
      row.id,
      [from],
      phase.status,
      {
        current_step: phase.step,
        current_item: null,
        items_total: opening.items_total,
        items_completed: opening.items_completed,
      },
      opening.logs,
    );
  }

  /**
   * Adds a step for every item still missing work: `waiting` when the job now waits for them, `phase-done` when no
   * item misses work, `no-pending-steps` when the entry has no pending step to wait for after all.
   */
  private async fanOut(
    job: Job<JobPayload>,
    token: string | undefined,
    phase: PhaseDefinition,
    row: JobRow,
  ): Promise<'waiting' | 'phase-done' | 'no-pending-steps'> {
    const missing = await phase.findMissing(row);
    if (missing.length === 0) return 'phase-done';
    // The steps' rows first (`queued`, in the job's order; a re-run of the fan-out keeps the existing ones), so the
    // steps API shows the whole phase at once (docs/queue.md, "Steps").
    await this.steps.insertQueued(row.id, row.retry_count, phase.kind, missing);
    await this.queue.addSteps(
      job,
      phase.kind,
      missing.map((m) => m.item_id),
    );
    if (!token) throw new Error('A job needs its lock token to wait for its steps');
    return (await job.moveToWaitingChildren(token)) ? 'waiting' : 'no-pending-steps';
  }

  /** The type's closing work (if any) and the job's completion — in one transaction. */
  private async finalize(type: JobTypeDefinition, row: JobRow): Promise<void> {
    const done = await this.db.transaction(async (m) => {
      if (!(await this.store.lockIfStatus(m, row.id, 'finalizing'))) return null;
      const logs = type.finalize ? await type.finalize(m, row) : [];
      return this.store.transition(
        row.id,
        ['finalizing'],
        'completed',
        { completed_at: 'now', current_item: null, items_completed: row.items_total },
        logs,
        m,
      );
    });
    if (done) this.logger.log(`Job ${row.id} (${type.name}) completed`);
  }
}
