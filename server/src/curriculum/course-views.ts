import type {
  CourseCounts,
  CourseLevel,
  CourseStatus,
  CourseSummary,
  LessonView,
  ProjectView,
  TaskKind,
  TaskView,
} from '../../../contracts/api';

/** A `courses` row as the raw queries return it. */
export interface CourseRow {
  id: string;
  organization_id: string;
  created_by: string | null;
  title: string;
  description: string;
  topic: string;
  audience: string;
  level: CourseLevel | null;
  language: string;
  status: CourseStatus;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  auto_publish_updates: boolean;
  review_notice: string | null;
}

export interface ProjectRow {
  id: string;
  course_id: string;
  position: number;
  title: string;
  description: string;
  objectives: string[];
}

export interface LessonRow {
  id: string;
  project_id: string;
  position: number;
  title: string;
  summary: string;
  content: string;
  estimated_minutes: number | null;
}

export interface TaskRow {
  id: string;
  lesson_id: string;
  position: number;
  title: string;
  instructions: string;
  kind: TaskKind;
  estimated_minutes: number | null;
}

export const COURSE_COLUMNS =
  'c.id, c.organization_id, c.created_by, c.title, c.description, c.topic, c.audience, c.level, c.language, ' +
  'c.status, c.created_at, c.updated_at, c.published_at, c.auto_publish_updates, c.review_notice';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export const NO_COUNTS: CourseCounts = { projects: 0, lessons: 0, tasks: 0 };

export function toCourseSummary(row: CourseRow, counts: CourseCounts = NO_COUNTS): CourseSummary {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    topic: row.topic,
    audience: row.audience,
    level: row.level,
    language: row.language,
    status: row.status,
    counts,
    created_by: row.created_by,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    published_at: iso(row.published_at),
    auto_publish_updates: row.auto_publish_updates,
    review_notice: row.review_notice,
  };
}

export function toTaskView(row: TaskRow): TaskView {
  return {
    id: row.id,
    lesson_id: row.lesson_id,
    position: row.position,
    title: row.title,
    instructions: row.instructions,
    kind: row.kind,
    estimated_minutes: row.estimated_minutes,
  };
}

export function toLessonView(row: LessonRow, tasks: TaskView[]): LessonView {
  return {
    id: row.id,
    project_id: row.project_id,
    position: row.position,
    title: row.title,
    summary: row.summary,
    content: row.content,
    estimated_minutes: row.estimated_minutes,
    tasks,
  };
}

export function toProjectView(row: ProjectRow, lessons: LessonView[]): ProjectView {
  return {
    id: row.id,
    course_id: row.course_id,
    position: row.position,
    title: row.title,
    description: row.description,
    objectives: row.objectives,
    lessons,
  };
}

/** Assembles projects → lessons → tasks (each list already ordered by position). */
export function assembleTree(projects: ProjectRow[], lessons: LessonRow[], tasks: TaskRow[]): ProjectView[] {
  const tasksByLesson = new Map<string, TaskView[]>();
  for (const t of tasks) {
    const list = tasksByLesson.get(t.lesson_id) ?? [];
    list.push(toTaskView(t));
    tasksByLesson.set(t.lesson_id, list);
  }
  const lessonsByProject = new Map<string, LessonView[]>();
  for (const l of lessons) {
    const list = lessonsByProject.get(l.project_id) ?? [];
    list.push(toLessonView(l, tasksByLesson.get(l.id) ?? []));
    lessonsByProject.set(l.project_id, list);
  }
  return projects.map((p) => toProjectView(p, lessonsByProject.get(p.id) ?? []));
}
