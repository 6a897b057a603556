import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { LessonsRequest } from '../generation/generators/lesson.generator';
import type { TasksRequest } from '../generation/generators/task.generator';
import type { CourseContext } from '../generation/prompts/prompt-context';

/** A generator's input read from the stored curriculum, with what progress logs need ("project 2/5"). */
export interface ItemWork<R> {
  request: R;
  course_id: string;
  /** The project's (lessons) or lesson's (tasks) title. */
  title: string;
  /** 1-based position among the course's projects (lessons) or all its lessons in order (tasks). */
  index: number;
  total: number;
  /** Items the parent already has: then there is nothing left to write. */
  existing: number;
  /** Course order of the item: its project's position, and the lesson's (tasks; null for lessons). */
  project_position: number;
  lesson_position: number | null;
  /** The lesson's project (tasks); null for a project. */
  parent_item_id: string | null;
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

interface CourseRow extends CourseContext {
  course_id: string;
}

const courseContext = ({
  title,
  description,
  topic,
  audience,
  level,
  language,
}: CourseRow): CourseContext => ({
  title,
  description,
  topic,
  audience,
  level,
  language,
});

const COURSE_COLUMNS = `c.id AS course_id, c.title, c.description, c.topic, c.audience, c.level, c.language`;

/**
 * Builds the generators' inputs (the prompt contexts) from the stored curriculum, one query each. The manual
 * path and the queue's steps both use these, so a lesson is prompted the same way whichever path writes it.
 *
 * Every lookup is scoped to a course the caller already trusts (the signed-in user's course, or the course of the
 * job row a step belongs to): an id from a request or a queue payload never reaches another course's rows. An
 * item outside that course is `null`, exactly like a missing one (docs/queue.md, "Steps trust nothing").
 */
@Injectable()
export class GenerationContexts {
  /** The project, its course, the other projects in order, and the titles of its lessons (if any). */
  async lessons(q: Queryable, projectId: string, courseId: string): Promise<ItemWork<LessonsRequest> | null> {
    const rows: (CourseRow & {
      p_title: string;
      p_description: string;
      p_position: number;
      objectives: string[];
      siblings: { id: string; title: string }[];
      existing: string[];
    })[] = await q.query(
      `SELECT ${COURSE_COLUMNS}, p.title AS p_title, p.description AS p_description, p.position AS p_position,
              p.objectives,
              (SELECT json_agg(json_build_object('id', s.id, 'title', s.title) ORDER BY s.position)
                 FROM course_projects s WHERE s.course_id = p.course_id) AS siblings,
              (SELECT COALESCE(json_agg(l.title ORDER BY l.position), '[]'::json)
                 FROM lessons l WHERE l.project_id = p.id) AS existing
       FROM course_projects p JOIN courses c ON c.id = p.course_id
       WHERE p.id = $1 AND c.id = $2`,
      [projectId, courseId],
    );
    const row = rows[0];
    if (!row) return null;
    const index = row.siblings.findIndex((s) => s.id === projectId);
    return {
      course_id: row.course_id,
      title: row.p_title,
      index: index + 1,
      total: row.siblings.length,
      existing: row.existing.length,
      project_position: row.p_position,
      lesson_position: null,
      parent_item_id: null,
      request: {
        course: courseContext(row),
        project: { title: row.p_title, description: row.p_description, objectives: row.objectives ?? [] },
        sibling_projects: row.siblings.filter((s) => s.id !== projectId).map((s) => s.title),
        project_index: index,
        existing_lessons: row.existing,
      },
    };
  }

  /** The lesson, its project and course, the project's other lessons, and the titles of its tasks (if any). */
  async tasks(q: Queryable, lessonId: string, courseId: string): Promise<ItemWork<TasksRequest> | null> {
    const rows: (CourseRow & {
      project_id: string;
      p_title: string;
      p_description: string;
      p_position: number;
      l_position: number;
      l_title: string;
      summary: string;
      all_lessons: { id: string; title: string; project_id: string }[];
      existing: string[];
    })[] = await q.query(
      `SELECT ${COURSE_COLUMNS}, p.id AS project_id, p.title AS p_title, p.description AS p_description,
              p.position AS p_position, l.position AS l_position, l.title AS l_title, l.summary,
              (SELECT json_agg(json_build_object('id', l2.id, 'title', l2.title, 'project_id', l2.project_id)
                               ORDER BY p2.position, l2.position)
                 FROM lessons l2 JOIN course_projects p2 ON p2.id = l2.project_id
                 WHERE p2.course_id = c.id) AS all_lessons,
              (SELECT COALESCE(json_agg(t.title ORDER BY t.position), '[]'::json)
                 FROM tasks t WHERE t.lesson_id = l.id) AS existing
       FROM lessons l JOIN course_projects p ON p.id = l.project_id JOIN courses c ON c.id = p.course_id
       WHERE l.id = $1 AND c.id = $2`,
      [lessonId, courseId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      course_id: row.course_id,
      title: row.l_title,
      index: row.all_lessons.findIndex((l) => l.id === lessonId) + 1,
      total: row.all_lessons.length,
      existing: row.existing.length,
      project_position: row.p_position,
      lesson_position: row.l_position,
      parent_item_id: row.project_id,
      request: {
        course: courseContext(row),
        project: { title: row.p_title, description: row.p_description },
        lesson: { title: row.l_title, summary: row.summary },
        sibling_lessons: row.all_lessons
          .filter((l) => l.project_id === row.project_id && l.id !== lessonId)
          .map((l) => l.title),
        lesson_index: row.all_lessons
          .filter((l) => l.project_id === row.project_id)
          .findIndex((l) => l.id === lessonId),
        existing_tasks: row.existing,
      },
    };
  }
}
