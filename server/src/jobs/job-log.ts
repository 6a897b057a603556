import type { JobLogEntry, LogLevel } from '../../../contracts/api';

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

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The plan's message sequence, in one place. */
export const LOG = {
  start: (): JobLogEntry => info('Starting course generation job'),
  resume: (retry: number, step: string): JobLogEntry =>
    info(`Resuming course generation (retry #${retry}) at ${step}`, { retry }),
  course: (title: string): JobLogEntry => info(`Course: ${title}`),
  projectsToProcess: (n: number): JobLogEntry => info(`Projects to process: ${n}`),
  generatingLessons: (index: number, total: number, title: string): JobLogEntry =>
    info(`Generating lessons for project ${index}/${total}: ${title}`, {
      project_index: index,
      project_total: total,
    }),
  generatedLessons: (n: number, title: string, details: Record<string, unknown>): JobLogEntry =>
    success(`Generated ${plural(n, 'lesson')} for: ${title}`, details),
  startingTasks: (lessons: number): JobLogEntry =>
    info('Starting task generation', { lesson_total: lessons }),
  generatingTasks: (index: number, total: number, title: string): JobLogEntry =>
    info(`Generating tasks for lesson ${index}/${total}: ${title}`, {
      lesson_index: index,
      lesson_total: total,
    }),
  generatedTasks: (n: number, title: string, details: Record<string, unknown>): JobLogEntry =>
    success(`Generated ${plural(n, 'task')} for: ${title}`, details),
  retrying: (what: string, attempt: number, attempts: number, reason: string, delayMs: number): JobLogEntry =>
    warning(
      `Attempt ${attempt}/${attempts} failed for ${what}: ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
      { attempt, attempts, delay_ms: delayMs },
    ),
  failed: (what: string, attempts: number, reason: string): JobLogEntry =>
    error(`Failed to generate ${what} after ${plural(attempts, 'attempt')}: ${reason}`),
  complete: (): JobLogEntry => success('Course generation complete'),
  summary: (projects: number, lessons: number, tasks: number): JobLogEntry =>
    info(`Summary: ${plural(projects, 'project')}, ${plural(lessons, 'lesson')}, ${plural(tasks, 'task')}`, {
      projects,
      lessons,
      tasks,
    }),
  published: (): JobLogEntry => success('Course published'),
  ready: (): JobLogEntry => info('Course ready for review (auto-publish is off)'),
  cancelled: (by: string): JobLogEntry => warning(`Cancelled by ${by}`),
  retryRequested: (by: string, retry: number, step: string | null): JobLogEntry =>
    info(`Retry #${retry} requested by ${by}${step ? `; resuming at ${step}` : ''}`),
  requeued: (): JobLogEntry =>
    warning('The queue had lost this job (Redis emptied or restarted); re-enqueued it'),
};
