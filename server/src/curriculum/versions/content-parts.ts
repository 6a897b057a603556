import type { EntityManager } from 'typeorm';
import type { LessonView, TaskView, VersionKind, VersionSnapshot } from '../../../../contracts/api';
import { applyItemPatch } from '../course-item-writes';
import { LessonRow, TaskRow, toLessonView, toTaskView } from '../course-views';

type Snapshot<K extends VersionKind> = Extract<VersionSnapshot, { kind: K }>;

/** A part of a course as it is now: the title of the item it belongs to, and its snapshot. */
export interface CurrentPart<K extends VersionKind = VersionKind> {
  title: string;
  snapshot: Snapshot<K>;
}

/** How one kind of part is read (null: its item is not in the course) and written back from a snapshot. */
interface PartSpec<K extends VersionKind> {
  read(m: EntityManager, courseId: string, itemId: string): Promise<CurrentPart<K> | null>;
  /** Call under the course's lock, after `read` found the item. */
  write(m: EntityManager, itemId: string, snapshot: Snapshot<K>): Promise<void>;
}

/** Lessons (with their tasks) to write in place of a project's; a task without an id gets a new one. */
export interface LessonWrite extends Omit<LessonView, 'project_id' | 'position' | 'tasks'> {
  tasks: TaskWrite[];
}
export type TaskWrite = Omit<TaskView, 'id' | 'lesson_id' | 'position'> & { id?: string };

const LESSON_COLUMNS = 'l.id, l.project_id, l.position, l.title, l.summary, l.content, l.estimated_minutes';
const TASK_COLUMNS = 't.id, t.lesson_id, t.position, t.title, t.instructions, t.kind, t.estimated_minutes';

/** Each item with its title, only within the course (a version never reaches another course's rows). */
const ITEM_SQL = {
  project: `SELECT p.title FROM course_projects p WHERE p.id = $1 AND p.course_id = $2`,
  lesson: `SELECT ${LESSON_COLUMNS} FROM lessons l JOIN course_projects p ON p.id = l.project_id
            WHERE l.id = $1 AND p.course_id = $2`,
  task: `SELECT ${TASK_COLUMNS} FROM tasks t JOIN lessons l ON l.id = t.lesson_id
           JOIN course_projects p ON p.id = l.project_id WHERE t.id = $1 AND p.course_id = $2`,
};

async function one<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T | null> {
  const rows = await m.query<T[]>(sql, params);
  return rows[0] ?? null;
}

const withoutTasks = (lesson: LessonView): Omit<LessonView, 'tasks'> => {
  const { tasks: _tasks, ...rest } = lesson;
  return rest;
};

/** The lessons of a project, each with its tasks, in position order. */
async function projectLessons(m: EntityManager, projectId: string): Promise<LessonView[]> {
  const lessons = await m.query<LessonRow[]>(
    `SELECT ${LESSON_COLUMNS} FROM lessons l WHERE l.project_id = $1 ORDER BY l.position`,
    [projectId],
  );
  const tasks = await m.query<TaskRow[]>(
    `SELECT ${TASK_COLUMNS} FROM tasks t JOIN lessons l ON l.id = t.lesson_id
      WHERE l.project_id = $1 ORDER BY l.position, t.position`,
    [projectId],
  );
  return lessons.map((l) => toLessonView(l, tasks.filter((t) => t.lesson_id === l.id).map(toTaskView)));
}

async function lessonTasks(m: EntityManager, lessonId: string): Promise<TaskView[]> {
  const rows = await m.query<TaskRow[]>(
    `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.lesson_id = $1 ORDER BY t.position`,
    [lessonId],
  );
  return rows.map(toTaskView);
}

/** Replaces a lesson's tasks: the old ones are deleted, `tasks` written in order (positions 0..n-1). */
export async function writeTasks(m: EntityManager, lessonId: string, tasks: TaskWrite[]): Promise<void> {
  await m.query(`DELETE FROM tasks WHERE lesson_id = $1`, [lessonId]);
  if (tasks.length === 0) return;
  await m.query(
    `INSERT INTO tasks (id, lesson_id, position, title, instructions, kind, estimated_minutes)
     SELECT COALESCE(x.id, gen_random_uuid()), $1, x.ord - 1, x.title, x.instructions, x.kind, x.minutes
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[])
            WITH ORDINALITY AS x(id, title, instructions, kind, minutes, ord)`,
    [
      lessonId,
      tasks.map((t) => t.id ?? null),
      tasks.map((t) => t.title),
      tasks.map((t) => t.instructions),
      tasks.map((t) => t.kind),
      tasks.map((t) => t.estimated_minutes),
    ],
  );
}

/** Replaces a project's lessons (and by cascade their tasks) with `lessons` and their tasks, in order. */
export async function writeLessons(
  m: EntityManager,
  projectId: string,
  lessons: LessonWrite[],
): Promise<void> {
  await m.query(`DELETE FROM lessons WHERE project_id = $1`, [projectId]);
  if (lessons.length === 0) return;
  await m.query(
    `INSERT INTO lessons (id, project_id, position, title, summary, content, estimated_minutes)
     SELECT x.id, $1, x.ord - 1, x.title, x.summary, x.content, x.minutes
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[])
            WITH ORDINALITY AS x(id, title, summary, content, minutes, ord)`,
    [
      projectId,
      lessons.map((l) => l.id),
      lessons.map((l) => l.title),
      lessons.map((l) => l.summary),
      lessons.map((l) => l.content),
      lessons.map((l) => l.estimated_minutes),
    ],
  );
  for (const lesson of lessons) {
    if (lesson.tasks.length > 0) await writeTasks(m, lesson.id, lesson.tasks);
  }
}

/**
 * One entry per version kind (docs/regeneration.md, "Versions"). Snapshots are the course API's views (ids and
 * positions included), so writing one back restores the same rows.
 */
export const PARTS: { [K in VersionKind]: PartSpec<K> } = {
  project_lessons: {
    async read(m, courseId, projectId) {
      const project = await one<{ title: string }>(m, ITEM_SQL.project, [projectId, courseId]);
      if (!project) return null;
      return {
        title: project.title,
        snapshot: { kind: 'project_lessons', lessons: await projectLessons(m, projectId) },
      };
    },
    write: (m, projectId, snapshot) => writeLessons(m, projectId, snapshot.lessons),
  },
  lesson_tasks: {
    async read(m, courseId, lessonId) {
      const lesson = await one<LessonRow>(m, ITEM_SQL.lesson, [lessonId, courseId]);
      if (!lesson) return null;
      return {
        title: lesson.title,
        snapshot: { kind: 'lesson_tasks', tasks: await lessonTasks(m, lessonId) },
      };
    },
    write: (m, lessonId, snapshot) => writeTasks(m, lessonId, snapshot.tasks),
  },
  lesson: {
    async read(m, courseId, lessonId) {
      const row = await one<LessonRow>(m, ITEM_SQL.lesson, [lessonId, courseId]);
      if (!row) return null;
      return { title: row.title, snapshot: { kind: 'lesson', lesson: withoutTasks(toLessonView(row, [])) } };
    },
    // Its text columns and its position (applyItemPatch writes only the lesson columns it knows).
    write: (m, lessonId, { lesson }) =>
      applyItemPatch(m, 'lesson', lessonId, lesson, { clampPosition: true }),
  },
  task: {
    async read(m, courseId, taskId) {
      const row = await one<TaskRow>(m, ITEM_SQL.task, [taskId, courseId]);
      if (!row) return null;
      return { title: row.title, snapshot: { kind: 'task', task: toTaskView(row) } };
    },
    write: (m, taskId, { task }) => applyItemPatch(m, 'task', taskId, task, { clampPosition: true }),
  },
};

/** Writes a version's snapshot back over its item (the course locked, the item found by `read`). */
export function writeSnapshot(m: EntityManager, itemId: string, s: VersionSnapshot): Promise<void> {
  switch (s.kind) {
    case 'project_lessons':
      return PARTS.project_lessons.write(m, itemId, s);
    case 'lesson_tasks':
      return PARTS.lesson_tasks.write(m, itemId, s);
    case 'lesson':
      return PARTS.lesson.write(m, itemId, s);
    case 'task':
      return PARTS.task.write(m, itemId, s);
  }
}

/**
 * A stored snapshot in the course API's field order (JSONB keeps its own key order): the same objects as
 * GET /courses/:id shows.
 */
export function normalizeSnapshot(s: VersionSnapshot): VersionSnapshot {
  switch (s.kind) {
    case 'project_lessons':
      return {
        kind: s.kind,
        lessons: s.lessons.map((l) => toLessonView(l, l.tasks.map(toTaskView))),
      };
    case 'lesson_tasks':
      return { kind: s.kind, tasks: s.tasks.map(toTaskView) };
    case 'lesson':
      return { kind: s.kind, lesson: withoutTasks(toLessonView(s.lesson, [])) };
    case 'task':
      return { kind: s.kind, task: toTaskView(s.task) };
  }
}
