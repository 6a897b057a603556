import { DataSource } from 'typeorm';
import type { CourseStatus, TaskKind } from '../../contracts/api';
import { CourseTreeWriter } from '../../server/src/curriculum/course-tree-writer';
import { parseJsonOutline } from '../../server/src/curriculum/outline/outline-parser';
import type { TestApp } from './test-app';

/** A course tree in the upload JSON shape; missing fields take the upload's defaults. */
export interface CourseSpec {
  title?: string;
  description?: string;
  topic?: string;
  audience?: string;
  level?: 'beginner' | 'intermediate' | 'advanced' | null;
  language?: string;
  projects?: {
    title: string;
    description?: string;
    objectives?: string[];
    lessons?: {
      title: string;
      summary?: string;
      content?: string;
      estimated_minutes?: number | null;
      tasks?: { title: string; instructions?: string; kind?: TaskKind; estimated_minutes?: number | null }[];
    }[];
  }[];
}

/** `projects` × `lessons` × `tasks` named "Project 1", "Lesson 1.2", "Task 1.2.3". */
export function courseSpec(
  shape: { projects?: number; lessons?: number; tasks?: number; title?: string } = {},
): CourseSpec {
  const { projects = 2, lessons = 2, tasks = 2, title = 'Generated course' } = shape;
  return {
    title,
    projects: Array.from({ length: projects }, (_, p) => ({
      title: `Project ${p + 1}`,
      lessons: Array.from({ length: lessons }, (_, l) => ({
        title: `Lesson ${p + 1}.${l + 1}`,
        tasks: Array.from({ length: tasks }, (_, t) => ({ title: `Task ${p + 1}.${l + 1}.${t + 1}` })),
      })),
    })),
  };
}

/** Writes a course tree through the real writer, optionally forcing its status. Returns the course id. */
export async function createCourse(
  app: TestApp,
  owner: { organization_id: string; id?: string },
  spec: CourseSpec = courseSpec(),
  options: { status?: CourseStatus } = {},
): Promise<string> {
  const tree = parseJsonOutline({ title: 'Course', ...spec });
  const dataSource = app.app.get(DataSource);
  return dataSource.transaction(async (manager) => {
    const id = await app.app
      .get(CourseTreeWriter)
      .createCourse(manager, owner.organization_id, owner.id ?? null, tree);
    if (options.status) {
      await manager.query(
        `UPDATE courses SET status = $2, published_at = CASE WHEN $2 = 'published' THEN now() END WHERE id = $1`,
        [id, options.status],
      );
    }
    return id;
  });
}

export interface RowCounts {
  organizations: number;
  users: number;
  courses: number;
  course_projects: number;
  lessons: number;
  tasks: number;
}

/** Rows of every accounts and curriculum table: compare before and after a request that must write nothing. */
export async function countRows(app: TestApp): Promise<RowCounts> {
  const [row] = await app.app.get(DataSource).query<RowCounts[]>(
    `SELECT (SELECT count(*)::int FROM organizations) AS organizations, (SELECT count(*)::int FROM users) AS users,
            (SELECT count(*)::int FROM courses) AS courses, (SELECT count(*)::int FROM course_projects) AS course_projects,
            (SELECT count(*)::int FROM lessons) AS lessons, (SELECT count(*)::int FROM tasks) AS tasks`,
  );
  return row;
}

/** A course row as stored (for checks the API does not show). */
export async function courseRow(
  app: TestApp,
  id: string,
): Promise<{ status: CourseStatus; updated_at: Date } | undefined> {
  const [row] = await app.app
    .get(DataSource)
    .query(`SELECT status, updated_at FROM courses WHERE id = $1`, [id]);
  return row;
}
