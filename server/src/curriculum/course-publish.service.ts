import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from '../common/domain-error';
import { lockCourseOf } from './course-lock';

export interface MissingParts {
  projects_without_lessons: string[];
  lessons_without_tasks: string[];
}

/** What keeps a course from being published: its project count and the titles of empty projects and lessons. */
async function missingParts(
  manager: EntityManager,
  courseId: string,
): Promise<{ projects: number; missing: MissingParts }> {
  const projects = await manager.query<{ title: string; lessons: number }[]>(
    `SELECT p.title, (SELECT count(*)::int FROM lessons l WHERE l.project_id = p.id) AS lessons
       FROM course_projects p WHERE p.course_id = $1 ORDER BY p.position`,
    [courseId],
  );
  const lessons = await manager.query<{ title: string }[]>(
    `SELECT l.title FROM lessons l JOIN course_projects p ON p.id = l.project_id
      WHERE p.course_id = $1 AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.lesson_id = l.id)
      ORDER BY p.position, l.position`,
    [courseId],
  );
  return {
    projects: projects.length,
    missing: {
      projects_without_lessons: projects.filter((p) => p.lessons === 0).map((p) => p.title),
      lessons_without_tasks: lessons.map((l) => l.title),
    },
  };
}

/** What the published-course rule did: docs/regeneration.md, "Published courses". */
export type PublishedRuleOutcome = 'not_published' | 'kept_published' | 'back_to_review';

const isComplete = (projects: number, m: MissingParts): boolean =>
  projects > 0 && m.projects_without_lessons.length === 0 && m.lessons_without_tasks.length === 0;

const quoted = (titles: string[]): string => titles.map((t) => `"${t}"`).join(', ');

/** Publishing rules; usable without HTTP (the jobs module auto-publishes through `publish`). */
@Injectable()
export class CoursePublishService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Publishes a complete course: at least one project, every project with lessons, every lesson with tasks.
   * ConflictError (409) with `missing` naming what is not there, or when the course is being generated.
   * Publishing a published course changes nothing.
   */
  async publish(organizationId: string, courseId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const course = await lockCourseOf(manager, 'course', courseId, organizationId);
      if (course.status === 'published') return;
      if (course.status === 'generating') {
        throw new ConflictError(
          'The course is being generated; it can be published when its job has finished',
          {
            missing: { projects_without_lessons: [], lessons_without_tasks: [] },
          },
        );
      }
      const { projects, missing } = await missingParts(manager, courseId);
      if (projects === 0) {
        throw new ConflictError('Cannot publish: the course has no projects', { missing });
      }
      const problems: string[] = [];
      if (missing.projects_without_lessons.length > 0) {
        problems.push(`projects without lessons: ${quoted(missing.projects_without_lessons)}`);
      }
      if (missing.lessons_without_tasks.length > 0) {
        problems.push(`lessons without tasks: ${quoted(missing.lessons_without_tasks)}`);
      }
      if (problems.length > 0) throw new ConflictError(`Cannot publish: ${problems.join('; ')}`, { missing });
      await manager.query(
        `UPDATE courses SET status = 'published', published_at = now(), review_notice = NULL, updated_at = now()
          WHERE id = $1`,
        [courseId],
      );
    });
  }

  /**
   * Auto-publish at the end of a generation job, inside the job's transaction: a complete course in status
   * generating, ready or draft becomes published (true); an incomplete one becomes ready instead (false), so it
   * never stays "generating". No organization check: the caller holds the course's job.
   */
  async publishGenerated(courseId: string, manager?: EntityManager): Promise<boolean> {
    const run = async (m: EntityManager): Promise<boolean> => {
      const [course] = await m.query<{ status: string }[]>(
        `SELECT status FROM courses WHERE id = $1 FOR UPDATE`,
        [courseId],
      );
      if (!course || !['generating', 'ready', 'draft'].includes(course.status))
        return course?.status === 'published';
      const { projects, missing } = await missingParts(m, courseId);
      const publish = isComplete(projects, missing);
      await m.query(
        publish
          ? `UPDATE courses SET status = 'published', published_at = now(), review_notice = NULL, updated_at = now()
              WHERE id = $1`
          : `UPDATE courses SET status = 'ready', updated_at = now() WHERE id = $1`,
        [courseId],
      );
      return publish;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  /**
   * The published-course rule (docs/regeneration.md, "Published courses"), after a regeneration or a restore replaced
   * part of the course, inside that transaction with the course locked. A published course stays published (its
   * `published_at` refreshed: the content published changed then) when it is set to auto-publish updates and is still
   * complete; otherwise it returns to `ready` with `notice` as its review banner. Other statuses are left as they are.
   */
  async afterPartReplaced(m: EntityManager, courseId: string, notice: string): Promise<PublishedRuleOutcome> {
    const [course] = await m.query<{ status: string; auto_publish_updates: boolean }[]>(
      `SELECT status, auto_publish_updates FROM courses WHERE id = $1`,
      [courseId],
    );
    if (course?.status !== 'published') {
      await m.query(`UPDATE courses SET updated_at = now() WHERE id = $1`, [courseId]);
      return 'not_published';
    }
    if (course.auto_publish_updates) {
      const { projects, missing } = await missingParts(m, courseId);
      if (isComplete(projects, missing)) {
        await m.query(`UPDATE courses SET published_at = now(), updated_at = now() WHERE id = $1`, [
          courseId,
        ]);
        return 'kept_published';
      }
    }
    await m.query(
      `UPDATE courses SET status = 'ready', published_at = NULL, review_notice = $2, updated_at = now()
        WHERE id = $1`,
      [courseId, notice],
    );
    return 'back_to_review';
  }

  /** published → ready; ConflictError unless the course is published. */
  async unpublish(organizationId: string, courseId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const course = await lockCourseOf(manager, 'course', courseId, organizationId);
      if (course.status !== 'published') {
        throw new ConflictError(`Only a published course can be unpublished (this one is ${course.status})`);
      }
      await manager.query(
        `UPDATE courses SET status = 'ready', published_at = NULL, updated_at = now() WHERE id = $1`,
        [courseId],
      );
    });
  }
}
