import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LessonsRequest } from '../../generation/generators/lesson.generator';
import type { TasksRequest } from '../../generation/generators/task.generator';
import type { CourseContext } from '../../generation/prompts/prompt-context';
import type { CourseRow } from '../course-views';

type CourseFields = Pick<CourseRow, 'title' | 'description' | 'topic' | 'audience' | 'level' | 'language'>;

const courseContext = (c: CourseFields): CourseContext => ({
  title: c.title,
  description: c.description,
  topic: c.topic,
  audience: c.audience,
  level: c.level,
  language: c.language,
});

/** Builds the generators' inputs (the prompt contexts) from the stored curriculum. */
@Injectable()
export class GenerationContexts {
  /** The lessons request of a project: the course, the project, the other projects in order and its position. */
  async lessons(m: EntityManager, courseId: string, projectId: string): Promise<LessonsRequest | null> {
    const [course] = await m.query<CourseFields[]>(
      `SELECT title, description, topic, audience, level, language FROM courses WHERE id = $1`,
      [courseId],
    );
    const projects = await m.query<
      { id: string; title: string; description: string; objectives: string[] }[]
    >(
      `SELECT id, title, description, objectives FROM course_projects WHERE course_id = $1 ORDER BY position`,
      [courseId],
    );
    const index = projects.findIndex((p) => p.id === projectId);
    if (!course || index < 0) return null;
    const existing = await m.query<{ title: string }[]>(
      `SELECT title FROM lessons WHERE project_id = $1 ORDER BY position`,
      [projectId],
    );
    const project = projects[index];
    return {
      course: courseContext(course),
      project: {
        title: project.title,
        description: project.description,
        objectives: project.objectives ?? [],
      },
      sibling_projects: projects.filter((p) => p.id !== projectId).map((p) => p.title),
      project_index: index,
      existing_lessons: existing.map((l) => l.title),
    };
  }

  /** The tasks request of a lesson: the course, its project, the lesson and the project's other lessons. */
  async tasks(m: EntityManager, courseId: string, lessonId: string): Promise<TasksRequest | null> {
    const [row] = await m.query<
      (CourseFields & {
        project_id: string;
        p_title: string;
        p_description: string;
        l_title: string;
        summary: string;
      })[]
    >(
      `SELECT c.title, c.description, c.topic, c.audience, c.level, c.language,
              p.id AS project_id, p.title AS p_title, p.description AS p_description,
              l.title AS l_title, l.summary
         FROM lessons l JOIN course_projects p ON p.id = l.project_id JOIN courses c ON c.id = p.course_id
        WHERE l.id = $1 AND c.id = $2`,
      [lessonId, courseId],
    );
    if (!row) return null;
    const [siblings, existing] = await Promise.all([
      m.query<{ title: string }[]>(
        `SELECT title FROM lessons WHERE project_id = $1 AND id <> $2 ORDER BY position`,
        [row.project_id, lessonId],
      ),
      m.query<{ title: string }[]>(`SELECT title FROM tasks WHERE lesson_id = $1 ORDER BY position`, [
        lessonId,
      ]),
    ]);
    return {
      course: courseContext(row),
      project: { title: row.p_title, description: row.p_description },
      lesson: { title: row.l_title, summary: row.summary },
      sibling_lessons: siblings.map((l) => l.title),
      existing_tasks: existing.map((t) => t.title),
    };
  }
}
