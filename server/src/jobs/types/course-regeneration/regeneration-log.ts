import type { JobLogEntry } from '../../../../../contracts/api';
import { info, plural, success, warning } from '../../engine/job-log';
import type { RegenerationParams } from './regeneration-params';

/** The part a regeneration rewrites, in words: `lessons of "Intro"`. */
export const partOf = (p: Pick<RegenerationParams, 'target'>, title: string): string =>
  `${p.target === 'project_lessons' ? 'lessons' : 'tasks'} of "${title}"`;

/** A regeneration's log lines, in one place (the engine adds retries, failures, cancels). docs/regeneration.md. */
export const REGEN_LOG = {
  start: (p: RegenerationParams): JobLogEntry =>
    info(`Starting regeneration of the ${partOf(p, p.item_title)}`, { target: p.target, item_id: p.item_id }),
  resume: (retry: number, p: RegenerationParams): JobLogEntry =>
    info(`Resuming regeneration of the ${partOf(p, p.item_title)} (retry #${retry})`, { retry }),
  instructions: (text: string): JobLogEntry => info(`Instructions: ${text}`),
  regeneratingLessons: (title: string): JobLogEntry => info(`Regenerating the lessons of "${title}"`),
  generatedLessons: (n: number, title: string, details: Record<string, unknown>): JobLogEntry =>
    success(`Generated ${plural(n, 'lesson')} for "${title}"`, details),
  startingTasks: (lessons: number): JobLogEntry =>
    info(`Generating the tasks of the ${plural(lessons, 'new lesson')}`, { lesson_total: lessons }),
  regeneratingTasks: (title: string): JobLogEntry => info(`Regenerating the tasks of "${title}"`),
  generatedTasks: (n: number, title: string, details: Record<string, unknown>): JobLogEntry =>
    success(`Generated ${plural(n, 'task')} for "${title}"`, details),
  replaced: (p: RegenerationParams, details: Record<string, unknown>): JobLogEntry =>
    success(`Replaced the ${partOf(p, p.item_title)} (the previous ones are kept as a version)`, details),
  gone: (p: RegenerationParams): JobLogEntry =>
    warning(
      `The ${p.target === 'project_lessons' ? 'project' : 'lesson'} "${p.item_title}" is no longer part of the course; nothing was replaced`,
    ),
};
