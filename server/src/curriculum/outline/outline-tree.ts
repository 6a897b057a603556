import type { CourseLevel, TaskKind } from '../../../../contracts/api';

/** A course tree read from an uploaded outline, before it is stored (positions follow array order). */
export interface OutlineTask {
  title: string;
  instructions: string;
  kind: TaskKind;
  estimated_minutes: number | null;
}

export interface OutlineLesson {
  title: string;
  summary: string;
  content: string;
  estimated_minutes: number | null;
  tasks: OutlineTask[];
}

export interface OutlineProjectTree {
  title: string;
  description: string;
  objectives: string[];
  lessons: OutlineLesson[];
}

export interface OutlineTree {
  title: string;
  description: string;
  topic: string;
  audience: string;
  level: CourseLevel | null;
  language: string;
  projects: OutlineProjectTree[];
}
