import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SuccessResponse } from '../../../contracts/api';
import type { AuthUser } from '../accounts/auth';
import { ConflictError, NotFoundError } from '../common/domain-error';
import { OrgBudgets } from '../model-budget/org-budgets';
import { LOG } from './engine/job-log';
import { JobStore } from './engine/job-store';
import { StepStore } from './engine/step-store';
import { JobProducer } from './job-producer';

const usd = (n: number): string => `$${n.toFixed(2)}`;

/**
 * Resume of a job paused at a budget (docs/queue.md, "Paused jobs"): like Retry, a new run — `retry_count` + 1, back to
 * `pending`, enqueued under the new run's entry id — so the job type asks PostgreSQL what is still missing and only
 * unwritten items run. The old run's open steps are closed in the same transaction.
 */
@Injectable()
export class JobResumeService {
  constructor(
    private readonly db: DataSource,
    private readonly store: JobStore,
    private readonly steps: StepStore,
    private readonly budgets: OrgBudgets,
    private readonly producer: JobProducer,
  ) {}

  async resume(user: AuthUser, jobId: string, maxCostUsd?: number): Promise<SuccessResponse> {
    const resumed = await this.db.transaction(async (m) => {
      // Under the row lock: two resumes at once give one 200 and one 409.
      const row = await this.store.lock(m, jobId);
      if (!row || row.organization_id !== user.organization_id) throw new NotFoundError('Job');
      if (row.status !== 'paused') {
        throw new ConflictError(`The job is ${row.status}; only paused jobs can be resumed`);
      }
      const spent = Number(row.cost_usd);
      const cap = maxCostUsd ?? (row.max_cost_usd === null ? null : Number(row.max_cost_usd));
      if (cap !== null && cap <= spent) {
        throw new ConflictError(
          `The job has spent ${usd(spent)} of its cap; resume it with a cap above that (max_cost_usd)`,
          { cost_usd: spent },
        );
      }
      await this.budgets.assertRoom(user.organization_id, m); // 402 while the monthly budget is used up
      await this.steps.cancelOpen(m, jobId, row.retry_count);
      const next = await this.store.transition(
        jobId,
        ['paused'],
        'pending',
        {
          retry_count: 'increment',
          max_cost_usd: cap === null ? null : String(cap),
          paused_from: null,
          pause_reason: null,
          current_item: null,
        },
        [LOG.resumed(user.email, cap)],
        m,
      );
      if (!next) throw new ConflictError('The job is no longer paused');
      return next;
    });
    await this.producer.enqueue(resumed.job_type, jobId, resumed.retry_count);
    return { success: true };
  }
}
