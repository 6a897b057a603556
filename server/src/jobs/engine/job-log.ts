import type { JobLogEntry, LogLevel } from '../../../../contracts/api';

/** One log entry in the plan's format. */
export function logEntry(level: LogLevel, message: string, details?: Record<string, unknown>): JobLogEntry {
  return { timestamp: new Date().toISOString(), level, message, ...(details ? { details } : {}) };
}

export const info = (message: string, details?: Record<string, unknown>): JobLogEntry =>
  logEntry('info', message, details);
export const success = (message: string, details?: Record<string, unknown>): JobLogEntry =>
  logEntry('success', message, details);
export const warning = (message: string, details?: Record<string, unknown>): JobLogEntry =>
  logEntry('warning', message, details);
export const error = (message: string, details?: Record<string, unknown>): JobLogEntry =>
  logEntry('error', message, details);

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The engine's own log lines, the same for every job type (docs/extending.md). */
export const LOG = {
  retrying: (what: string, attempt: number, attempts: number, reason: string, delayMs: number): JobLogEntry =>
    warning(
      `Attempt ${attempt}/${attempts} failed for ${what}: ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
      { attempt, attempts, delay_ms: delayMs },
    ),
  failed: (what: string, attempts: number, reason: string): JobLogEntry =>
    error(`Failed to generate ${what} after ${plural(attempts, 'attempt')}: ${reason}`),
  cancelled: (by: string): JobLogEntry => warning(`Cancelled by ${by}`),
  retryRequested: (by: string, retry: number, step: string | null): JobLogEntry =>
    info(`Retry #${retry} requested by ${by}${step ? `; resuming at ${step}` : ''}`),
  paused: (reason: string): JobLogEntry => warning(`Paused: ${reason}`),
  resumed: (by: string, capUsd: number | null): JobLogEntry =>
    info(`Resumed by ${by} (${capUsd === null ? 'no cap' : `cap $${capUsd.toFixed(2)}`})`),
  requeued: (): JobLogEntry =>
    warning('The queue had lost this job (Redis emptied or restarted); re-enqueued it'),
};
