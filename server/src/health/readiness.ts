import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import type { DependencyName, HealthReport } from './health.service';
import { HealthService } from './health.service';
import { WORKER_SEEN_WITHIN_MS, WorkerHeartbeats } from './worker-heartbeats';

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
export interface HealthOptions {
  /** The API: it serves HTTP, and its readiness reports whether any worker process was seen lately. */
  api: boolean;
  /** This process runs queue workers (the worker process, or the API with START_WORKER): it sends heartbeats. */
  runsWorkers: boolean;
}

/**
 * Liveness and readiness for orchestrators, with @nestjs/terminus (docs/queue.md, "Metrics and health").
 * - live: the process serves; nothing else is checked, so a dependency's outage never gets the process restarted.
 * - ready: PostgreSQL and Redis answer and every migration is applied (else 503); on the API also how many worker
 *   processes were seen within the last minute — `degraded` when none, which does not fail readiness: the API still
 *   serves, only queued jobs wait.
 * The details are the public fixed words of HealthService (never an address or driver error).
 */
@Injectable()
export class Readiness {
  constructor(
    private readonly checks: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly health: HealthService,
    private readonly db: DataSource,
    private readonly heartbeats: WorkerHeartbeats,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  /** Resolves with the result, or throws terminus's 503 (ServiceUnavailableException) carrying it. */
  live() {
    return this.checks.check([]);
  }

  ready() {
    // One probe of PostgreSQL and Redis for both indicators.
    let report: Promise<HealthReport> | undefined;
    const dependencies = (): Promise<HealthReport> => (report ??= this.health.check());
    const indicators: HealthIndicatorFunction[] = [
      () => this.dependency('database', 'postgres', dependencies),
      () => this.dependency('redis', 'redis', dependencies),
      () => this.migrations(),
    ];
    if (this.options.api) indicators.push(() => this.workers());
    return this.checks.check(indicators);
  }

  private async dependency(key: string, name: DependencyName, report: () => Promise<HealthReport>) {
    const session = this.indicator.check(key);
    const state = (await report()).checks[name];
    return state.status === 'up' ? session.up() : session.down({ reason: state.reason });
  }

  /** Every migration this build ships is recorded as applied (compared by name with the migrations table). */
  private async migrations() {
    const session = this.indicator.check('migrations');
    let pending = 0;
    const state = await this.health.probe('migrations', async () => {
      const rows: { name: string }[] = await this.db.query(
        `SELECT name FROM "${this.db.options.migrationsTableName ?? 'migrations'}"`,
      );
      const applied = new Set(rows.map((r) => r.name));
      pending = this.db.migrations.filter((m) => !applied.has(m.name ?? m.constructor.name)).length;
    });
    if (state.status === 'down') return session.down({ reason: state.reason });
    return pending === 0 ? session.up({ pending: 0 }) : session.down({ reason: 'pending', pending });
  }

  private async workers() {
    const session = this.indicator.check('workers');
    const within = `${WORKER_SEEN_WITHIN_MS / 1000} s`;
    let seen = 0;
    const state = await this.health.probe('worker heartbeats', async () => {
      seen = await this.heartbeats.seen();
    });
    if (state.status === 'down')
      return session.degraded({ seen: null, within, message: 'Unknown: Redis does not answer' });
    return seen > 0
      ? session.up({ seen, within })
      : session.degraded({ seen, within, message: 'No worker process seen: queued jobs wait' });
  }
}
