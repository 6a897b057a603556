import { z } from 'zod';
import { COUNT_LIMITS } from '../generation.constants';
import { estimatedMinutes, text, uniqueTitles } from './schema-helpers';

export const LESSON_LIMITS = {
  title: 120,
  summary: 400,
  content: 12_000,
  count: COUNT_LIMITS.lessonsPerProject,
} as const;

export const generatedLessonSchema = z.object({
  title: text(LESSON_LIMITS.title, 3),
  summary: text(LESSON_LIMITS.summary, 10),
  /** Markdown. */
  content: text(LESSON_LIMITS.content, 80),
  estimated_minutes: estimatedMinutes(),
});

export type GeneratedLesson = z.infer<typeof generatedLessonSchema>;

export const LESSONS_SCHEMA_NAME = 'lessons_for_project';

/** The model's answer to the lessons prompt: exactly `count` lessons with distinct titles. */
export function lessonsForProjectSchema(count: number) {
  let schema = lessonsSchemas.get(count);
  if (!schema) {
    schema = buildLessonsForProjectSchema(count);
    lessonsSchemas.set(count, schema);
  }
  return schema;
}

/** Schemas are immutable: one per count (so is the JSON Schema the provider derives from it). */
const lessonsSchemas = new Map<number, ReturnType<typeof buildLessonsForProjectSchema>>();

function buildLessonsForProjectSchema(count: number) {
  return z
    .object({ lessons: z.array(generatedLessonSchema).length(count) })
    .superRefine((value, ctx) => uniqueTitles(value.lessons, ctx, 'lessons'));
}
