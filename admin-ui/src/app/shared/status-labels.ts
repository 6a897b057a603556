import type { CourseStatus } from '@contracts/api';

export const COURSE_STATUS_LABELS: Record<CourseStatus, string> = {
  draft: 'Draft',
  generating: 'Generating',
  ready: 'Ready',
  published: 'Published',
  archived: 'Archived',
};
