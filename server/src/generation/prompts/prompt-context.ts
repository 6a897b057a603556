import type { CourseLevel } from '../../../../contracts/api';

/** What every prompt knows about the course. */
export interface CourseContext {
  /** Empty while outlines are being proposed. */
  title: string;
  description: string;
  topic: string;
  audience: string;
  level: CourseLevel | null;
  /** The language the content is written in, e.g. 'English'. */
  language: string;
}

export interface OutlineContext {
  stage: 'outline';
  topic: string;
  audience: string;
  level: CourseLevel | null;
  language: string;
  /** Projects in each proposal. */
  project_count: number;
  /** Proposals wanted. */
  proposals: number;
  /** Varies the sample provider's output for the same topic; ignored by real models. */
  seed?: number;
}

export interface LessonsContext {
  stage: 'lessons';
  course: CourseContext;
  project: { title: string; description: string; objectives: string[] };
  /** Titles of the course's other projects, in order, so lessons stay within this project's scope. */
  sibling_projects: string[];
  /** Titles of lessons this project already has (not to be repeated). */
  existing_lessons: string[];
  lesson_count: number;
  seed?: number;
}

export interface TasksContext {
  stage: 'tasks';
  course: CourseContext;
  project: { title: string; description: string };
  lesson: { title: string; summary: string };
  /** Titles of the other lessons of the same project, so tasks practise this lesson and not its neighbours. */
  sibling_lessons: string[];
  /** Titles of tasks this lesson already has (not to be repeated). */
  existing_tasks: string[];
  task_count: number;
  seed?: number;
}

export type StageContext = OutlineContext | LessonsContext | TasksContext;
