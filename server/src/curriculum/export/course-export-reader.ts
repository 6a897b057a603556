import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CourseCounts, CourseSummary, LessonView, QualityReport } from '../../../../contracts/api';
import { NotFoundError } from '../../common/domain-error';
import { CourseQueryService } from '../course-query.service';
import {
  assembleTree,
  COURSE_COLUMNS,
  CourseRow,
  LessonRow,
  ProjectRow,
  TaskRow,
  toCourseSummary,
} from '../course-views';

/**
 * Reads a course for an export one project at a time, so a big course is never held in memory whole
 * (docs/export.md). The rows and their views are the ones GET /courses/:id uses (course-views.ts).
 */
@Injectable()
export class CourseExportReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: CourseQueryService,
  ) {}

  /** The course summary with its counts, or NotFoundError (also for another organization's course). */
  async course(organizationId: string, courseId: string): Promise<CourseSummary> {
    const [row] = await this.dataSource.query<CourseRow[]>(
      `SELECT ${COURSE_COLUMNS} FROM courses c WHERE c.id = $1 AND c.organization_id = $2`,
      [courseId, organizationId],
    );
    if (!row) throw new NotFoundError('Course');
    const [counts] = await this.dataSource.query<CourseCounts[]>(
      `SELECT count(DISTINCT p.id)::int AS projects, count(DISTINCT l.id)::int AS lessons, count(t.id)::int AS tasks
         FROM course_projects p
         LEFT JOIN lessons l ON l.project_id = p.id
         LEFT JOIN tasks t ON t.lesson_id = l.id
        WHERE p.course_id = $1`,
      [courseId],
    );
    return toCourseSummary(row, counts);
  }

  /** The course's projects in order, without their lessons (ids, titles, descriptions, objectives). */
  projects(courseId: string): Promise<ProjectRow[]> {
    return this.dataSource.query<ProjectRow[]>(
      `SELECT id, course_id, position, title, description, objectives FROM course_projects
        WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
  }

  /** One project's lessons with their tasks, in order. */
  async lessons(project: ProjectRow): Promise<LessonView[]> {
    const lessons = await this.dataSource.query<LessonRow[]>(
      `SELECT id, project_id, position, title, summary, content, estimated_minutes FROM lessons
        WHERE project_id = $1 ORDER BY position`,
      [project.id],
    );
    const tasks = await this.dataSource.query<TaskRow[]>(
      `SELECT t.id, t.lesson_id, t.position, t.title, t.instructions, t.kind, t.estimated_minutes
         FROM tasks t JOIN lessons l ON l.id = t.lesson_id
        WHERE l.project_id = $1 ORDER BY l.position, t.position`,
      [project.id],
    );
    return assembleTree([project], lessons, tasks)[0].lessons;
  }

  /** The quality gate's last report on the course (docs/generation.md, "Quality gate"), or null. */
  async qualityReport(courseId: string): Promise<QualityReport | null> {
    const [row] = await this.dataSource.query<{ quality_report: QualityReport | null }[]>(
      `SELECT quality_report FROM courses WHERE id = $1`,
      [courseId],
    );
    return row?.quality_report ?? null;
  }

  usage(courseId: string): ReturnType<CourseQueryService['usage']> {
    return this.queries.usage(courseId);
  }
}
