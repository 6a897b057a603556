import { ACTIVE_JOB_STATUSES, type JobStatus, type JobView, type LogLevel } from '@contracts/api';

import type { JobListStatus } from './jobs-api';

/** The plan's badge colours. */
export type BadgeTone = 'grey' | 'blue' | 'purple' | 'green' | 'red';

export interface StatusBadge {
  readonly label: string;
  readonly tone: BadgeTone;
}

const BADGES: Record<JobStatus, StatusBadge> = {
  pending: { label: 'Queued', tone: 'grey' },
  generating_lessons: { label: 'Generating Lessons', tone: 'blue' },
  generating_tasks: { label: 'Generating Tasks', tone: 'blue' },
  finalizing: { label: 'Finalizing', tone: 'purple' },
  completed: { label: 'Completed', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  cancelled: { label: 'Cancelled', tone: 'grey' },
};

export function statusBadge(status: JobStatus): StatusBadge {
  return BADGES[status] ?? { label: status, tone: 'grey' };
}

/** Pending or running: the poller keeps watching it. */
export function isActiveJob(job: Pick<JobView, 'status'>): boolean {
  return ACTIVE_JOB_STATUSES.includes(job.status);
}

type ProgressFields = Pick<JobView, 'status' | 'current_step' | 'items_completed' | 'items_total'>;

/**
 * "3/5 projects" while writing lessons (one item = one project), "8/12 lessons" while writing tasks
 * (one item = one lesson), "Done" when completed, "--" when there is nothing to count.
 */
export function progressText(job: ProgressFields): string {
  if (job.status === 'completed') {
    return 'Done';
  }
  if (job.status === 'failed' || job.status === 'cancelled' || job.items_total <= 0) {
    return '--';
  }
  const step =
    job.status === 'generating_lessons'
      ? 'lessons'
      : job.status === 'generating_tasks' || job.status === 'finalizing'
        ? 'tasks'
        : job.current_step;
  const unit = step === 'lessons' ? 'projects' : step === 'tasks' ? 'lessons' : 'items';
  return `${job.items_completed}/${job.items_total} ${unit}`;
}

/** 0–100 for the progress bar; null when no bar is shown. */
export function progressPercent(job: ProgressFields): number | null {
  if (job.status === 'completed') {
    return 100;
  }
  if (!isActiveJob(job)) {
    return null;
  }
  if (job.items_total <= 0) {
    return 0;
  }
  return Math.min(100, Math.round((job.items_completed / job.items_total) * 100));
}

export type QueueFilter = 'all' | 'running' | 'completed' | 'failed';

export const QUEUE_FILTERS: readonly { readonly value: QueueFilter; readonly label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'completed', label: 'Completed' },
  { value: 'failed', label: 'Failed' },
];

/** The `?status=` each filter asks the API for. */
export function filterStatus(filter: QueueFilter): JobListStatus | undefined {
  switch (filter) {
    case 'running':
      return 'active';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    default:
      return undefined;
  }
}

export function logLevelLabel(level: LogLevel): string {
  return level.toUpperCase();
}
