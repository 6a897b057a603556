import type { BulkJobOutcome, BulkJobResult, JobView } from '@contracts/api';

import type { ConfirmData } from '../shared/confirm-dialog';
import { isActiveJob } from './job-display';

const jobs = (n: number, kind: string): string => `${n} ${kind} job${n === 1 ? '' : 's'}`;

/** The selected jobs a bulk retry or cancel would act on (the others would be skipped). */
export function retryable(selected: readonly JobView[]): JobView[] {
  return selected.filter((job) => job.status === 'failed');
}

export function cancellable(selected: readonly JobView[]): JobView[] {
  return selected.filter(isActiveJob);
}

/** "Retry 12 failed jobs": says what will happen. */
export function bulkRetryConfirmation(count: number): ConfirmData {
  return {
    title: `Retry ${jobs(count, 'failed')}?`,
    message: `Each resumes at the step that failed; steps that already succeeded are kept and not paid for again.`,
    confirmLabel: `Retry ${jobs(count, 'failed')}`,
  };
}

export function bulkCancelConfirmation(count: number): ConfirmData {
  return {
    title: `Cancel ${jobs(count, 'active')}?`,
    message: `Stop generating them? Lessons and tasks written so far are kept; each can be retried later.`,
    confirmLabel: `Cancel ${jobs(count, 'active')}`,
  };
}

/** "Retry all failed" for the view: with a failed-only view its total is the count; otherwise the server finds them. */
export function retryAllConfirmation(knownFailed: number | null): ConfirmData {
  return knownFailed === null
    ? {
        title: 'Retry all failed jobs?',
        message:
          'Every failed job that matches the current filters (search, job type, user, dates) is retried — at most 1,000 at a time.',
        confirmLabel: 'Retry all failed',
      }
    : {
        title: `Retry ${jobs(knownFailed, 'failed')}?`,
        message: `Every failed job that matches the current filters is retried${knownFailed > 1000 ? ' — 1,000 at a time' : ''}.`,
        confirmLabel: `Retry ${jobs(knownFailed, 'failed')}`,
      };
}

const OUTCOME_LABELS: Record<BulkJobOutcome, string> = {
  retried: 'retried',
  cancelled: 'cancelled',
  skipped: 'skipped',
  not_found: 'not found',
};

/** "3 retried, 1 skipped": the counts of each outcome, in a fixed order. */
export function outcomeCounts(results: readonly BulkJobResult[]): string {
  if (!results.length) {
    return 'No job matched.';
  }
  const order: BulkJobOutcome[] = ['retried', 'cancelled', 'skipped', 'not_found'];
  return order
    .map((outcome) => [outcome, results.filter((r) => r.outcome === outcome).length] as const)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${n} ${OUTCOME_LABELS[outcome]}`)
    .join(', ');
}

/** The results worth a line of their own: every job that was not acted on, with why. */
export function outcomeProblems(results: readonly BulkJobResult[]): BulkJobResult[] {
  return results.filter((r) => r.outcome === 'skipped' || r.outcome === 'not_found');
}

export function outcomeLabel(outcome: BulkJobOutcome): string {
  return OUTCOME_LABELS[outcome];
}
