import type { JobLogEntry } from '../../../../../contracts/api';
import { info, plural, success } from '../../engine/job-log';

/** The plan's message sequence of a course generation, in one place (the engine adds retries, failures, cancels). */
export const COURSE_LOG = {
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
  complete: (): JobLogEntry => success('Course generation complete'),
  summary: (projects: number, lessons: number, tasks: number): JobLogEntry =>
    info(`Summary: ${plural(projects, 'project')}, ${plural(lessons, 'lesson')}, ${plural(tasks, 'task')}`, {
      projects,
      lessons,
      tasks,
    }),
  published: (): JobLogEntry => success('Course published'),
  ready: (): JobLogEntry => info('Course ready for review (auto-publish is off)'),
};
