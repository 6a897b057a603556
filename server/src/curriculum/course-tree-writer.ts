import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutlineTree } from './outline/outline-tree';

/**
 * Writes a whole course tree (a draft course with as much of the tree as it has) with one multi-row INSERT per
 * level. Call it inside a transaction; the outline approval of the generation wizard can use it too.
 */
@Injectable()
export class CourseTreeWriter {
  async createCourse(
    manager: EntityManager,
    organizationId: string,
    createdBy: string | null,
    tree: OutlineTree,
  ): Promise<string> {
    const [{ id: courseId }] = await manager.query<{ id: string }[]>(
      `INSERT INTO courses (organization_id, created_by, title, description, topic, audience, level, language, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft') RETURNING id`,
      [
        organizationId,
        createdBy,
        tree.title,
        tree.description,
        tree.topic,
        tree.audience,
        tree.level,
        tree.language,
      ],
    );
    if (tree.projects.length === 0) return courseId;

    const projectIds = await manager.query<{ id: string; position: number }[]>(
      `INSERT INTO course_projects (course_id, position, title, description, objectives)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[]) RETURNING id, position`,
      [
        courseId,
        tree.projects.map((_, i) => i),
        tree.projects.map((p) => p.title),
        tree.projects.map((p) => p.description),
        tree.projects.map((p) => JSON.stringify(p.objectives)),
      ],
    );
    const projectId = new Map(projectIds.map((r) => [r.position, r.id]));

    const lessons = tree.projects.flatMap((p, pi) =>
      p.lessons.map((l, li) => ({ ...l, project_id: projectId.get(pi)!, position: li })),
    );
    if (lessons.length === 0) return courseId;
    const lessonIds = await manager.query<{ id: string; project_id: string; position: number }[]>(
      `INSERT INTO lessons (project_id, position, title, summary, content, estimated_minutes)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[])
       RETURNING id, project_id, position`,
      [
        lessons.map((l) => l.project_id),
        lessons.map((l) => l.position),
        lessons.map((l) => l.title),
        lessons.map((l) => l.summary),
        lessons.map((l) => l.content),
        lessons.map((l) => l.estimated_minutes),
      ],
    );
    const lessonId = new Map(lessonIds.map((r) => [`${r.project_id}/${r.position}`, r.id]));

    const tasks = lessons.flatMap((l) =>
      l.tasks.map((t, ti) => ({
        ...t,
        lesson_id: lessonId.get(`${l.project_id}/${l.position}`)!,
        position: ti,
      })),
    );
    if (tasks.length === 0) return courseId;
    await manager.query(
      `INSERT INTO tasks (lesson_id, position, title, instructions, kind, estimated_minutes)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[])`,
      [
        tasks.map((t) => t.lesson_id),
        tasks.map((t) => t.position),
        tasks.map((t) => t.title),
        tasks.map((t) => t.instructions),
        tasks.map((t) => t.kind),
        tasks.map((t) => t.estimated_minutes),
      ],
    );
    return courseId;
  }
}
