import { LlmError } from '../../generation/llm-error';

/** The readable reason of a failure, for logs and error_message (never a key or a stack). */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * PostgreSQL or Redis trouble (a dropped connection, a restart, a pool timeout) rather than a model failure: the
 * step is put back without spending one of its attempts, since retrying it is not the model's fault.
 */
export { isInfrastructureError } from '../../common/infrastructure-error';

/**
 * Exponential backoff from STEP_BACKOFF_MS; a rate-limited call waits at least what the provider asked — already
 * capped at RETRY_AFTER_MAX_MS when the error was classified (see classifyLlmError).
 */
export function stepBackoffDelay(attemptsMade: number, baseMs: number, err?: unknown): number {
  const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const retryAfter = err instanceof LlmError && err.retryAfterMs ? err.retryAfterMs : 0;
  return Math.max(exponential, retryAfter);
}
