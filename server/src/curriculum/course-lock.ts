import type { EntityManager } from 'typeorm';
import type { CourseStatus } from '../../../contracts/api';
import { ConflictError, NotFoundError } from '../common/domain-error';

export interface LockedCourse {
  course_id: string;
  status: CourseStatus;
}

type Item = 'course' | 'project' | 'lesson' | 'task';

/** From an item to its course, always through `courses.organization_id` (never reveal another organization's). */
const LOCK_SQL: Record<Item, string> = {
  course: `SELECT c.id AS course_id, c.status FROM courses c
            WHERE c.id = $1 AND c.organization_id = $2 FOR UPDATE OF c`,
  project: `SELECT c.id AS course_id, c.status FROM course_projects p JOIN courses c ON c.id = p.course_id
             WHERE p.id = $1 AND c.organization_id = $2 FOR UPDATE OF c`,
  lesson: `SELECT c.id AS course_id, c.status FROM lessons l
             JOIN course_projects p ON p.id = l.project_id JOIN courses c ON c.id = p.course_id
            WHERE l.id = $1 AND c.organization_id = $2 FOR UPDATE OF c`,
  task: `SELECT c.id AS course_id, c.status FROM tasks t JOIN lessons l ON l.id = t.lesson_id
           JOIN course_projects p ON p.id = l.project_id JOIN courses c ON c.id = p.course_id
          WHERE t.id = $1 AND c.organization_id = $2 FOR UPDATE OF c`,
};

const NAME: Record<Item, string> = { course: 'Course', project: 'Project', lesson: 'Lesson', task: 'Task' };

/**
 * Locks the course that owns `id` (inside the caller's transaction), so edits, publishing and the jobs' status
 * changes of one course run one at a time. NotFoundError when it is missing or another organization's.
 */
export async function lockCourseOf(
  manager: EntityManager,
  item: Item,
  id: string,
  organizationId: string,
): Promise<LockedCourse> {
  const [row] = await manager.query<LockedCourse[]>(LOCK_SQL[item], [id, organizationId]);
  if (!row) throw new NotFoundError(NAME[item]);
  return row;
}

/** Content cannot be changed by hand while a generation job writes it. */
export function assertNotGenerating(course: LockedCourse): void {
  if (course.status === 'generating') {
    throw new ConflictError('The course is being generated; wait for its job to finish or cancel it first');
  }
}
