import { Injectable } from '@nestjs/common';
import {
  BULK_FILTER_MAX,
  type BulkJobResult,
  type BulkJobsResponse,
  type SuccessResponse,
} from '../../../contracts/api';
import type { AuthUser } from '../accounts/auth';
import { DomainError, InvalidInputError } from '../common/domain-error';
import { CourseGenerationJobService } from './course-generation-job.service';
import type { BulkJobsDto } from './dto/job.dto';
import { JobStore } from './engine/job-store';

/**
 * Retry or cancel many jobs at once (docs/queue.md, "Bulk actions"). Each job goes through the single-job
 * `retryJob` / `cancelJob`, one after another (each is its own transaction, so one refusal never undoes another
 * job's change), and its refusal becomes its outcome: a job in the wrong state is `skipped` with the reason, an id
 * of no job of the caller's organization is `not_found`.
 */
@Injectable()
export class BulkJobsService {
  constructor(
    private readonly jobs: CourseGenerationJobService,
    private readonly store: JobStore,
  ) {}

  async run(user: AuthUser, body: BulkJobsDto): Promise<BulkJobsResponse> {
    if (body.job_ids && body.filter) throw new InvalidInputError('Send either job_ids or filter, not both');
    if (body.filter) {
      if (body.action !== 'retry') throw new InvalidInputError('filter works with action retry only');
      return this.retryFailed(user, body.filter);
    }
    if (!body.job_ids) throw new InvalidInputError('job_ids must name at least one job');
    const ids = [...new Set(body.job_ids.map((id) => id.toLowerCase()))];
    return { results: await this.each(user, body.action, ids) };
  }

  /** "Retry all failed": the newest BULK_FILTER_MAX failed jobs the list shows with `filter`. */
  private async retryFailed(
    user: AuthUser,
    filter: BulkJobsDto['filter'] & object,
  ): Promise<BulkJobsResponse> {
    const { jobs } = await this.store.list({
      ...this.jobs.listFilter(user, filter),
      statuses: ['failed'],
      page: 1,
      page_size: BULK_FILTER_MAX + 1,
    });
    const ids = jobs.slice(0, BULK_FILTER_MAX).map((job) => job.id);
    const results = await this.each(user, 'retry', ids);
    return jobs.length > BULK_FILTER_MAX ? { results, more: true } : { results };
  }

  private async each(user: AuthUser, action: 'retry' | 'cancel', ids: string[]): Promise<BulkJobResult[]> {
    const results: BulkJobResult[] = [];
    for (const id of ids) results.push(await this.one(user, action, id));
    return results;
  }

  private async one(user: AuthUser, action: 'retry' | 'cancel', id: string): Promise<BulkJobResult> {
    const act = (): Promise<SuccessResponse> =>
      action === 'retry' ? this.jobs.retryJob(user, id) : this.jobs.cancelJob(user, id);
    try {
      await act();
      return { job_id: id, outcome: action === 'retry' ? 'retried' : 'cancelled' };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err; // a fault (database down…) answers 500, as a single call would
      if (err.code === 'not_found') return { job_id: id, outcome: 'not_found' };
      return { job_id: id, outcome: 'skipped', message: err.message };
    }
  }
}
