import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface PendingItem {
  id: string;
  title: string;
  /** Course order: the project's position, and the lesson's (null for a project). */
  project_position: number;
  lesson_position: number | null;
  /** The lesson's project; null for a project. */
  parent_id: string | null;
}

export interface CourseCounts {
  projects: number;
  lessons: number;
  tasks: number;
  projects_with_lessons: number;
  lessons_with_tasks: number;
}

/** A course about to be queued for generation, read under its row lock. */
export interface CourseForGeneration {
  status: string;
  projects: number;
}

/**
 * Reads of the curriculum tree that course generation needs (the `course_generation` job type and its API): what is
 * left to write, the course's counts, and the course locked while a job is created. The jobs module writes no SQL
 * against curriculum tables; it calls this (docs/extending.md).
 */
@Injectable()
export class CourseGenerationItems {
  constructor(private readonly db: DataSource) {}

  /**
   * The course of `organizationId`, locked until the transaction ends (two requests queueing it at once are
   * serialised), with its status and project count; null when it is not there or not the organization's.
   */
  async lockForGeneration(
    m: EntityManager,
    courseId: string,
    organizationId: string,
  ): Promise<CourseForGeneration | null> {
    const rows: CourseForGeneration[] = await m.query(
      `SELECT c.status, (SELECT count(*)::int FROM course_projects p WHERE p.course_id = c.id) AS projects
       FROM courses c WHERE c.id = $1 AND c.organization_id = $2 FOR UPDATE OF c`,
      [courseId, organizationId],
    );
    return rows[0] ?? null;
  }

  async title(courseId: string): Promise<string> {
    const rows: { title: string }[] = await this.db.query(`SELECT title FROM courses WHERE id = $1`, [
      courseId,
    ]);
    return rows[0]?.title ?? '';
  }

  async counts(
    courseId: string,
    q: Pick<DataSource | EntityManager, 'query'> = this.db,
  ): Promise<CourseCounts> {
    const rows: CourseCounts[] = await q.query(
      `SELECT
         (SELECT count(*)::int FROM course_projects p WHERE p.course_id = $1) AS projects,
         (SELECT count(*)::int FROM lessons l JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1) AS lessons,
         (SELECT count(*)::int FROM tasks t JOIN lessons l ON l.id = t.lesson_id
            JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1) AS tasks,
         (SELECT count(*)::int FROM course_projects p WHERE p.course_id = $1
            AND EXISTS (SELECT 1 FROM lessons l WHERE l.project_id = p.id)) AS projects_with_lessons,
         (SELECT count(*)::int FROM lessons l JOIN course_projects p ON p.id = l.project_id WHERE p.course_id = $1
            AND EXISTS (SELECT 1 FROM tasks t WHERE t.lesson_id = l.id)) AS lessons_with_tasks`,
      [courseId],
    );
    return rows[0];
  }

  async projectsWithoutLessons(courseId: string): Promise<PendingItem[]> {
    return this.db.query(
      `SELECT p.id, p.title, p.position AS project_position, NULL::int AS lesson_position, NULL::uuid AS parent_id
       FROM course_projects p
       WHERE p.course_id = $1 AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.project_id = p.id)
       ORDER BY p.position`,
      [courseId],
    );
  }

  async lessonsWithoutTasks(courseId: string): Promise<PendingItem[]> {
    return this.db.query(
      `SELECT l.id, l.title, p.position AS project_position, l.position AS lesson_position, p.id AS parent_id
       FROM lessons l JOIN course_projects p ON p.id = l.project_id
       WHERE p.course_id = $1 AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.lesson_id = l.id)
       ORDER BY p.position, l.position`,
      [courseId],
    );
  }
}
