import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type {
  CourseCounts,
  CourseDetail,
  CourseListResponse,
  CourseStatus,
  ProjectView,
  QualityReport,
  UsageRow,
} from '../../../contracts/api';
import { NotFoundError } from '../common/domain-error';
import {
  assembleTree,
  COURSE_COLUMNS,
  CourseRow,
  LessonRow,
  NO_COUNTS,
  ProjectRow,
  TaskRow,
  toCourseSummary,
} from './course-views';

export interface CourseListQuery {
  status?: CourseStatus;
  search?: string;
  page: number;
  page_size: number;
}

/** `%`, `_` and `\` match themselves in a search. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Reads courses, always within one organization: another organization's course is "not found". */
@Injectable()
export class CourseQueryService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest `updated_at` first; three queries whatever the page size (page, total, counts). */
  async list(organizationId: string, query: CourseListQuery): Promise<CourseListResponse> {
    const where = ['c.organization_id = $1'];
    const params: unknown[] = [organizationId];
    if (query.status) {
      params.push(query.status);
      where.push(`c.status = $${params.length}`);
    }
    const search = query.search?.trim();
    if (search) {
      params.push(`%${likeEscape(search)}%`);
      where.push(`c.title ILIKE $${params.length}`);
    }
    const whereSql = where.join(' AND ');
    const offset = (query.page - 1) * query.page_size;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<CourseRow[]>(
        `SELECT ${COURSE_COLUMNS} FROM courses c WHERE ${whereSql}
          ORDER BY c.updated_at DESC, c.id DESC LIMIT ${query.page_size} OFFSET ${offset}`,
        params,
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM courses c WHERE ${whereSql}`,
        params,
      ),
    ]);
    const counts = await this.counts(rows.map((r) => r.id));
    return {
      items: rows.map((r) => toCourseSummary(r, counts.get(r.id) ?? NO_COUNTS)),
      total,
      page: query.page,
      page_size: query.page_size,
    };
  }

  /** The course with its whole tree ordered by position, or NotFoundError (also for another organization's). */
  async detail(organizationId: string, courseId: string, manager?: EntityManager): Promise<CourseDetail> {
    const db = manager ?? this.dataSource.manager;
    const [course] = await db.query<(CourseRow & { quality_report: QualityReport | null })[]>(
      `SELECT ${COURSE_COLUMNS}, c.quality_report FROM courses c WHERE c.id = $1 AND c.organization_id = $2`,
      [courseId, organizationId],
    );
    if (!course) throw new NotFoundError('Course');
    const projects = await this.tree(courseId, db);
    const counts: CourseCounts = {
      projects: projects.length,
      lessons: projects.reduce((n, p) => n + p.lessons.length, 0),
      tasks: projects.reduce((n, p) => n + p.lessons.reduce((m, l) => m + l.tasks.length, 0), 0),
    };
    return {
      ...toCourseSummary(course, counts),
      projects,
      usage: await this.usage(courseId, db),
      quality_report: course.quality_report,
    };
  }

  /** Projects → lessons → tasks of a course, ordered by position (three queries). */
  async tree(courseId: string, manager?: EntityManager): Promise<ProjectView[]> {
    const db = manager ?? this.dataSource.manager;
    const projects = await db.query<ProjectRow[]>(
      `SELECT id, course_id, position, title, description, objectives FROM course_projects
        WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
    const lessons = await db.query<LessonRow[]>(
      `SELECT l.id, l.project_id, l.position, l.title, l.summary, l.content, l.estimated_minutes
         FROM lessons l JOIN course_projects p ON p.id = l.project_id
        WHERE p.course_id = $1 ORDER BY p.position, l.position`,
      [courseId],
    );
    const tasks = await db.query<TaskRow[]>(
      `SELECT t.id, t.lesson_id, t.position, t.title, t.instructions, t.kind, t.estimated_minutes
         FROM tasks t JOIN lessons l ON l.id = t.lesson_id JOIN course_projects p ON p.id = l.project_id
        WHERE p.course_id = $1 ORDER BY p.position, l.position, t.position`,
      [courseId],
    );
    return assembleTree(projects, lessons, tasks);
  }

  /**
   * Token usage and cost of every model call made for the course (oldest first), and its totals — summed in SQL
   * over numeric, so they add up exactly (docs/costs.md).
   */
  async usage(courseId: string, manager?: EntityManager): Promise<CourseDetail['usage']> {
    const db = manager ?? this.dataSource.manager;
    // The sums come with the rows, from the same statement (one snapshot): they always agree.
    const rows = await db.query<
      (Omit<UsageRow, 'created_at' | 'cost_usd'> & {
        created_at: Date;
        cost_usd: string | null;
        known_total: string | null;
        unpriced_total: number;
      })[]
    >(
      `SELECT stage, model, prompt_tokens, completion_tokens, duration_ms, created_at, cached_tokens, cost_usd,
              (sum(cost_usd) OVER ())::text AS known_total,
              (count(*) FILTER (WHERE cost_usd IS NULL) OVER ())::int AS unpriced_total
         FROM generation_usage WHERE course_id = $1 ORDER BY created_at, id`,
      [courseId],
    );
    const sum = { known: rows[0]?.known_total ?? '0', unpriced: rows[0]?.unpriced_total ?? 0 };
    const totals = {
      prompt_tokens: 0,
      completion_tokens: 0,
      cached_tokens: 0,
      calls: rows.length,
      // Unknown stays unknown: null only when nothing known was spent (docs/costs.md, "Unknown prices").
      cost_usd: sum.unpriced > 0 && Number(sum.known) === 0 ? null : Number(sum.known),
      unpriced_calls: sum.unpriced,
    };
    for (const row of rows) {
      totals.prompt_tokens += row.prompt_tokens;
      totals.completion_tokens += row.completion_tokens;
      totals.cached_tokens += row.cached_tokens;
    }
    return {
      rows: rows.map(({ known_total: _k, unpriced_total: _u, ...r }) => ({
        ...r,
        created_at: r.created_at.toISOString(),
        cost_usd: r.cost_usd === null ? null : Number(r.cost_usd),
      })),
      totals,
    };
  }

  /** Projects, lessons and tasks per course, in one aggregate query. */
  private async counts(courseIds: string[]): Promise<Map<string, CourseCounts>> {
    if (courseIds.length === 0) return new Map();
    const rows = await this.dataSource.query<({ course_id: string } & CourseCounts)[]>(
      `SELECT p.course_id,
              count(DISTINCT p.id)::int AS projects,
              count(DISTINCT l.id)::int AS lessons,
              count(t.id)::int AS tasks
         FROM course_projects p
         LEFT JOIN lessons l ON l.project_id = p.id
         LEFT JOIN tasks t ON t.lesson_id = l.id
        WHERE p.course_id = ANY($1::uuid[])
        GROUP BY p.course_id`,
      [courseIds],
    );
    return new Map(rows.map(({ course_id, ...counts }) => [course_id, counts]));
  }
}
