import {
  ACTIVE_JOB_STATUSES,
  type JobStatus,
  type JobStep,
  type JobView,
  type LogLevel,
  type StepStatus,
} from '@contracts/api';

import type { ConfirmData } from '../shared/confirm-dialog';
import { STEP_STATUS_LABELS } from '../shared/status-labels';
import type { JobListStatus } from './jobs-api';

import type { BadgeTone, StatusBadge } from '../shared/status-pill';

// The badge types live with the shared pill; re-exported for the queue's callers.
export type { BadgeTone, StatusBadge };

const BADGES: Record<JobStatus, StatusBadge> = {
  pending: { label: 'Queued', tone: 'grey' },
  generating_lessons: { label: 'Generating Lessons', tone: 'blue' },
  generating_tasks: { label: 'Generating Tasks', tone: 'blue' },
  finalizing: { label: 'Finalizing', tone: 'purple' },
  completed: { label: 'Completed', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  cancelled: { label: 'Cancelled', tone: 'grey' },
  // Stopped at a budget, waiting for Resume or Cancel (docs/queue.md, "Paused jobs").
  paused: { label: 'Paused', tone: 'amber' },
};

export function statusBadge(status: JobStatus): StatusBadge {
  return BADGES[status] ?? { label: status, tone: 'grey' };
}

/** Step badges in the job badges' colours: waiting grey, running blue, done green, failed red. */
const STEP_TONES: Record<StepStatus, BadgeTone> = {
  queued: 'grey',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  skipped: 'grey',
  cancelled: 'grey',
};

export function stepBadge(status: StepStatus): StatusBadge {
  return { label: STEP_STATUS_LABELS[status] ?? status, tone: STEP_TONES[status] ?? 'grey' };
}

const STEP_NAMES: Record<JobStep, string> = {
  lessons: 'Writing lessons',
  tasks: 'Writing tasks',
  finalizing: 'Finalizing',
};

/** "Writing lessons: <message>" for a failed job's row; null when it has no error. */
export function failureText(job: Pick<JobView, 'failed_step' | 'error_message'>): string | null {
  if (!job.error_message) {
    return null;
  }
  return job.failed_step ? `${STEP_NAMES[job.failed_step]}: ${job.error_message}` : job.error_message;
}

/**
 * The steps of the current run a retry runs again: every one that did not succeed or was skipped. Steps
 * not created yet (the tasks of lessons a failed lessons step would have written) come on top, so this
 * is a lower bound unless the job failed while writing tasks, when every step exists.
 */
export function stepsToRerun(job: Pick<JobView, 'step_counts' | 'failed_step'>): {
  readonly count: number;
  readonly exact: boolean;
} {
  const counts = job.step_counts;
  const count = counts ? counts.failed + counts.cancelled + counts.queued + counts.running : 0;
  return { count, exact: job.failed_step === 'tasks' };
}

/** The Retry confirmation: how many steps will run again, from the job's step counts. */
export function retryConfirmation(
  job: Pick<JobView, 'course_title' | 'step_counts' | 'failed_step'>,
): ConfirmData {
  const { count, exact } = stepsToRerun(job);
  const steps = (n: number): string => `${n} step${n === 1 ? '' : 's'}`;
  const what =
    count === 0
      ? 'Every step that has not succeeded will run again.'
      : exact
        ? `${steps(count)} will run again.`
        : `At least ${steps(count)} will run again (with the tasks of any lessons they write).`;
  return {
    title: 'Retry generation?',
    message: `Retry “${job.course_title}”? ${what} Steps that already succeeded are kept and not paid for again.`,
    confirmLabel: 'Retry',
  };
}

/**
 * What a job does, one line for lists: "Course generation", or for a `course_regeneration` job the part it
 * rewrites, "Regeneration: tasks of “X”" (docs/regeneration.md).
 */
export function jobTypeText(job: Pick<JobView, 'job_type' | 'target'>): string {
  if (job.job_type === 'course_regeneration') {
    const target = job.target;
    if (!target) {
      return 'Regeneration';
    }
    const part = target.target === 'lesson_tasks' ? 'tasks' : 'lessons';
    return `Regeneration: ${part} of “${target.item_title}”`;
  }
  return job.job_type === 'course_generation' ? 'Course generation' : job.job_type;
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
