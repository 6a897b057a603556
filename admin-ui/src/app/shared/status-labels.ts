import type { CourseStatus, StepStatus } from '@contracts/api';

export const COURSE_STATUS_LABELS: Record<CourseStatus, string> = {
  draft: 'Draft',
  generating: 'Generating',
  ready: 'Ready',
  published: 'Published',
  archived: 'Archived',
};

/** A job step's status as the job page shows it. */
export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};
