import { z } from 'zod';
import { TASK_KINDS } from '../../../../contracts/api';
import { COUNT_LIMITS } from '../generation.constants';
import { estimatedMinutes, text, uniqueTitles } from './schema-helpers';

export const TASK_LIMITS = {
  title: 120,
  instructions: 4000,
  count: COUNT_LIMITS.tasksPerLesson,
} as const;

export const generatedTaskSchema = z.object({
  title: text(TASK_LIMITS.title, 3),
  /** Markdown. */
  instructions: text(TASK_LIMITS.instructions, 20),
  kind: z.enum(TASK_KINDS),
  estimated_minutes: estimatedMinutes(),
});

export type GeneratedTask = z.infer<typeof generatedTaskSchema>;

export const TASKS_SCHEMA_NAME = 'tasks_for_lesson';

/** The model's answer to the tasks prompt: exactly `count` tasks with distinct titles. */
export function tasksForLessonSchema(count: number) {
  let schema = tasksSchemas.get(count);
  if (!schema) {
    schema = buildTasksForLessonSchema(count);
    tasksSchemas.set(count, schema);
  }
  return schema;
}

/** Schemas are immutable: one per count (so is the JSON Schema the provider derives from it). */
const tasksSchemas = new Map<number, ReturnType<typeof buildTasksForLessonSchema>>();

function buildTasksForLessonSchema(count: number) {
  return z
    .object({ tasks: z.array(generatedTaskSchema).length(count) })
    .superRefine((value, ctx) => uniqueTitles(value.tasks, ctx, 'tasks'));
}
