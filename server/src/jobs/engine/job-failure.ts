import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { JobStore } from './job-store';
import { error as errorEntry } from './job-log';
import { ACTIVE_STATUSES, JobPayload, STEP_OF_STATUS, StepPayload } from '../jobs.constants';
import { JobTypeRegistry } from './job-type-registry';
import { StepStore } from './step-store';
import { JobQueue } from './job-queue';
import { stepPayloadProblem } from './step-runner';

/** A failure BullMQ decided by itself, in words an admin can act on, with the step row's error kind. */
export function queueFailureReason(raw: string, maxStalled: number): { kind: string; text: string } {
  if (/stalled more than allowable limit/i.test(raw)) {
    return {
      kind: 'stalled',
      text: `it stalled more than ${maxStalled} ${maxStalled === 1 ? 'time' : 'times'} (its worker kept stopping)`,
    };
  }
  if (/missing lock|lock mismatch|could not renew lock/i.test(raw)) {
    return { kind: 'lock_lost', text: `its worker lost its claim on it (${raw})` };
  }
  return { kind: 'queue', text: raw || 'the queue failed it without a reason' };
}

/** BullMQ's deferred failure of a parent whose child failed: `child <prefix>:<queue>:<id> failed`. */
const CHILD_FAILED = /^child (\S+) failed$/;

/**
 * Failures of a course job that its own code never saw: BullMQ failing a step or the course job by itself (a
 * worker that kept dying — stalled more than STEP_MAX_STALLED times — or a lost lock), noticed by whichever
 * worker process's `failed` event fires, or later by the reconciler. The job fails once (compare-and-set, only in
 * the step's own run), its course returns to draft in the same transaction, the step row becomes `failed`, and
 * its unstarted steps leave the queue. A job already failed or cancelled is untouched. docs/queue.md, "What fails
 * a job".
 */
@Injectable()
export class JobFailure {
  private readonly logger = new Logger(JobFailure.name);

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly steps: StepStore,
    private readonly registry: JobTypeRegistry,
    private readonly queue: JobQueue,
  ) {}

  /** A step's queue entry ended `failed`: its job fails, unless it already ended. True when this call failed it. */
  async stepFailed(step: Pick<Job<StepPayload>, 'id' | 'data' | 'failedReason'>): Promise<boolean> {
    const p = step.data;
    if (stepPayloadProblem(p, this.registry.kinds())) return false; // a crafted entry names no job of ours
    const { type, phase } = this.registry.phaseOf(p.kind)!;
    const row = await this.store.find(p.job_id);
    if (!row || row.retry_count !== p.retry || !ACTIVE_STATUSES.includes(row.status)) return false;
    if (row.job_type !== type.name) return false;
    const work = await phase.load(row, p.item_id);
    const reason = queueFailureReason(step.failedReason ?? '', this.config.STEP_MAX_STALLED);
    const message = `The ${p.kind} step of "${work?.item.item_title ?? p.item_id}" failed: ${reason.text}`;
    const failed = await this.db.transaction(async (m) => {
      if (!(await this.store.lockRun(m, p.job_id, p.retry))) return null;
      const key = { job_id: p.job_id, run: p.retry, kind: p.kind, item_id: p.item_id };
      await this.steps.markFailed(key, reason.kind, message, m);
      return this.store.failJobAndRelease(
        m,
        p.job_id,
        ACTIVE_STATUSES,
        { failed_step: phase.step, error_message: message },
        [errorEntry(message, { step: step.id, item_id: p.item_id, error_kind: reason.kind })],
      );
    });
    if (!failed) return false;
    this.logger.error({
      msg: 'A step failed in the queue',
      job_id: p.job_id,
      step: step.id,
      reason: reason.kind,
    });
    await this.queue.removeJob(p.job_id, p.retry);
    return true;
  }

  /**
   * A course job's queue entry ended `failed` (a failed child, or a stall of its own): its job fails, unless it
   * already ended. A failed child is reported as that step's failure. True when this call failed the job.
   */
  async courseJobFailed(entry: Pick<Job<JobPayload>, 'data' | 'failedReason'>): Promise<boolean> {
    const { job_id, retry } = entry.data;
    const child = CHILD_FAILED.exec(entry.failedReason ?? '');
    if (child) {
      const step = await this.queue.steps.getJob(child[1].slice(child[1].lastIndexOf(':') + 1));
      if (step && step.data.job_id === job_id && step.data.retry === retry) return this.stepFailed(step);
    }
    const reason = queueFailureReason(entry.failedReason ?? '', this.config.STEP_MAX_STALLED);
    const failed = await this.db.transaction(async (m) => {
      const row = await this.store.lockRun(m, job_id, retry);
      if (!row || !ACTIVE_STATUSES.includes(row.status)) return null;
      const step = STEP_OF_STATUS[row.status] ?? 'lessons';
      const message = `The ${step} step failed: ${reason.text}`;
      return this.store.failJobAndRelease(
        m,
        job_id,
        ACTIVE_STATUSES,
        { failed_step: step, error_message: message },
        [errorEntry(message, { error_kind: reason.kind })],
      );
    });
    if (!failed) return false;
    this.logger.error({ msg: 'A course job failed in the queue', job_id, reason: reason.kind });
    await this.queue.removeJob(job_id, retry);
    return true;
  }
}
