import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { RedisClient } from '../../redis/redis-connection';
import { redisKey } from '../../redis/redis-keys';
import { REDIS_CLIENT } from '../../redis/redis.constants';
import { LogFields } from '../../logging/log-context';
import { JobRow, JobStore } from './job-store';
import { LOG } from './job-log';
import { ACTIVE_STATUSES, courseQueueJobId } from '../jobs.constants';
import { JobFailure } from './job-failure';
import { JobQueue } from './job-queue';

/** The job's fields on the reconciler's lines, as on its workers' (docs/queue.md, "Following a job in the logs"). */
const logFieldsOf = (row: JobRow): LogFields => ({
  job_id: row.id,
  job_type: row.job_type,
  course_id: row.course_id,
});

/** A freshly queued job is enqueued by the API itself; the reconciler only steps in after this long. */
const PENDING_GRACE_MS = 3000;

/**
 * PostgreSQL is the truth, Redis the work list. Every RECONCILE_INTERVAL_MS (and at start-up), one process at a
 * time (a Redis lock) re-enqueues each non-terminal job whose queue entry is missing or finished — after Redis was
 * emptied, or when the API died between committing a job and enqueueing it. Queue ids are derived from row ids,
 * so a re-enqueue never duplicates work. A job whose entry BullMQ failed is failed in PostgreSQL instead (once),
 * never re-run (docs/queue.md, "What fails a job").
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private busy = false;

  constructor(
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly queue: JobQueue,
    private readonly failures: JobFailure,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  onApplicationBootstrap(): void {
    const tick = (): void => {
      if (this.busy) return; // a slow round (Redis or PostgreSQL away) is not stacked up
      this.busy = true;
      this.running = this.reconcile()
        .finally(() => (this.busy = false))
        .catch((err: Error) => {
          this.logger.warn(`Reconcile failed: ${err.message}`);
          return 0;
        });
    };
    tick();
    this.timer = setInterval(tick, this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Returns how many jobs were re-enqueued. */
  async reconcile(): Promise<number> {
    const lockKey = redisKey(this.config, 'reconciler-lock');
    const got = await this.redis.set(
      lockKey,
      String(process.pid),
      'PX',
      this.config.RECONCILE_INTERVAL_MS,
      'NX',
    );
    if (got !== 'OK') return 0;
    let requeued = 0;
    for (const row of await this.store.nonTerminal(PENDING_GRACE_MS)) {
      const entry = await this.queue.jobs.getJob(courseQueueJobId(row.id, row.retry_count));
      const state = entry ? await entry.getState() : 'missing';
      if (entry && state === 'failed') {
        // BullMQ failed it (a failed step, a stall) and no worker recorded it: the job fails, it is not re-run.
        if (await this.failures.courseJobFailed(entry))
          this.logger.warn({
            msg: `Failed job ${row.id}: its queue entry had failed (${entry.failedReason})`,
            ...logFieldsOf(row),
          });
        continue;
      }
      if (state !== 'missing' && state !== 'completed' && state !== 'unknown') continue;
      if (entry) await entry.remove().catch(() => undefined);
      await this.queue.addJob(row.job_type, { job_id: row.id, retry: row.retry_count });
      if (row.status !== 'pending') await this.store.appendLogs(row.id, ACTIVE_STATUSES, [LOG.requeued()]);
      this.logger.warn({
        msg: `Re-enqueued job ${row.id} (${row.status}; queue entry ${state})`,
        ...logFieldsOf(row),
      });
      requeued++;
    }
    return requeued;
  }
}
