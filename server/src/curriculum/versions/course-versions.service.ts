import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import type { RestoreVersionResponse, VersionDetail, VersionListResponse } from '../../../../contracts/api';
import type { AuthUser } from '../../accounts/auth/auth-user';
import { ConflictError, NotFoundError } from '../../common/domain-error';
import { assertNotGenerating, lockCourseOf } from '../course-lock';
import { CoursePublishService } from '../course-publish.service';
import { CourseQueryService } from '../course-query.service';
import type { LessonInput, TaskInput } from '../curriculum-content.service';
import { ACTIVE_COURSE_JOBS, ActiveCourseJobs } from './active-course-jobs';
import { PARTS, writeLessons, writeSnapshot, writeTasks } from './content-parts';
import { changesSomething, itemFields, missingItemMessage, reviewNotice } from './version-rules';
import { findVersion, insertVersion, listVersions } from './version-store';

/** Who or what replaced a part of a course (recorded on the version of what was there before). */
export type ReplacedBy =
  | { cause: 'regenerated'; job_id: string; model: string | null; prompt_id: string | null }
  | { cause: 'edited'; user_id: string; user_name: string }
  | { cause: 'restored'; user_id: string; user_name: string; restored_version_id: string };

/** A lesson to write in place of a project's lessons: its id chosen in advance (staged content keeps it). */
export interface ReplacementLesson extends LessonInput {
  id: string;
  tasks: TaskInput[];
}

/**
 * Versions of course parts (docs/regeneration.md, "Versions"): what a part was before a regeneration, a manual edit
 * or a restore replaced it, listed, shown and restored within the course's organization. Regenerations and restores
 * apply the published-course rule (CoursePublishService.afterPartReplaced); manual edits do not.
 */
@Injectable()
export class CourseVersionsService {
  private activeJobs?: ActiveCourseJobs;

  constructor(
    private readonly db: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly publishing: CoursePublishService,
    private readonly queries: CourseQueryService,
  ) {}

  /**
   * Inside `m` (the transaction that completes a regeneration job): the project's current lessons (with their tasks)
   * become a version, are deleted, and `lessons` (with their tasks) are written in their place, in order. Applies the
   * published-course rule. Returns the new version's id; null when the project no longer exists.
   */
  replaceProjectLessons(
    m: EntityManager,
    courseId: string,
    projectId: string,
    lessons: ReplacementLesson[],
    by: ReplacedBy,
  ): Promise<string | null> {
    return this.replace(m, courseId, 'project_lessons', projectId, by, () =>
      writeLessons(m, projectId, lessons),
    );
  }

  /** The same for the tasks of one lesson. */
  replaceLessonTasks(
    m: EntityManager,
    courseId: string,
    lessonId: string,
    tasks: TaskInput[],
    by: ReplacedBy,
  ): Promise<string | null> {
    return this.replace(m, courseId, 'lesson_tasks', lessonId, by, () => writeTasks(m, lessonId, tasks));
  }

  /**
   * Inside a manual PATCH's transaction, before it writes (the course locked): the lesson or task as it is becomes a
   * version "edited by" the user, when the patch changes something. Returns the version's id, or null.
   */
  async recordEdit(
    m: EntityManager,
    courseId: string,
    kind: 'lesson' | 'task',
    itemId: string,
    patch: object,
    user: AuthUser,
  ): Promise<string | null> {
    const current = await PARTS[kind].read(m, courseId, itemId);
    const fields = current && itemFields(current.snapshot);
    if (!current || !fields || !changesSomething(fields, patch)) return null;
    return insertVersion(m, courseId, itemId, current.snapshot, {
      cause: 'edited',
      user_id: user.id,
      user_name: user.email,
    });
  }

  /** The course's versions, newest first, of one item or (without `itemId`) all of them. */
  async list(organizationId: string, courseId: string, itemId?: string): Promise<VersionListResponse> {
    await this.assertCourse(organizationId, courseId);
    return { versions: await listVersions(this.db, courseId, itemId) };
  }

  /** One version with what it holds, and the same part as it is now (null when its item is gone). */
  async get(organizationId: string, courseId: string, versionId: string): Promise<VersionDetail> {
    await this.assertCourse(organizationId, courseId);
    const version = await findVersion(this.db, organizationId, courseId, versionId);
    if (!version) throw new NotFoundError('Version');
    const current = await PARTS[version.kind].read(this.db.manager, courseId, version.item_id);
    return { ...version, current: current?.snapshot ?? null };
  }

  /**
   * Brings a version back, in one transaction under the course's lock: refused (409) while the course has an active
   * job or the version's item is gone; what is there now becomes a version (cause `restored`), so a restore can be
   * undone; the snapshot is written back with its ids; the published-course rule applies.
   */
  async restore(user: AuthUser, courseId: string, versionId: string): Promise<RestoreVersionResponse> {
    const organizationId = user.organization_id;
    const newVersionId = await this.db.transaction(async (m) => {
      const course = await lockCourseOf(m, 'course', courseId, organizationId);
      const version = await findVersion(m, organizationId, courseId, versionId);
      if (!version) throw new NotFoundError('Version');
      assertNotGenerating(course);
      await this.assertNoActiveJob(m, courseId, 'restore the version');
      const current = await PARTS[version.kind].read(m, courseId, version.item_id);
      if (!current) throw new ConflictError(missingItemMessage(version.kind));
      const id = await insertVersion(m, courseId, version.item_id, current.snapshot, {
        cause: 'restored',
        user_id: user.id,
        user_name: user.email,
        restored_version_id: version.id,
      });
      await writeSnapshot(m, version.item_id, version.snapshot);
      await this.publishing.afterPartReplaced(
        m,
        courseId,
        reviewNotice(version.kind, 'restored', current.title, new Date()),
      );
      return id;
    });
    return { course: await this.queries.detail(organizationId, courseId), version_id: newVersionId };
  }

  /** Snapshot, replace, apply the published rule; null (nothing written) when the item is not in the course. */
  private async replace(
    m: EntityManager,
    courseId: string,
    kind: 'project_lessons' | 'lesson_tasks',
    itemId: string,
    by: ReplacedBy,
    write: () => Promise<void>,
  ): Promise<string | null> {
    // The course's lock first, as every edit takes it: the part cannot change between its snapshot and its write.
    const locked = await m.query<unknown[]>(`SELECT 1 FROM courses WHERE id = $1 FOR UPDATE`, [courseId]);
    if (locked.length === 0) return null;
    const current = await PARTS[kind].read(m, courseId, itemId);
    if (!current) return null;
    const id = await insertVersion(m, courseId, itemId, current.snapshot, by);
    await write();
    await this.publishing.afterPartReplaced(
      m,
      courseId,
      reviewNotice(kind, by.cause, current.title, new Date()),
    );
    return id;
  }

  private async assertCourse(organizationId: string, courseId: string): Promise<void> {
    const rows = await this.db.query<unknown[]>(
      `SELECT 1 FROM courses WHERE id = $1 AND organization_id = $2`,
      [courseId, organizationId],
    );
    if (rows.length === 0) throw new NotFoundError('Course');
  }

  /**
   * 409 (naming the job) while the course has an active job of any type — a regeneration leaves the course's status
   * alone, so the status check is not enough. Call under the course's lock.
   */
  async assertNoActiveJob(m: EntityManager, courseId: string, action: string): Promise<void> {
    const jobId = await this.activeCourseJobs().activeJobId(m, courseId);
    if (jobId) {
      throw new ConflictError(
        `The course has an active job; ${action} when the job has finished, or cancel it first`,
        { job_id: jobId },
      );
    }
  }

  /** Provided by the jobs module, which the curriculum does not import: looked up by its token when first needed. */
  private activeCourseJobs(): ActiveCourseJobs {
    this.activeJobs ??= this.moduleRef.get<ActiveCourseJobs>(ACTIVE_COURSE_JOBS, { strict: false });
    return this.activeJobs;
  }
}
