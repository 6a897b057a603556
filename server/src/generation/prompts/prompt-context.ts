import type { CourseLevel } from '../../../../contracts/api';

/** What every prompt knows about the course. */
export interface CourseContext {
  /** Empty while outlines are being proposed. */
  title: string;
  description: string;
  topic: string;
  audience: string;
  level: CourseLevel | null;
  /** The language to write in: a tag such as 'en' or 'pt-BR' (prompts name it: "English", "Brazilian Portuguese"). */
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
  /** Titles of the course's other projects, in course order, so lessons stay within this project's scope. */
  sibling_projects: string[];
  /** 0-based position of this project in the course, when known ("project 2 of 5"). */
  project_index?: number;
  /** Titles of lessons this project already has (not to be repeated). */
  existing_lessons: string[];
  lesson_count: number;
  /** An editor's guidance for a regeneration ("more hands-on"), ≤ 1,000 characters; absent otherwise. */
  instructions?: string;
  seed?: number;
}

export interface TasksContext {
  stage: 'tasks';
  course: CourseContext;
  project: { title: string; description: string };
  lesson: { title: string; summary: string };
  /** Titles of the other lessons of the same project, so tasks practise this lesson and not its neighbours. */
  sibling_lessons: string[];
  /** 0-based position of this lesson in its project, when known: the prompt then lists all its lessons in order. */
  lesson_index?: number;
  /** Titles of tasks this lesson already has (not to be repeated). */
  existing_tasks: string[];
  task_count: number;
  /** An editor's guidance for a regeneration, ≤ 1,000 characters; absent otherwise. */
  instructions?: string;
  seed?: number;
}

export type StageContext = OutlineContext | LessonsContext | TasksContext;
