/**
 * Where the tests find PostgreSQL and Redis. TEST_DATABASE_URL / TEST_REDIS_URL win; without them the local
 * servers are used, unless a Docker engine answers, in which case global-setup starts containers instead.
 */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/courseloom_test';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Set by global-setup for the test workers: the migrated database each suite copies. */
export const TEMPLATE_DB_ENV = 'COURSELOOM_TEST_TEMPLATE_DB';

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
}

/** The same server as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
