import type { VersionCause, VersionKind, VersionSnapshot } from '../../../../contracts/api';

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** One line for lists: "3 lessons", "4 tasks", or the lesson's or task's title. */
export function versionLabel(snapshot: VersionSnapshot): string {
  switch (snapshot.kind) {
    case 'project_lessons':
      return plural(snapshot.lessons.length, 'lesson');
    case 'lesson_tasks':
      return plural(snapshot.tasks.length, 'task');
    case 'lesson':
      return snapshot.lesson.title;
    case 'task':
      return snapshot.task.title;
  }
}

/** The fields a version of one lesson or task holds (what a PATCH can change). */
export function itemFields(snapshot: VersionSnapshot): object | null {
  if (snapshot.kind === 'lesson') return snapshot.lesson;
  if (snapshot.kind === 'task') return snapshot.task;
  return null;
}

/** Whether a PATCH changes anything: some field it sends differs from the stored one (undefined = not sent). */
export function changesSomething(current: object, patch: object): boolean {
  const now = current as Record<string, unknown>;
  return Object.entries(patch).some(([field, value]) => value !== undefined && now[field] !== value);
}

const WHAT: Record<VersionKind, (title: string) => { subject: string; plural: boolean }> = {
  project_lessons: (t) => ({ subject: `The lessons of “${t}”`, plural: true }),
  lesson_tasks: (t) => ({ subject: `The tasks of “${t}”`, plural: true }),
  lesson: (t) => ({ subject: `The lesson “${t}”`, plural: false }),
  task: (t) => ({ subject: `The task “${t}”`, plural: false }),
};

const DONE: Record<VersionCause, string> = {
  regenerated: 'regenerated',
  restored: 'restored to an earlier version',
  edited: 'edited',
};

/**
 * The banner of a published course sent back to review (docs/regeneration.md, "Published courses"), e.g. "The tasks
 * of “Frames” were regenerated on 2026-05-04; review the course and publish it again." The date is UTC.
 */
export function reviewNotice(kind: VersionKind, cause: VersionCause, title: string, at: Date): string {
  const { subject, plural: many } = WHAT[kind](title);
  const day = at.toISOString().slice(0, 10);
  return `${subject} ${many ? 'were' : 'was'} ${DONE[cause]} on ${day}; review the course and publish it again.`;
}

const GONE: Record<VersionKind, string> = {
  project_lessons: 'the project this version belongs to no longer exists',
  lesson_tasks:
    'the lesson this version belongs to no longer exists (its project’s lessons were replaced since); ' +
    'restore a version of the project’s lessons instead',
  lesson:
    'the lesson this version belongs to no longer exists (its project’s lessons were replaced since); ' +
    'restore a version of the project’s lessons instead',
  task:
    'the task this version belongs to no longer exists (its lesson’s tasks were replaced since); ' +
    'restore a version of the lesson’s tasks instead',
};

/** 409 message: a version whose item is gone cannot be restored. */
export function missingItemMessage(kind: VersionKind): string {
  return `Cannot restore: ${GONE[kind]}`;
}
