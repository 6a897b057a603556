import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../accounts/auth/auth-user';
import { InvalidInputError } from '../common/domain-error';
import { applyItemPatch, Item, setClause } from './course-item-writes';
import { assertNotGenerating, lockCourseOf } from './course-lock';
import { PatchCourseDto, PatchLessonDto, PatchProjectDto, PatchTaskDto } from './dto/patch-dtos';
import { CourseVersionsService } from './versions/course-versions.service';

const COURSE_COLUMNS = [
  'title',
  'description',
  'topic',
  'audience',
  'level',
  'language',
  'auto_publish_updates',
] as const;

function assertSomething(patch: object): void {
  if (Object.values(patch).every((v) => v === undefined)) throw new InvalidInputError('Nothing to change');
}

/** Edits text and order of a course's tree; one transaction per call, under the course's row lock. */
@Injectable()
export class CourseEditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly versions: CourseVersionsService,
  ) {}

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

  patchProject(user: AuthUser, id: string, patch: PatchProjectDto): Promise<string> {
    return this.patchItem('project', user, id, patch);
  }

  /** Keeps the lesson as it was as a version (docs/regeneration.md, "Versions"). */
  patchLesson(user: AuthUser, id: string, patch: PatchLessonDto): Promise<string> {
    return this.patchItem('lesson', user, id, patch);
  }

  /** Keeps the task as it was as a version. */
  patchTask(user: AuthUser, id: string, patch: PatchTaskDto): Promise<string> {
    return this.patchItem('task', user, id, patch);
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
    user: AuthUser,
    id: string,
    patch: PatchProjectDto | PatchLessonDto | PatchTaskDto,
  ): Promise<string> {
    assertSomething(patch);
    return this.dataSource.transaction(async (manager) => {
      const course = await lockCourseOf(manager, item, id, user.organization_id);
      assertNotGenerating(course);
      // One writer at a time: a regeneration replaces its part when it completes (docs/regeneration.md).
      await this.versions.assertNoActiveJob(manager, course.course_id, `edit the ${item}`);
      if (item !== 'project') {
        await this.versions.recordEdit(manager, course.course_id, item, id, patch, user);
      }
      await applyItemPatch(manager, item, id, patch);
      await manager.query(`UPDATE courses SET updated_at = now() WHERE id = $1`, [course.course_id]);
      return course.course_id;
    });
  }
}
