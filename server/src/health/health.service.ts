import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RedisClient } from '../redis/redis-connection';
import { REDIS_CLIENT } from '../redis/redis.constants';

/**
 * Why a dependency is down, in fixed words: the response is public, so the raw error (host names, ports, driver
 * text) goes to the server log only. `timeout`: no answer within CHECK_TIMEOUT_MS; `unreachable`: the connection
 * is refused, closed or not open; `error`: it answered with an error.
 */
export type DownReason = 'timeout' | 'unreachable' | 'error';
export type DependencyState = { status: 'up' } | { status: 'down'; reason: DownReason };
export type DependencyName = 'postgres' | 'redis';
export interface HealthReport {
  status: 'ok' | 'error';
  checks: Record<DependencyName, DependencyState>;
}

const CHECK_TIMEOUT_MS = 2000;

class ProbeTimeout extends Error {}

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|Connection is closed|Connection terminated|not queryable|connection.*(closed|ended|lost)|Stream isn't writeable|enableOfflineQueue|timeout exceeded when trying to connect|Driver not Connected/i;

function reasonOf(err: unknown): DownReason {
  if (err instanceof ProbeTimeout) return 'timeout';
  const e = err as { code?: unknown; message?: unknown };
  const text = `${typeof e?.code === 'string' ? e.code : ''} ${typeof e?.message === 'string' ? e.message : ''}`;
  return UNREACHABLE.test(text) ? 'unreachable' : 'error';
}

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);
  /** The last state logged per dependency: a line is written when it changes, not on every probe. */
  private readonly last: Partial<Record<string, string>> = {};

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  async check(): Promise<HealthReport> {
    const [postgres, redis] = await Promise.all([
      this.probe('postgres', () => this.dataSource.query('SELECT 1')),
      this.probe('redis', () => this.redis.ping()),
    ]);
    const status = postgres.status === 'up' && redis.status === 'up' ? 'ok' : 'error';
    return { status, checks: { postgres, redis } };
  }

  /** One check of `name` with the timeout, the fixed reasons and the log-on-change (also used by readiness). */
  async probe(name: string, run: () => Promise<unknown>): Promise<DependencyState> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProbeTimeout(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    });
    let state: DependencyState;
    let error: unknown;
    try {
      await Promise.race([run(), timeout]);
      state = { status: 'up' };
    } catch (err) {
      error = err;
      state = { status: 'down', reason: reasonOf(err) };
    } finally {
      clearTimeout(timer);
    }
    this.logChange(name, state, error);
    return state;
  }

  private logChange(name: string, state: DependencyState, error: unknown): void {
    const key = state.status === 'up' ? 'up' : `down:${state.reason}`;
    const previous = this.last[name];
    if (previous === key) return;
    this.last[name] = key;
    if (state.status === 'down') {
      this.logger.warn({ msg: `Health: ${name} is down (${state.reason})`, dependency: name, err: error });
    } else if (previous !== undefined) {
      this.logger.log(`Health: ${name} is up again`);
    }
  }
}
