import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InvalidInputError } from '../common/domain-error';
import { assertNotGenerating, lockCourseOf } from './course-lock';
import { PatchCourseDto, PatchLessonDto, PatchProjectDto, PatchTaskDto } from './dto/patch-dtos';

type Item = 'project' | 'lesson' | 'task';

/** Where each item lives: its table, its parent column and its (deferrable) position constraint. */
const ITEMS: Record<
  Item,
  { table: string; parent: string; positionKey: string; columns: readonly string[] }
> = {
  project: {
    table: 'course_projects',
    parent: 'course_id',
    positionKey: 'course_projects_course_position_key',
    columns: ['title', 'description', 'objectives'],
  },
  lesson: {
    table: 'lessons',
    parent: 'project_id',
    positionKey: 'lessons_project_position_key',
    columns: ['title', 'summary', 'content', 'estimated_minutes'],
  },
  task: {
    table: 'tasks',
    parent: 'lesson_id',
    positionKey: 'tasks_lesson_position_key',
    columns: ['title', 'instructions', 'kind', 'estimated_minutes'],
  },
};

const COURSE_COLUMNS = ['title', 'description', 'topic', 'audience', 'level', 'language'] as const;

/** `SET a = $2, b = $3` for the fields present in `patch` (column names come from the lists above, never input). */
function setClause(
  patch: object,
  columns: readonly string[],
  firstParam: number,
): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const column of columns) {
    const value = (patch as Record<string, unknown>)[column];
    if (value === undefined) continue;
    params.push(column === 'objectives' ? JSON.stringify(value) : value);
    parts.push(`${column} = $${firstParam + params.length - 1}`);
  }
  return { sql: parts.join(', '), params };
}

function assertSomething(patch: object): void {
  if (Object.values(patch).every((v) => v === undefined)) throw new InvalidInputError('Nothing to change');
}

/** Edits text and order of a course's tree; one transaction per call, under the course's row lock. */
@Injectable()
export class CourseEditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns the course id. */
  async patchCourse(organizationId: string, courseId: string, patch: PatchCourseDto): Promise<string> {
    assertSomething(patch);
    return this.dataSource.transaction(async (manager) => {
      const course = await lockCourseOf(manager, 'course', courseId, organizationId);
      assertNotGenerating(course);
      const { sql, params } = setClause(patch, COURSE_COLUMNS, 2);
      await manager.query(`UPDATE courses SET ${sql}, updated_at = now() WHERE id = $1`, [
        courseId,
        ...params,
      ]);
      return course.course_id;
    });
  }

  patchProject(organizationId: string, id: string, patch: PatchProjectDto): Promise<string> {
    return this.patchItem('project', organizationId, id, patch);
  }

  patchLesson(organizationId: string, id: string, patch: PatchLessonDto): Promise<string> {
    return this.patchItem('lesson', organizationId, id, patch);
  }

  patchTask(organizationId: string, id: string, patch: PatchTaskDto): Promise<string> {
    return this.patchItem('task', organizationId, id, patch);
  }

  /** Deletes the course and (by cascade) its tree. Refused while it is being generated. */
  async deleteCourse(organizationId: string, courseId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const course = await lockCourseOf(manager, 'course', courseId, organizationId);
      assertNotGenerating(course);
      await manager.query(`DELETE FROM courses WHERE id = $1`, [courseId]);
    });
  }

  /** Returns the id of the item's course. */
  private async patchItem(
    item: Item,
    organizationId: string,
    id: string,
    patch: PatchProjectDto | PatchLessonDto | PatchTaskDto,
  ): Promise<string> {
    assertSomething(patch);
    const spec = ITEMS[item];
    return this.dataSource.transaction(async (manager) => {
      const course = await lockCourseOf(manager, item, id, organizationId);
      assertNotGenerating(course);
      const { sql, params } = setClause(patch, spec.columns, 2);
      if (sql) await manager.query(`UPDATE ${spec.table} SET ${sql} WHERE id = $1`, [id, ...params]);
      if (patch.position !== undefined) await this.move(manager, item, id, patch.position);
      await manager.query(`UPDATE courses SET updated_at = now() WHERE id = $1`, [course.course_id]);
      return course.course_id;
    });
  }

  /** Moves an item to `to` among its siblings, shifting those in between (positions stay 0..n-1). */
  private async move(manager: EntityManager, item: Item, id: string, to: number): Promise<void> {
    const { table, parent, positionKey } = ITEMS[item];
    const [row] = await manager.query<{ parent_id: string; position: number; siblings: number }[]>(
      `SELECT t.${parent} AS parent_id, t.position,
              (SELECT count(*)::int FROM ${table} s WHERE s.${parent} = t.${parent}) AS siblings
         FROM ${table} t WHERE t.id = $1`,
      [id],
    );
    if (to > row.siblings - 1) {
      throw new InvalidInputError(`position must be between 0 and ${row.siblings - 1}`, {
        field: 'position',
      });
    }
    const from = row.position;
    if (to === from) return;
    await manager.query(`SET CONSTRAINTS ${positionKey} DEFERRED`);
    if (to < from) {
      await manager.query(
        `UPDATE ${table} SET position = position + 1 WHERE ${parent} = $1 AND position >= $2 AND position < $3`,
        [row.parent_id, to, from],
      );
    } else {
      await manager.query(
        `UPDATE ${table} SET position = position - 1 WHERE ${parent} = $1 AND position > $2 AND position <= $3`,
        [row.parent_id, from, to],
      );
    }
    await manager.query(`UPDATE ${table} SET position = $2 WHERE id = $1`, [id, to]);
  }
}
