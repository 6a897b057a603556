/**
 * PostgreSQL or Redis trouble — a dropped connection, a restart, a pool with no free connection — as opposed to a
 * failure of the model or a bug. Queue steps put back without spending an attempt; synchronous requests answer
 * 503. See docs/queue.md.
 */

const INFRA_CODES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

const INFRA_ERROR_NAMES = new Set([
  // TypeORM releases a query runner whose connection died; its next query then throws one of these.
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
  // ioredis gave up on a command while Redis was unreachable.
  'MaxRetriesPerRequestError',
]);

const INFRA_MESSAGES = new RegExp(
  [
    'Connection terminated', // pg, including "… due to connection timeout"
    'not queryable',
    'connection.*(closed|ended|lost)',
    'terminating connection',
    'Connection is closed', // ioredis
    'ECONNREFUSED',
    'ECONNRESET',
    // pg-pool: every connection busy for connectionTimeoutMillis (TypeORM passes it on unchanged)
    'timeout exceeded when trying to connect',
    'Driver not Connected', // TypeORM, while the DataSource is closing
    "Stream isn't writeable", // ioredis with its offline queue off, while Redis is down
  ].join('|'),
  'i',
);

/** True when `err` (or an error in its cause chain) is PostgreSQL or Redis trouble. Model errors never are. */
export function isInfrastructureError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const e = current as {
      name?: unknown;
      code?: unknown;
      driverError?: { code?: unknown };
      message?: unknown;
    };
    // The model layer classifies its own failures (a socket error talking to the provider is not ours).
    if (e.name === 'LlmError') return false;
    const code = e.code ?? e.driverError?.code;
    if (typeof code === 'string' && INFRA_CODES.has(code)) return true;
    if (typeof e.name === 'string' && INFRA_ERROR_NAMES.has(e.name)) return true;
    if (typeof e.message === 'string' && INFRA_MESSAGES.test(e.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
