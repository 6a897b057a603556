/** Bounds on curriculum text, shared by the DTOs, the upload parser and its schema. */
export const LIMITS = {
  title: 200,
  courseDescription: 5000,
  topic: 200,
  audience: 500,
  language: 35,
  projectDescription: 5000,
  objective: 500,
  objectives: 20,
  summary: 2000,
  content: 100_000,
  instructions: 20_000,
  minutes: 10_000,
  projects: 50,
  lessonsPerProject: 50,
  tasksPerLesson: 50,
  /** Longest line of a Markdown outline: the longest field (content) with room for markup and trailing blanks. */
  outlineLine: 110_000,
} as const;

/** A BCP 47-ish language tag: `en`, `pt-BR`, `zh-Hans`. */
export const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
