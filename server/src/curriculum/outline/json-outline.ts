import { z } from 'zod';
import { COURSE_LEVELS, TASK_KINDS } from '../../../../contracts/api';
import { InvalidInputError } from '../../common/domain-error';
import { LANGUAGE_PATTERN, LIMITS } from '../curriculum-limits';
import { OutlineTree } from './outline-tree';

/** A malformed JSON outline: 400 with the path of the first field that failed, e.g. `projects[1].lessons[0].title`. */
export class OutlinePathError extends InvalidInputError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem, { path });
  }
}

const title = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(LIMITS.title, { error: `must be at most ${LIMITS.title} characters` });
const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .max(max, { error: `must be at most ${max} characters` })
    .default('');
const minutes = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' })
  .max(LIMITS.minutes, { error: `must be at most ${LIMITS.minutes}` })
  .nullable()
  .default(null);
const list = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z
    .array(item, { error: 'must be an array' })
    .max(max, { error: `must hold at most ${max} ${what}` })
    .default([]);

const taskSchema = z.strictObject({
  title,
  instructions: text(LIMITS.instructions),
  kind: z.enum(TASK_KINDS, { error: `must be one of ${TASK_KINDS.join(', ')}` }).default('exercise'),
  estimated_minutes: minutes,
});

const lessonSchema = z.strictObject({
  title,
  summary: text(LIMITS.summary),
  content: text(LIMITS.content),
  estimated_minutes: minutes,
  tasks: list(taskSchema, LIMITS.tasksPerLesson, 'tasks'),
});

const projectSchema = z.strictObject({
  title,
  description: text(LIMITS.projectDescription),
  objectives: list(
    z
      .string({ error: 'must be a string' })
      .max(LIMITS.objective, { error: `must be at most ${LIMITS.objective} characters` }),
    LIMITS.objectives,
    'objectives',
  ),
  lessons: list(lessonSchema, LIMITS.lessonsPerProject, 'lessons'),
});

export const outlineTreeSchema = z.strictObject(
  {
    title,
    description: text(LIMITS.courseDescription),
    topic: text(LIMITS.topic),
    audience: text(LIMITS.audience),
    level: z
      .enum(COURSE_LEVELS, { error: `must be one of ${COURSE_LEVELS.join(', ')}` })
      .nullable()
      .default(null),
    language: z
      .string({ error: 'must be a string' })
      .max(LIMITS.language, { error: `must be at most ${LIMITS.language} characters` })
      .regex(LANGUAGE_PATTERN, { error: 'must be a language tag such as en or pt-BR' })
      .default('en'),
    projects: list(projectSchema, LIMITS.projects, 'projects'),
  },
  { error: 'must be an object' },
);

/** `['projects', 1, 'lessons', 0, 'title']` → `projects[1].lessons[0].title`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** Validates an already-parsed JSON outline; throws OutlinePathError naming the first bad field. Pure. */
export function parseJsonOutline(value: unknown): OutlineTree {
  const result = outlineTreeSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    throw new OutlinePathError(formatPath([...issue.path, key]), 'is not a known field');
  }
  const path = formatPath(issue.path);
  const missing =
    issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(value, issue.path) === undefined;
  throw new OutlinePathError(path || '(root)', missing ? 'is required' : issue.message);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Parses JSON text, then validates it; a syntax error names its line. */
export function parseJsonOutlineText(text: string): OutlineTree {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message); // V8's message, a short line: no backtracking to fear
    const line = position ? lineAt(text, Number(position[1])) : undefined;
    throw new InvalidInputError(`The file is not valid JSON${line ? ` (line ${line})` : ''}: ${message}`, {
      line,
    });
  }
  return parseJsonOutline(value);
}

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
