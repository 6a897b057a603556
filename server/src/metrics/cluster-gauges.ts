import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ACTIVE_STATUSES, QUEUES } from '../jobs/jobs.constants';
import { jobsActive, onScrape, queueJobs } from './metrics';

/** A scrape never waits longer than this for PostgreSQL or Redis: the rest of the metrics still answer. */
const COLLECT_TIMEOUT_MS = 1500;

const ACTIVE_SQL = ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * The cluster-wide gauges, refreshed when /metrics is scraped (cheap: one grouped query over the partial index of
 * active jobs, one getJobCounts() per queue). Every process that serves metrics reports the same values, so
 * dashboards aggregate them with max (docs/queue.md, "Metrics and health"). A source that does not answer leaves its
 * gauge empty rather than stale.
 */
@Injectable()
export class ClusterGauges implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterGauges.name);
  private queues: Queue[] = [];
  private unregister?: () => void;

  constructor(
    private readonly db: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // The queues are the jobs and webhooks modules' (BullModule.registerQueue); looked up by token so this module
    // imports nothing.
    this.queues = Object.values(QUEUES).flatMap((name) => {
      try {
        return [this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })];
      } catch {
        return [];
      }
    });
    this.unregister = onScrape(() => this.refresh());
  }

  onApplicationShutdown(): void {
    this.unregister?.();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.refreshJobs(), this.refreshQueues()]);
  }

  private async refreshJobs(): Promise<void> {
    try {
      const rows: { job_type: string; status: string; n: number }[] = await withTimeout(
        this.db.query(
          `SELECT job_type, status, count(*)::int AS n FROM course_generation_jobs
           WHERE status IN (${ACTIVE_SQL}) GROUP BY job_type, status`,
        ),
      );
      jobsActive.reset();
      for (const r of rows) jobsActive.set({ type: r.job_type, status: r.status }, r.n);
    } catch (err) {
      jobsActive.reset();
      this.logger.debug(`Active jobs gauge not refreshed: ${(err as Error).message}`);
    }
  }

  private async refreshQueues(): Promise<void> {
    const counts = await Promise.all(
      this.queues.map(async (queue) => {
        try {
          return { queue: queue.name, counts: await withTimeout(queue.getJobCounts()) };
        } catch (err) {
          this.logger.debug(`Queue gauge of ${queue.name} not refreshed: ${(err as Error).message}`);
          return { queue: queue.name, counts: {} };
        }
      }),
    );
    queueJobs.reset();
    for (const q of counts)
      for (const [state, n] of Object.entries(q.counts)) queueJobs.set({ queue: q.queue, state }, n);
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${COLLECT_TIMEOUT_MS} ms`)),
        COLLECT_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}
