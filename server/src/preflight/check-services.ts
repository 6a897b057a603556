import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { redactUrl } from '../database/data-source-options';
import { pingRedisOnce } from '../redis/redis-startup';
import { describeServiceFailure, ServiceName, ServiceUnavailableError } from './service-failure';

/** How long each service gets to answer at start-up. */
export const SERVICE_CHECK_TIMEOUT_MS = 5000;

/**
 * Before any module starts: one connection to PostgreSQL and one to Redis, each logged in and asked one question.
 * Without it a missing Redis shows as raw connection errors printed by every BullMQ queue, then "Connection is
 * closed."; this way start-up stops first with one paragraph per missing service (README, "Prerequisites").
 * Throws ServiceUnavailableError naming every service that failed.
 */
export async function checkServices(config: AppConfig): Promise<void> {
  const results = await Promise.allSettled([
    check('PostgreSQL', config.DATABASE_URL, () => pingPostgres(config.DATABASE_URL)),
    check('Redis', config.REDIS_URL, () => pingRedis(config)),
  ]);
  const failures = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason as ServiceUnavailableError] : [],
  );
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new ServiceUnavailableError(failures.map((f) => f.message).join('\n'), {
      cause: failures[0].cause,
    });
  }
}

async function check(service: ServiceName, url: string, ping: () => Promise<void>): Promise<void> {
  try {
    await withDeadline(ping(), SERVICE_CHECK_TIMEOUT_MS);
  } catch (err) {
    const variable = service === 'PostgreSQL' ? 'DATABASE_URL' : 'REDIS_URL';
    const message =
      describeServiceFailure(service, url, err) ??
      `Cannot use ${service} at ${variable}=${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}`;
    throw new ServiceUnavailableError(message, { cause: err });
  }
}

async function pingPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: SERVICE_CHECK_TIMEOUT_MS });
  client.on('error', () => undefined); // the failure is the rejected connect or query
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One try on one server, through Sentinel or on a cluster (redis/redis-startup.ts). */
async function pingRedis(config: AppConfig): Promise<void> {
  await pingRedisOnce(config);
}

async function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), ms);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
  // A ping still running after the deadline settles on its own; its connection is closed in its finally.
}
