import { LlmError } from '../../generation/llm-error';

/** The readable reason of a failure, for logs and error_message (never a key or a stack). */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

const INFRA_CODES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02',
  '57P03',
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

const RELEASED_RUNNER_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

/**
 * PostgreSQL or Redis trouble (a dropped connection, a restart) rather than a model failure: the step is put back
 * without spending one of its attempts, since retrying it is not the model's fault.
 */
export function isInfrastructureError(err: unknown): boolean {
  if (err instanceof LlmError) return false;
  const e = err as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.code ?? e?.driverError?.code;
  if (code && INFRA_CODES.has(code)) return true;
  // TypeORM releases a query runner whose connection died; its next query then throws one of these.
  if (RELEASED_RUNNER_ERRORS.has((err as Error)?.name)) return true;
  return /Connection terminated|not queryable|connection.*(closed|ended|lost)|terminating connection|Connection is closed|ECONNREFUSED|ECONNRESET/i.test(
    e?.message ?? '',
  );
}

/** Exponential backoff from STEP_BACKOFF_MS; a rate-limited call waits at least what the provider asked. */
export function stepBackoffDelay(attemptsMade: number, baseMs: number, err?: unknown): number {
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const retryAfter = err instanceof LlmError && err.retryAfterMs ? err.retryAfterMs : 0;
  return Math.max(exponential, retryAfter);
}
