import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CourseLevel } from '../../../../contracts/api';
import type { CourseContext, LessonsContext, TasksContext } from '../../generation/prompts/prompt-context';
import { DEFAULT_COUNTS } from '../../generation/generation.constants';

export interface PendingItem {
  id: string;
  title: string;
}

export interface CourseCounts {
  projects: number;
  lessons: number;
  tasks: number;
  projects_with_lessons: number;
  lessons_with_tasks: number;
}

/** A step's prompt context and the numbers its log lines need ("project 2/5"). */
export interface StepWork<C> {
  context: C;
  title: string;
  index: number;
  total: number;
  /** Items the parent already has: the step has nothing left to write. */
  existing: number;
}

interface CourseRow {
  title: string;
  description: string;
  topic: string;
  audience: string;
  level: CourseLevel | null;
  language: string;
}

const courseContext = (c: CourseRow): CourseContext => ({
  title: c.title,
  description: c.description,
  topic: c.topic,
  audience: c.audience,
  level: c.level,
  language: c.language,
});

/** Reads of the curriculum tree that the queue needs: what is left to write, and each step's prompt context. */
@Injectable()
export class CourseTree {
  constructor(private readonly db: DataSource) {}

  async title(courseId: string): Promise<string> {
    const rows: { title: string }[] = await this.db.query(`SELECT title FROM courses WHERE id = $1`, [
      courseId,
    ]);
    return rows[0]?.title ?? '';
  }

  async counts(courseId: string): Promise<CourseCounts> {
    const rows: CourseCounts[] = await this.db.query(
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
      `SELECT p.id, p.title FROM course_projects p
       WHERE p.course_id = $1 AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.project_id = p.id)
       ORDER BY p.position`,
      [courseId],
    );
  }

  async lessonsWithoutTasks(courseId: string): Promise<PendingItem[]> {
    return this.db.query(
      `SELECT l.id, l.title FROM lessons l JOIN course_projects p ON p.id = l.project_id
       WHERE p.course_id = $1 AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.lesson_id = l.id)
       ORDER BY p.position, l.position`,
      [courseId],
    );
  }

  /** One query: the project, its course, its siblings and the titles of its lessons (if any). */
  async lessonsWork(projectId: string): Promise<StepWork<LessonsContext> | null> {
    const rows: (CourseRow & {
      p_title: string;
      p_description: string;
      objectives: string[];
      siblings: { id: string; title: string }[];
      existing: string[];
    })[] = await this.db.query(
      `SELECT c.title, c.description, c.topic, c.audience, c.level, c.language,
              p.title AS p_title, p.description AS p_description, p.objectives,
              (SELECT json_agg(json_build_object('id', s.id, 'title', s.title) ORDER BY s.position)
                 FROM course_projects s WHERE s.course_id = p.course_id) AS siblings,
              (SELECT COALESCE(json_agg(l.title ORDER BY l.position), '[]'::json)
                 FROM lessons l WHERE l.project_id = p.id) AS existing
       FROM course_projects p JOIN courses c ON c.id = p.course_id WHERE p.id = $1`,
      [projectId],
    );
    const row = rows[0];
    if (!row) return null;
    const siblings = row.siblings;
    return {
      title: row.p_title,
      index: siblings.findIndex((s) => s.id === projectId) + 1,
      total: siblings.length,
      existing: row.existing.length,
      context: {
        stage: 'lessons',
        course: courseContext(row),
        project: { title: row.p_title, description: row.p_description, objectives: row.objectives ?? [] },
        sibling_projects: siblings.filter((s) => s.id !== projectId).map((s) => s.title),
        existing_lessons: row.existing,
        lesson_count: DEFAULT_COUNTS.lessonsPerProject,
      },
    };
  }

  /** One query: the lesson, its project and course, every lesson of the course and the titles of its tasks. */
  async tasksWork(lessonId: string): Promise<StepWork<TasksContext> | null> {
    const rows: (CourseRow & {
      project_id: string;
      p_title: string;
      p_description: string;
      l_title: string;
      summary: string;
      all_lessons: { id: string; title: string; project_id: string }[];
      existing: string[];
    })[] = await this.db.query(
      `SELECT c.title, c.description, c.topic, c.audience, c.level, c.language,
              p.id AS project_id, p.title AS p_title, p.description AS p_description,
              l.title AS l_title, l.summary,
              (SELECT json_agg(json_build_object('id', l2.id, 'title', l2.title, 'project_id', l2.project_id)
                               ORDER BY p2.position, l2.position)
                 FROM lessons l2 JOIN course_projects p2 ON p2.id = l2.project_id
                 WHERE p2.course_id = c.id) AS all_lessons,
              (SELECT COALESCE(json_agg(t.title ORDER BY t.position), '[]'::json)
                 FROM tasks t WHERE t.lesson_id = l.id) AS existing
       FROM lessons l JOIN course_projects p ON p.id = l.project_id JOIN courses c ON c.id = p.course_id
       WHERE l.id = $1`,
      [lessonId],
    );
    const row = rows[0];
    if (!row) return null;
    const allLessons = row.all_lessons;
    return {
      title: row.l_title,
      index: allLessons.findIndex((l) => l.id === lessonId) + 1,
      total: allLessons.length,
      existing: row.existing.length,
      context: {
        stage: 'tasks',
        course: courseContext(row),
        project: { title: row.p_title, description: row.p_description },
        lesson: { title: row.l_title, summary: row.summary },
        sibling_lessons: allLessons
          .filter((l) => l.project_id === row.project_id && l.id !== lessonId)
          .map((l) => l.title),
        existing_tasks: row.existing,
        task_count: DEFAULT_COUNTS.tasksPerLesson,
      },
    };
  }
}
